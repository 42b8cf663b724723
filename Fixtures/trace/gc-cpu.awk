# The GC's share of the CPU, counted independently of Flamegate's reader from
# `go tool trace -d=parsed TRACE` (Go's own parse of the events), with the definition of
# `flamegate trace stats`' gc.cpu_fraction: P-time in GC over GOMAXPROCS x time, from the
# first GOMAXPROCS metric to the last event. A P is in GC during a stop-the-world whose
# name has "GC" (all Ps), or while it runs a goroutine labelled "GC …" (background mark
# workers) or a goroutine inside a "GC mark assist" range.
#   go tool trace -d=parsed T.trace | awk -f Fixtures/trace/gc-cpu.awk
function field(name,   i) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
function quoted(name,   s) { s = $0; sub(".*" name "=\"", "", s); sub("\".*", "", s); return s }
function scopeg(   s) { s = field("Scope"); sub("Goroutine\\(", "", s); sub("\\)", "", s); return s }
function gcps(   n, p) {
    if (stw > 0) return procs
    n = 0
    for (p = 0; p < procs; p++) if ((p in run) && run[p] != "" && ((run[p] in bg) || (run[p] in assist))) n++
    return n
}
$4 != "" && $5 ~ /^Time=/ {
    t = substr($5, 6) + 0
    if (started) { gcns += cur * (t - last); allns += procs * (t - last) }
    last = t
    g = field("G"); P = field("P") + 0
    if ($4 == "Metric" && /Name="\/sched\/gomaxprocs:threads"/) {
        v = $0; sub(".*Uint64\\(", "", v); sub("\\).*", "", v)
        started = 1; procs = v + 0
        for (p in run) if (p + 0 >= procs) delete run[p]
    } else if (($4 == "RangeBegin") && /Name="stop-the-world/) {
        isgc = index(quoted("Name"), "GC") > 0
        stwopen[scopeg()] = isgc
        if (isgc) stw++
    } else if ($4 == "RangeEnd" && /Name="stop-the-world/) {
        s = scopeg(); if ((s in stwopen) && stwopen[s]) stw--; delete stwopen[s]
    } else if ($4 == "Label" && index(quoted("Label"), "GC ") == 1) {
        bg[g] = 1
    } else if (($4 == "RangeBegin" || $4 == "RangeActive") && /Name="GC mark assist"/) {
        assist[scopeg()] = 1
    } else if ($4 == "RangeEnd" && /Name="GC mark assist"/) {
        delete assist[scopeg()]
    } else if ($4 == "StateTransition" && $6 ~ /^GoID=/) {
        id = substr($6, 6); split($7, st, "->")
        if (st[1] != st[2] && P >= 0 && P < procs) {
            if (st[2] == "Running") run[P] = id
            else if (st[1] == "Running" && run[P] == id) run[P] = ""
        }
    }
    cur = gcps()
}
END { printf "gc_cpu_fraction %.12f\n", (allns > 0 ? gcns / allns : 0) }
