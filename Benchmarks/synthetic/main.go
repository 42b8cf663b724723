// Command synthetic writes a large, deterministic, synthetic pprof CPU profile
// (gzip'd protobuf) for benchmarking `flamegate top` against `go tool pprof -top`.
//
// The Go standard library has no public profile writer, so the protobuf is
// encoded by hand (see the enc type below) following pprof's profile.proto.
//
// Shape (modelled on a big Go service's CPU profile):
//   - sample types samples/count and cpu/nanoseconds, period 10ms of cpu/nanoseconds,
//     default_sample_type "cpu"; one mapping (the main binary, symbolized);
//   - functions in a layered call graph: each function calls a handful of
//     functions in the next layer, callees picked Zipf-ishly, so a few call
//     paths are hot and stack prefixes are shared the way real ones are;
//   - a stack is runtime.goexit → net/http serving frames (or a worker loop) →
//     a random walk down the call graph → an optional stdlib/runtime tail
//     (JSON, sorting, hashing, maps, allocation, locking, syscalls), 10–64
//     locations deep; plus GC background-worker stacks;
//   - ~15% of call sites and some leaf PCs have 2–3 lines (inlined frames);
//   - stacks are distinct (as runtime/pprof writes them), values random
//     (count mostly 1, a long tail), cpu = count × period;
//   - ~10% of samples carry one or two string labels.
//
// Everything comes from math/rand with an explicit, seeded source: the same
// flags give the same bytes.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"strings"
)

// ---------------------------------------------------------------------------
// A minimal protobuf encoder.

type enc struct{ b []byte }

func (e *enc) varint(v uint64) {
	for v >= 0x80 {
		e.b = append(e.b, byte(v)|0x80)
		v >>= 7
	}
	e.b = append(e.b, byte(v))
}

func (e *enc) key(field, wire int) { e.varint(uint64(field)<<3 | uint64(wire)) }

// uint writes a varint field, omitting zero as proto3 does.
func (e *enc) uint(field int, v uint64) {
	if v == 0 {
		return
	}
	e.key(field, 0)
	e.varint(v)
}

func (e *enc) int(field int, v int64) { e.uint(field, uint64(v)) }

func (e *enc) bool(field int, v bool) {
	if v {
		e.uint(field, 1)
	}
}

// bytes writes a length-delimited field (always, even when empty: the string
// table's first entry must be present).
func (e *enc) bytes(field int, b []byte) {
	e.key(field, 2)
	e.varint(uint64(len(b)))
	e.b = append(e.b, b...)
}

func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

func (e *enc) packed(field int, vs []uint64) {
	if len(vs) == 0 {
		return
	}
	n := 0
	for _, v := range vs {
		n += varintLen(v)
	}
	e.key(field, 2)
	e.varint(uint64(n))
	for _, v := range vs {
		e.varint(v)
	}
}

// msg writes a nested message built by fill, using scratch as the body buffer.
func (e *enc) msg(field int, scratch *enc, fill func(m *enc)) {
	scratch.b = scratch.b[:0]
	fill(scratch)
	e.bytes(field, scratch.b)
}

// ---------------------------------------------------------------------------
// The profile model being generated.

type line struct {
	fn   int // index into functions
	line int64
}

type location struct {
	addr  uint64
	lines []line // innermost first
}

type function struct {
	name, file int64 // string table indices
	startLine  int64
	level      int    // app call-graph layer; -1 for stdlib/runtime
	callSites  []int  // locations in this function that call the matching callee
	callees    []int  // function indices
	selfLocs   []int  // leaf PCs in this function
	nextLine   int64  // next free line number inside the function
	nextAddr   uint64 // next free PC inside the function
}

type gen struct {
	rng       *rand.Rand
	strings   []string
	stringIdx map[string]int64
	funcs     []function
	funcIdx   map[string]int
	locs      []location
	baseAddr  uint64
}

func (g *gen) str(s string) int64 {
	if i, ok := g.stringIdx[s]; ok {
		return i
	}
	i := int64(len(g.strings))
	g.strings = append(g.strings, s)
	g.stringIdx[s] = i
	return i
}

// fn returns the function named name, creating it with the given file.
func (g *gen) fn(name, file string, level int) int {
	if i, ok := g.funcIdx[name]; ok {
		return i
	}
	i := len(g.funcs)
	start := int64(20 + g.rng.Intn(900))
	// Functions are laid out one after another in the text segment.
	g.baseAddr += 0x40 + uint64(g.rng.Intn(0x800))&^0xf
	g.funcs = append(g.funcs, function{
		name: g.str(name), file: g.str(file), startLine: start, level: level,
		nextLine: start + 1 + int64(g.rng.Intn(4)), nextAddr: g.baseAddr,
	})
	g.funcIdx[name] = i
	return i
}

// loc creates a new location in function f (the outermost line), with the given
// inlined functions (innermost first) in front of it.
func (g *gen) loc(f int, inlined ...int) int {
	fn := &g.funcs[f]
	fn.nextLine += 1 + int64(g.rng.Intn(6))
	fn.nextAddr += 2 + uint64(g.rng.Intn(40))
	var ls []line
	for _, in := range inlined {
		ifn := &g.funcs[in]
		ls = append(ls, line{fn: in, line: ifn.startLine + 1 + int64(g.rng.Intn(12))})
	}
	ls = append(ls, line{fn: f, line: fn.nextLine})
	g.locs = append(g.locs, location{addr: fn.nextAddr, lines: ls})
	return len(g.locs) - 1
}

// selfLoc returns one of f's leaf PCs, creating up to n of them lazily.
func (g *gen) selfLoc(f, n int, inlinedPool []int) int {
	fn := &g.funcs[f]
	if len(fn.selfLocs) < n {
		var inl []int
		if len(inlinedPool) > 0 && g.rng.Intn(10) == 0 {
			inl = append(inl, inlinedPool[g.rng.Intn(len(inlinedPool))])
		}
		l := g.loc(f, inl...)
		fn = &g.funcs[f]
		fn.selfLocs = append(fn.selfLocs, l)
		return l
	}
	return fn.selfLocs[g.rng.Intn(len(fn.selfLocs))]
}

// callLoc returns the call-site location in caller that calls callee (one per pair).
type callKey struct{ caller, callee int }

// zipf picks an index in [0,n) with P(i) ∝ 1/(i+1)^s.
type zipfTable struct{ cdf []float64 }

func newZipf(n int, s float64) zipfTable {
	cdf := make([]float64, n)
	sum := 0.0
	for i := 0; i < n; i++ {
		sum += 1 / math.Pow(float64(i+1), s)
		cdf[i] = sum
	}
	for i := range cdf {
		cdf[i] /= sum
	}
	return zipfTable{cdf}
}

func (z zipfTable) pick(r *rand.Rand) int {
	u := r.Float64()
	lo, hi := 0, len(z.cdf)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if z.cdf[mid] < u {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// ---------------------------------------------------------------------------

const goroot = "/usr/local/go/src/"

// Stdlib and runtime call chains that app code ends in (outermost first).
// Each entry is "function@file"; a tail is cut at a random point ≥ 1 so both
// the inner runtime frames and the outer library frames get flat time.
var tailTemplates = [][]string{
	{"encoding/json.Marshal@encoding/json/encode.go", "encoding/json.(*encodeState).marshal@encoding/json/encode.go", "encoding/json.(*encodeState).reflectValue@encoding/json/encode.go", "encoding/json.structEncoder.encode@encoding/json/encode.go", "encoding/json.mapEncoder.encode@encoding/json/encode.go", "encoding/json.stringEncoder@encoding/json/encode.go", "encoding/json.appendString[...]@encoding/json/encode.go"},
	{"encoding/json.Marshal@encoding/json/encode.go", "encoding/json.(*encodeState).marshal@encoding/json/encode.go", "encoding/json.(*encodeState).reflectValue@encoding/json/encode.go", "encoding/json.structEncoder.encode@encoding/json/encode.go", "encoding/json.sliceEncoder.encode@encoding/json/encode.go", "encoding/json.arrayEncoder.encode@encoding/json/encode.go", "encoding/json.floatEncoder.encode@encoding/json/encode.go", "strconv.AppendFloat@strconv/ftoa.go", "strconv.genericFtoa@strconv/ftoa.go", "strconv.ryuFtoaShortest@strconv/ftoaryu.go"},
	{"encoding/json.Unmarshal@encoding/json/decode.go", "encoding/json.(*decodeState).unmarshal@encoding/json/decode.go", "encoding/json.(*decodeState).value@encoding/json/decode.go", "encoding/json.(*decodeState).object@encoding/json/decode.go", "encoding/json.(*decodeState).value@encoding/json/decode.go", "encoding/json.(*decodeState).literalStore@encoding/json/decode.go", "runtime.mallocgc@runtime/malloc.go", "runtime.mallocgcSmallNoscan@runtime/malloc.go", "runtime.memclrNoHeapPointers@runtime/memclr_amd64.s"},
	{"encoding/json.checkValid@encoding/json/scanner.go", "encoding/json.stateInString@encoding/json/scanner.go"},
	{"sort.Slice@sort/slice.go", "sort.pdqsort_func@sort/zsortfunc.go", "sort.pdqsort_func@sort/zsortfunc.go", "sort.partition_func@sort/zsortfunc.go", "github.com/acme/svc/internal/store.(*Index).Less@/build/src/github.com/acme/svc/internal/store/index.go"},
	{"sort.Slice@sort/slice.go", "sort.pdqsort_func@sort/zsortfunc.go", "sort.insertionSort_func@sort/zsortfunc.go", "reflect.Swapper.func2@reflect/swapper.go", "runtime.typedmemmove@runtime/mbarrier.go", "runtime.memmove@runtime/memmove_amd64.s"},
	{"slices.SortFunc[...]@slices/sort.go", "slices.pdqsortCmpFunc[...]@slices/zsortanyfunc.go", "slices.partitionCmpFunc[...]@slices/zsortanyfunc.go", "strings.Compare@strings/compare.go", "internal/bytealg.CompareString@internal/bytealg/compare_amd64.s"},
	{"crypto/sha256.Sum256@crypto/sha256/sha256.go", "crypto/internal/fips140/sha256.(*Digest).Write@crypto/internal/fips140/sha256/sha256.go", "crypto/internal/fips140/sha256.block@crypto/internal/fips140/sha256/sha256block_amd64.go", "crypto/internal/fips140/sha256.blockAVX2@crypto/internal/fips140/sha256/sha256block_amd64.s"},
	{"hash/crc32.ChecksumIEEE@hash/crc32/crc32.go", "hash/crc32.ieeeCLMUL@hash/crc32/crc32_amd64.go", "hash/crc32.ieeeCLMUL@hash/crc32/crc32_amd64.s"},
	{"hash/fnv.(*sum64a).Write@hash/fnv/fnv.go"},
	{"runtime.mapaccess2_faststr@internal/runtime/maps/runtime_faststr_swiss.go", "internal/runtime/maps.(*Map).getWithKeySmall@internal/runtime/maps/map.go", "runtime.memequal@internal/bytealg/equal_amd64.s"},
	{"runtime.mapassign_faststr@internal/runtime/maps/runtime_faststr_swiss.go", "internal/runtime/maps.(*table).grow@internal/runtime/maps/table.go", "internal/runtime/maps.newTable@internal/runtime/maps/table.go", "runtime.newarray@runtime/malloc.go", "runtime.mallocgc@runtime/malloc.go", "runtime.mallocgcLarge@runtime/malloc.go", "runtime.memclrNoHeapPointers@runtime/memclr_amd64.s"},
	{"runtime.mapaccess1_fast64@internal/runtime/maps/runtime_fast64_swiss.go"},
	{"runtime.mapiternext@internal/runtime/maps/runtime_swiss.go", "internal/runtime/maps.(*Iter).Next@internal/runtime/maps/table.go"},
	{"runtime.growslice@runtime/slice.go", "runtime.mallocgc@runtime/malloc.go", "runtime.mallocgcSmallScanNoHeader@runtime/malloc.go", "runtime.(*mcache).nextFree@runtime/mcache.go", "runtime.(*mcache).refill@runtime/mcache.go", "runtime.(*mcentral).cacheSpan@runtime/mcentral.go", "runtime.(*mspan).initHeapBits@runtime/mbitmap.go"},
	{"runtime.newobject@runtime/malloc.go", "runtime.mallocgc@runtime/malloc.go", "runtime.mallocgcSmallScanNoHeader@runtime/malloc.go", "runtime.heapSetTypeNoHeader@runtime/mbitmap.go", "runtime.(*mspan).writeHeapBitsSmall@runtime/mbitmap.go"},
	{"runtime.makeslice@runtime/slice.go", "runtime.mallocgc@runtime/malloc.go", "runtime.mallocgcSmallNoscan@runtime/malloc.go"},
	{"runtime.concatstrings@runtime/string.go", "runtime.rawstringtmp@runtime/string.go", "runtime.rawstring@runtime/string.go", "runtime.mallocgc@runtime/malloc.go", "runtime.mallocgcSmallNoscan@runtime/malloc.go"},
	{"fmt.Sprintf@fmt/print.go", "fmt.(*pp).doPrintf@fmt/print.go", "fmt.(*pp).printArg@fmt/print.go", "fmt.(*fmt).fmtInteger@fmt/format.go"},
	{"strconv.AppendInt@strconv/itoa.go", "strconv.formatBits@strconv/itoa.go"},
	{"strings.(*Builder).WriteString@strings/builder.go", "runtime.growslice@runtime/slice.go", "runtime.memmove@runtime/memmove_amd64.s"},
	{"bytes.(*Buffer).Write@bytes/buffer.go", "bytes.(*Buffer).grow@bytes/buffer.go", "runtime.memmove@runtime/memmove_amd64.s"},
	{"strings.Split@strings/strings.go", "strings.genSplit@strings/strings.go", "strings.Index@strings/strings.go", "internal/bytealg.IndexString@internal/bytealg/index_amd64.s"},
	{"sync.(*Mutex).Lock@sync/mutex.go", "internal/sync.(*Mutex).lockSlow@internal/sync/mutex.go", "runtime.semacquire1@runtime/sema.go", "runtime.goparkunlock@runtime/proc.go", "runtime.gopark@runtime/proc.go", "runtime.mcall@runtime/asm_amd64.s", "runtime.park_m@runtime/proc.go", "runtime.schedule@runtime/proc.go", "runtime.findRunnable@runtime/proc.go", "runtime.stealWork@runtime/proc.go", "runtime.runqsteal@runtime/proc.go", "runtime.runqgrab@runtime/proc.go", "runtime.usleep@runtime/sys_linux_amd64.s"},
	{"sync.(*Pool).Get@sync/pool.go", "sync.(*Pool).getSlow@sync/pool.go", "sync.(*poolChain).popTail@sync/poolqueue.go"},
	{"runtime.chansend1@runtime/chan.go", "runtime.chansend@runtime/chan.go", "runtime.send@runtime/chan.go", "runtime.goready@runtime/proc.go", "runtime.systemstack@runtime/asm_amd64.s", "runtime.goready.func1@runtime/proc.go", "runtime.ready@runtime/proc.go", "runtime.wakep@runtime/proc.go", "runtime.startm@runtime/proc.go", "runtime.notewakeup@runtime/lock_futex.go", "runtime.futexwakeup@runtime/os_linux.go", "runtime.futex@runtime/sys_linux_amd64.s"},
	{"runtime.selectgo@runtime/select.go", "runtime.sellock@runtime/select.go", "runtime.lock2@runtime/lock_spinbit.go", "runtime.procyield@runtime/asm_amd64.s"},
	{"net.(*conn).Write@net/net.go", "net.(*netFD).Write@net/fd_posix.go", "internal/poll.(*FD).Write@internal/poll/fd_unix.go", "internal/poll.ignoringEINTRIO@internal/poll/fd_unix.go", "syscall.Write@syscall/syscall_unix.go", "syscall.write@syscall/zsyscall_linux_amd64.go", "syscall.Syscall@syscall/syscall_linux.go", "syscall.RawSyscall6@syscall/syscall_linux.go", "internal/runtime/syscall.Syscall6@internal/runtime/syscall/asm_linux_amd64.s"},
	{"time.Now@time/time.go", "runtime.nanotime1@runtime/sys_linux_amd64.s", "runtime.vdsoCall@runtime/sys_linux_amd64.s"},
	{"context.(*cancelCtx).Done@context/context.go", "sync/atomic.(*Value).Load@sync/atomic/value.go"},
	{"compress/flate.(*Writer).Write@compress/flate/deflate.go", "compress/flate.(*compressor).write@compress/flate/deflate.go", "compress/flate.(*compressor).deflate@compress/flate/deflate.go", "compress/flate.(*compressor).findMatch@compress/flate/deflate.go", "compress/flate.matchLen@compress/flate/deflate.go"},
	{"reflect.Value.Field@reflect/value.go", "reflect.(*rtype).Field@reflect/type.go"},
	{"regexp.(*Regexp).MatchString@regexp/regexp.go", "regexp.(*Regexp).doExecute@regexp/exec.go", "regexp.(*Regexp).backtrack@regexp/backtrack.go", "regexp.(*Regexp).tryBacktrack@regexp/backtrack.go", "regexp.(*inputString).step@regexp/regexp.go", "unicode/utf8.DecodeRuneInString@unicode/utf8/utf8.go"},
}

// Small functions that the compiler inlines at call sites (innermost frames of
// multi-line locations); some of them also appear as real frames elsewhere.
var inlinableStd = []string{
	"runtime.nextFreeFast@runtime/malloc.go",
	"sync.(*Mutex).Lock@sync/mutex.go",
	"sync.(*Mutex).Unlock@sync/mutex.go",
	"sync/atomic.(*Int64).Add@sync/atomic/type.go",
	"strings.HasPrefix@strings/strings.go",
	"strings.IndexByte@strings/strings.go",
	"encoding/binary.bigEndian.Uint64@encoding/binary/binary.go",
	"unicode/utf8.RuneLen@unicode/utf8/utf8.go",
	"math.Float64bits@math/unsafe.go",
	"time.Time.UnixNano@time/time.go",
	"bytes.(*Buffer).Len@bytes/buffer.go",
	"runtime.add@runtime/stubs.go",
}

// GC worker stacks (outermost first); cut at a random depth ≥ 10.
var gcTemplates = [][]string{
	{"runtime.goexit@runtime/asm_amd64.s", "runtime.gcBgMarkWorker@runtime/mgc.go", "runtime.systemstack@runtime/asm_amd64.s", "runtime.gcBgMarkWorker.func2@runtime/mgc.go", "runtime.gcDrainMarkWorkerDedicated@runtime/mgcmark.go", "runtime.gcDrain@runtime/mgcmark.go", "runtime.scanobject@runtime/mgcmark.go", "runtime.greyobject@runtime/mgcmark.go", "runtime.(*gcWork).put@runtime/mgcwork.go", "runtime.getempty@runtime/mgcwork.go", "runtime.(*lfstack).pop@runtime/lfstack.go", "runtime.lfstackUnpack@runtime/lfstack_64bit.go"},
	{"runtime.goexit@runtime/asm_amd64.s", "runtime.gcBgMarkWorker@runtime/mgc.go", "runtime.systemstack@runtime/asm_amd64.s", "runtime.gcBgMarkWorker.func2@runtime/mgc.go", "runtime.gcDrainMarkWorkerIdle@runtime/mgcmark.go", "runtime.gcDrain@runtime/mgcmark.go", "runtime.markroot@runtime/mgcmark.go", "runtime.markroot.func1@runtime/mgcmark.go", "runtime.suspendG@runtime/preempt.go", "runtime.scanstack@runtime/mgcmark.go", "runtime.scanframeworker@runtime/mgcmark.go", "runtime.scanblock@runtime/mgcmark.go", "runtime.findObject@runtime/mbitmap.go", "runtime.spanOf@runtime/mheap.go"},
	{"runtime.goexit@runtime/asm_amd64.s", "runtime.gcBgMarkWorker@runtime/mgc.go", "runtime.systemstack@runtime/asm_amd64.s", "runtime.gcBgMarkWorker.func2@runtime/mgc.go", "runtime.gcDrainMarkWorkerFractional@runtime/mgcmark.go", "runtime.gcDrain@runtime/mgcmark.go", "runtime.scanobject@runtime/mgcmark.go", "runtime.typePointers.next@runtime/mbitmap.go", "runtime.typePointers.nextFast@runtime/mbitmap.go", "runtime.(*mspan).typePointersOfUnchecked@runtime/mbitmap.go", "runtime.(*mspan).heapBitsSmallForAddr@runtime/mbitmap.go", "runtime.readUintptr@runtime/mbitmap.go"},
	{"runtime.goexit@runtime/asm_amd64.s", "runtime.bgsweep@runtime/mgcsweep.go", "runtime.sweepone@runtime/mgcsweep.go", "runtime.(*sweepLocked).sweep@runtime/mgcsweep.go", "runtime.(*mspan).countAlloc@runtime/mbitmap.go", "runtime.(*gcBits).bitp@runtime/mheap.go", "runtime.add1@runtime/mheap.go", "runtime.(*mspan).refillAllocCache@runtime/mbitmap.go", "runtime.(*mspan).nextFreeIndex@runtime/mbitmap.go", "runtime.(*mspan).isFree@runtime/mbitmap.go", "runtime.(*mspan).objIndex@runtime/mbitmap.go"},
}

var (
	verbs   = []string{"Get", "Put", "List", "Find", "Load", "Store", "Apply", "Build", "Encode", "Decode", "Validate", "Resolve", "Merge", "Scan", "Flush", "Handle", "Process", "Compute", "Render", "Sync"}
	nouns   = []string{"Order", "Account", "Ledger", "Item", "Invoice", "Session", "Cache", "Index", "Query", "Batch", "Event", "Tenant", "Quota", "Route", "Token", "Payment", "Report", "Shard", "Stream", "Record"}
	layers  = []string{"api", "service", "domain", "store", "cache", "codec", "rpc", "auth", "billing", "search", "queue", "metrics"}
	routes  = []string{"/api/v1/orders", "/api/v1/accounts", "/api/v1/ledger", "/api/v1/search", "/api/v1/reports", "/api/v2/payments", "/api/v2/sessions", "/healthz", "/api/v1/items", "/api/v1/quota"}
	workers = []string{"indexer", "compactor", "flusher", "replicator", "billing-close", "metrics-push"}
)

func split(spec string) (name, file string) {
	i := strings.LastIndexByte(spec, '@')
	name, file = spec[:i], spec[i+1:]
	if !strings.HasPrefix(file, "/") {
		file = goroot + file
	}
	return
}

func main() {
	nSamples := flag.Int("samples", 5_000_000, "number of samples (distinct stacks)")
	nFuncs := flag.Int("functions", 25_000, "number of application functions in the call graph")
	out := flag.String("o", "synthetic.pb.gz", "output file")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	if *nSamples < 1 || *nFuncs < 200 {
		fmt.Fprintln(os.Stderr, "synthetic: need -samples ≥ 1 and -functions ≥ 200")
		os.Exit(2)
	}

	g := &gen{
		rng:       rand.New(rand.NewSource(*seed)),
		stringIdx: map[string]int64{},
		funcIdx:   map[string]int{},
		baseAddr:  0x401000,
	}
	r := g.rng
	g.str("")

	// Header strings first, as runtime/pprof writes them.
	sSamples, sCount := g.str("samples"), g.str("count")
	sCPU, sNanos := g.str("cpu"), g.str("nanoseconds")
	sBinary := g.str("/usr/local/bin/acme-svc")
	sBuildID := g.str("9f4c1e2a7b3d5e6f8091a2b3c4d5e6f708192a3b")

	// Fixed outer frames.
	spec := func(s string) int { n, f := split(s); return g.fn(n, f, -1) }
	goexit := spec("runtime.goexit@runtime/asm_amd64.s")
	httpFrames := []int{
		goexit,
		spec("net/http.(*conn).serve@net/http/server.go"),
		spec("net/http.serverHandler.ServeHTTP@net/http/server.go"),
		spec("net/http.(*ServeMux).ServeHTTP@net/http/server.go"),
		spec("github.com/acme/svc/internal/httpx.(*Middleware).Wrap.func1@/build/src/github.com/acme/svc/internal/httpx/middleware.go"),
		spec("net/http.HandlerFunc.ServeHTTP@net/http/server.go"),
	}
	workerFrames := []int{
		goexit,
		spec("github.com/acme/svc/internal/worker.(*Pool).run.func1@/build/src/github.com/acme/svc/internal/worker/pool.go"),
	}
	var inlinable []int
	for _, s := range inlinableStd {
		inlinable = append(inlinable, spec(s))
	}
	var tails [][]int
	for _, t := range tailTemplates {
		var fs []int
		for _, s := range t {
			fs = append(fs, spec(s))
		}
		tails = append(tails, fs)
	}
	var gcs [][]int
	for _, t := range gcTemplates {
		var fs []int
		for _, s := range t {
			fs = append(fs, spec(s))
		}
		gcs = append(gcs, fs)
	}

	// The application call graph: levels 0..maxLevels-1, level 0 = handlers.
	const maxLevels = 58
	levels := make([][]int, maxLevels)
	nPkgs := *nFuncs / 40
	for i := 0; i < *nFuncs; i++ {
		// Level sizes shrink with depth so deep stacks still share frames.
		var lv int
		if i < maxLevels*4 {
			lv = i % maxLevels
		} else {
			lv = int(math.Min(float64(maxLevels-1), math.Abs(r.NormFloat64())*18))
		}
		pkg := r.Intn(nPkgs)
		layer := layers[pkg%len(layers)]
		path := fmt.Sprintf("github.com/acme/svc/internal/%s/pkg%d", layer, pkg)
		file := fmt.Sprintf("/build/src/%s/%s.go", path, strings.ToLower(nouns[r.Intn(len(nouns))]))
		var name string
		switch r.Intn(5) {
		case 0:
			name = fmt.Sprintf("%s.%s%s%d", path, verbs[r.Intn(len(verbs))], nouns[r.Intn(len(nouns))], i)
		case 1:
			name = fmt.Sprintf("%s.(*%s%d).%s.func%d", path, nouns[r.Intn(len(nouns))], i%97, verbs[r.Intn(len(verbs))], 1+r.Intn(3))
		default:
			name = fmt.Sprintf("%s.(*%s%d).%s%d", path, nouns[r.Intn(len(nouns))], i%97, verbs[r.Intn(len(verbs))], i)
		}
		f := g.fn(name, file, lv)
		levels[lv] = append(levels[lv], f)
	}
	// Application helpers that get inlined at some call sites (and called elsewhere).
	var appInlinable []int
	for _, lv := range levels {
		for _, f := range lv {
			if r.Intn(40) == 0 {
				appInlinable = append(appInlinable, f)
			}
		}
	}
	inlinePool := append(append([]int{}, inlinable...), appInlinable...)

	// Edges: each function calls 2..8 functions of the next level; callees are
	// drawn Zipf-ishly so some functions are shared utilities with many callers.
	levelZipf := make([]zipfTable, maxLevels)
	for lv := range levels {
		levelZipf[lv] = newZipf(len(levels[lv]), 0.9)
	}
	for lv := 0; lv < maxLevels-1; lv++ {
		next := levels[lv+1]
		for _, f := range levels[lv] {
			k := 2 + r.Intn(7)
			seen := map[int]bool{}
			for j := 0; j < k; j++ {
				c := next[levelZipf[lv+1].pick(r)]
				if seen[c] {
					continue
				}
				seen[c] = true
				var inl []int
				if r.Intn(100) < 15 {
					inl = append(inl, inlinePool[r.Intn(len(inlinePool))])
					if r.Intn(3) == 0 {
						inl = append([]int{inlinePool[r.Intn(len(inlinePool))]}, inl...)
					}
				}
				l := g.loc(f, inl...)
				g.funcs[f].callSites = append(g.funcs[f].callSites, l)
				g.funcs[f].callees = append(g.funcs[f].callees, c)
			}
		}
	}
	// Call sites inside the fixed/stdlib chains, one per (caller, callee) pair.
	stdCall := map[callKey]int{}
	callLoc := func(caller, callee int) int {
		k := callKey{caller, callee}
		if l, ok := stdCall[k]; ok {
			return l
		}
		var inl []int
		if callee == g.funcIdx["runtime.mallocgc"] && r.Intn(2) == 0 {
			inl = []int{g.funcIdx["runtime.nextFreeFast"]}
		}
		l := g.loc(caller, inl...)
		stdCall[k] = l
		return l
	}
	// App frames calling into a tail, one call site per (caller, tail) pair, lazily.
	handlerZipf := newZipf(len(levels[0]), 1.1)
	tailZipf := newZipf(len(tails), 0.8)
	gcZipf := newZipf(len(gcs), 1.0)
	calleeZipf := make([]zipfTable, 9)
	for k := 1; k <= 8; k++ {
		calleeZipf[k] = newZipf(k, 1.0)
	}
	// Label strings.
	sHandler, sTenant, sWorker := g.str("handler"), g.str("tenant"), g.str("worker")
	var sRoutes, sTenants, sWorkers []int64
	for _, s := range routes {
		sRoutes = append(sRoutes, g.str(s))
	}
	for i := 0; i < 400; i++ {
		sTenants = append(sTenants, g.str(fmt.Sprintf("tenant-%04d", i*37%10000)))
	}
	for _, s := range workers {
		sWorkers = append(sWorkers, g.str(s))
	}

	// -----------------------------------------------------------------------
	// Write the header, then stream the samples.
	fout, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthetic:", err)
		os.Exit(1)
	}
	bw := bufio.NewWriterSize(fout, 1<<20)
	// runtime/pprof uses BestSpeed too.
	zw, _ := gzip.NewWriterLevel(bw, gzip.BestSpeed)
	var e, s1, s2 enc
	flush := func() {
		if _, err := zw.Write(e.b); err != nil {
			fmt.Fprintln(os.Stderr, "synthetic:", err)
			os.Exit(1)
		}
		e.b = e.b[:0]
	}
	for _, t := range [][2]int64{{sSamples, sCount}, {sCPU, sNanos}} {
		e.msg(1, &s1, func(m *enc) { m.int(1, t[0]); m.int(2, t[1]) })
	}

	const period = 10_000_000
	seen := make(map[[2]uint64]struct{}, *nSamples)
	var stack []int // location indices, leaf first when written
	var ids []uint64
	var totalCount int64
	duplicates := 0
	for s := 0; s < *nSamples; s++ {
		var key [2]uint64
		for try := 0; ; try++ {
			stack = stack[:0]
			// Frames are built outermost first as (function, location) and reversed later.
			depth := 10 + int(math.Min(54, math.Abs(r.NormFloat64()*14)+float64(r.Intn(16))))
			if r.Intn(100) < 6 {
				// GC worker.
				t := gcs[gcZipf.pick(r)]
				n := 10 + r.Intn(len(t)-9)
				for i := 0; i < n; i++ {
					if i+1 < n {
						stack = append(stack, callLoc(t[i], t[i+1]))
					} else {
						stack = append(stack, g.selfLoc(t[i], 3, nil))
					}
				}
			} else {
				var outer []int
				if r.Intn(100) < 80 {
					outer = httpFrames
				} else {
					outer = workerFrames
				}
				var tail []int
				if r.Intn(100) < 55 {
					t := tails[tailZipf.pick(r)]
					tail = t[:1+r.Intn(len(t))]
				}
				walk := depth - len(outer) - len(tail)
				if walk < 1 {
					walk = 1
				}
				if walk > maxLevels {
					walk = maxLevels
				}
				f := levels[0][handlerZipf.pick(r)]
				for i := 0; i+1 < len(outer); i++ {
					stack = append(stack, callLoc(outer[i], outer[i+1]))
				}
				stack = append(stack, callLoc(outer[len(outer)-1], f))
				for i := 1; i < walk; i++ {
					fn := &g.funcs[f]
					if len(fn.callees) == 0 {
						break
					}
					j := calleeZipf[len(fn.callees)].pick(r)
					stack = append(stack, fn.callSites[j])
					f = fn.callees[j]
				}
				if len(tail) == 0 {
					stack = append(stack, g.selfLoc(f, 1+r.Intn(4), inlinePool))
				} else {
					stack = append(stack, callLoc(f, tail[0]))
					for i := 0; i+1 < len(tail); i++ {
						stack = append(stack, callLoc(tail[i], tail[i+1]))
					}
					stack = append(stack, g.selfLoc(tail[len(tail)-1], 4, nil))
				}
			}
			// 128-bit hash of the stack (two FNV-1a variants) for distinctness.
			h1, h2 := uint64(14695981039346656037), uint64(0x9e3779b97f4a7c15)
			for _, l := range stack {
				h1 = (h1 ^ uint64(l)) * 1099511628211
				h2 = (h2^uint64(l))*0xff51afd7ed558ccd + 0x2545f4914f6cdd1d
				h2 ^= h2 >> 29
			}
			key = [2]uint64{h1, h2}
			if _, dup := seen[key]; !dup || try >= 50 {
				if dup {
					duplicates++
				}
				break
			}
		}
		seen[key] = struct{}{}

		// Values: mostly 1 sample per stack, a long tail of hot ones.
		count := int64(1)
		switch u := r.Float64(); {
		case u < 0.62:
		case u < 0.97:
			count = 2 + int64(r.ExpFloat64()*3)
		case u < 0.999:
			count = 10 + int64(r.ExpFloat64()*40)
		default:
			count = 200 + int64(r.ExpFloat64()*2000)
		}
		totalCount += count

		ids = ids[:0]
		for i := len(stack) - 1; i >= 0; i-- {
			ids = append(ids, uint64(stack[i]+1))
		}
		e.msg(2, &s1, func(m *enc) {
			m.packed(1, ids)
			m.packed(2, []uint64{uint64(count), uint64(count * period)})
			if r.Intn(10) == 0 {
				if len(stack) > 0 && stack[0] == callLoc(httpFrames[0], httpFrames[1]) {
					rt := sRoutes[r.Intn(len(sRoutes))]
					m.msg(3, &s2, func(l *enc) { l.int(1, sHandler); l.int(2, rt) })
					if r.Intn(2) == 0 {
						tn := sTenants[r.Intn(len(sTenants))]
						m.msg(3, &s2, func(l *enc) { l.int(1, sTenant); l.int(2, tn) })
					}
				} else {
					w := sWorkers[r.Intn(len(sWorkers))]
					m.msg(3, &s2, func(l *enc) { l.int(1, sWorker); l.int(2, w) })
				}
			}
		})
		if len(e.b) > 1<<20 {
			flush()
		}
	}
	seen = nil

	// Mapping, locations, functions, string table, times, period.
	limit := (g.baseAddr + 0x10000) &^ 0xfff
	e.msg(3, &s1, func(m *enc) {
		m.uint(1, 1)
		m.uint(2, 0x400000)
		m.uint(3, limit)
		m.int(5, sBinary)
		m.int(6, sBuildID)
		m.bool(7, true)
		m.bool(8, true)
		m.bool(9, true)
		m.bool(10, true)
	})
	for i, l := range g.locs {
		e.msg(4, &s1, func(m *enc) {
			m.uint(1, uint64(i+1))
			m.uint(2, 1)
			m.uint(3, l.addr)
			for _, ln := range l.lines {
				m.msg(4, &s2, func(x *enc) { x.uint(1, uint64(ln.fn+1)); x.int(2, ln.line) })
			}
		})
		if len(e.b) > 1<<20 {
			flush()
		}
	}
	for i, f := range g.funcs {
		e.msg(5, &s1, func(m *enc) {
			m.uint(1, uint64(i+1))
			m.int(2, f.name)
			m.int(3, f.name)
			m.int(4, f.file)
			m.int(5, f.startLine)
		})
		if len(e.b) > 1<<20 {
			flush()
		}
	}
	for _, s := range g.strings {
		e.bytes(6, []byte(s))
		if len(e.b) > 1<<20 {
			flush()
		}
	}
	const start = 1767262800_000000000 // 2026-01-01 10:20:00 UTC
	e.int(9, start)
	// As if the process ran on 16 busy cores.
	e.int(10, totalCount*period/16)
	e.msg(11, &s1, func(m *enc) { m.int(1, sCPU); m.int(2, sNanos) })
	e.int(12, period)
	e.int(14, sCPU)
	flush()
	if err := zw.Close(); err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = fout.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthetic:", err)
		os.Exit(1)
	}
	st, _ := os.Stat(*out)
	fmt.Fprintf(os.Stderr, "synthetic: wrote %s: %.1f MB, %d samples (%d repeated stacks), total count %d, %d locations, %d functions, %d strings\n",
		*out, float64(st.Size())/1e6, *nSamples, duplicates, totalCount, len(g.locs), len(g.funcs), len(g.strings))
}
