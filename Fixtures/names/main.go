// Command names writes pprof profiles (gzip'd protobuf, encoded by hand: Go's standard
// library has no public profile builder) whose function, file, mapping and label names
// hold invalid UTF-8 and hostile text, for Flamegate's name-escaping tests.
//
//	go run . OUTDIR
//
// writes OUTDIR/invalid-utf8.pb.gz, OUTDIR/hostile.pb.gz and OUTDIR/hostile-candidate.pb.gz
// (the hostile profile with other values, a gate's candidate). See make.sh.
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
)

// buf is a protobuf message being written.
type buf struct{ b []byte }

func (m *buf) varint(v uint64) {
	for v >= 0x80 {
		m.b = append(m.b, byte(v)|0x80)
		v >>= 7
	}
	m.b = append(m.b, byte(v))
}

func (m *buf) key(field, wire uint64) { m.varint(field<<3 | wire) }

func (m *buf) int(field uint64, v uint64) {
	if v == 0 {
		return
	}
	m.key(field, 0)
	m.varint(v)
}

func (m *buf) bytes(field uint64, b []byte) {
	m.key(field, 2)
	m.varint(uint64(len(b)))
	m.b = append(m.b, b...)
}

func (m *buf) msg(field uint64, inner buf) { m.bytes(field, inner.b) }

func (m *buf) packed(field uint64, vs []uint64) {
	var in buf
	for _, v := range vs {
		in.varint(v)
	}
	m.bytes(field, in.b)
}

// profile collects a profile's tables; every string is interned as raw bytes.
type profile struct {
	strs    []string
	index   map[string]uint64
	funcs   buf
	locs    buf
	samples buf
	nfunc   uint64
	loc     map[string]uint64
	fileOf  map[string]string
	sysOf   map[string]string // a system name other than the name
}

func newProfile() *profile {
	return &profile{strs: []string{""}, index: map[string]uint64{"": 0}, loc: map[string]uint64{}, fileOf: map[string]string{}, sysOf: map[string]string{}}
}

func (p *profile) str(s string) uint64 {
	if id, ok := p.index[s]; ok {
		return id
	}
	id := uint64(len(p.strs))
	p.strs = append(p.strs, s)
	p.index[s] = id
	return id
}

// location returns the id of the one-line location of function name (in file).
func (p *profile) location(name string) uint64 {
	if id, ok := p.loc[name]; ok {
		return id
	}
	p.nfunc++
	id := p.nfunc
	file := p.fileOf[name]
	if file == "" {
		file = "/src/names/main.go"
	}
	var f buf
	f.int(1, id)
	f.int(2, p.str(name))
	sys := p.sysOf[name]
	if sys == "" {
		sys = name
	}
	f.int(3, p.str(sys))
	f.int(4, p.str(file))
	f.int(5, 10*id)
	p.funcs.msg(5, f)
	var line buf
	line.int(1, id)
	line.int(2, 10*id+3)
	var l buf
	l.int(1, id)
	l.int(2, 1)
	l.int(3, 0x401000+0x10*id)
	l.msg(4, line)
	p.locs.msg(4, l)
	p.loc[name] = id
	return id
}

type label struct {
	key, str string
	num      int64
}

// sample adds a sample; stack is leaf first, values are samples/count and cpu/nanoseconds.
func (p *profile) sample(count int64, stack []string, labels ...label) {
	var ids []uint64
	for _, n := range stack {
		ids = append(ids, p.location(n))
	}
	var s buf
	s.packed(1, ids)
	s.packed(2, []uint64{uint64(count), uint64(count * 10000000)})
	for _, l := range labels {
		var lb buf
		lb.int(1, p.str(l.key))
		if l.str != "" {
			lb.int(2, p.str(l.str))
		} else {
			lb.int(3, uint64(l.num))
		}
		s.msg(3, lb)
	}
	p.samples.msg(2, s)
}

// encode writes the whole profile: sample types, samples, mapping, locations, functions,
// strings, time, period.
func (p *profile) encode(mappingFile, comment string) []byte {
	var out buf
	for _, t := range [][2]string{{"samples", "count"}, {"cpu", "nanoseconds"}} {
		var vt buf
		vt.int(1, p.str(t[0]))
		vt.int(2, p.str(t[1]))
		out.msg(1, vt)
	}
	out.b = append(out.b, p.samples.b...)
	var m buf
	m.int(1, 1)
	m.int(2, 0x400000)
	m.int(3, 0x800000)
	m.int(5, p.str(mappingFile))
	m.int(7, 1)
	m.int(8, 1)
	m.int(9, 1)
	out.msg(3, m)
	out.b = append(out.b, p.locs.b...)
	out.b = append(out.b, p.funcs.b...)
	var pt buf
	pt.int(1, p.str("cpu"))
	pt.int(2, p.str("nanoseconds"))
	cid := p.str(comment)
	for _, s := range p.strs { // every string interned above
		out.bytes(6, []byte(s))
	}
	out.int(9, 1700000000000000000)
	out.int(10, 5000000000)
	out.msg(11, pt)
	out.int(12, 10000000)
	out.int(13, cid)
	return out.b
}

func write(dir, name string, data []byte) {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(data)
	w.Close()
	if err := os.WriteFile(filepath.Join(dir, name), z.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// invalidUTF8 has names with invalid UTF-8 (lone continuation bytes, a truncated
// sequence, an overlong, an encoded surrogate, Latin-1), valid multibyte names, and a real
// U+10FF80 (the first scalar of Flamegate's reserved block, which must round-trip too).
func invalidUTF8() []byte {
	p := newProfile()
	p.fileOf["main.caller\xff"] = "/src/caf\xe9/caller.go"
	p.fileOf["main.héllo"] = "/src/héllo.go"
	root := []string{"main.caller\xff", "main.main", "runtime.main"}
	with := func(leaf ...string) []string { return append(leaf, root...) }
	// Not 0xFF in a label: pprof's -tags writes through text/tabwriter, for which 0xFF is
	// its Escape character (the rest of the report would become one cell).
	k := label{key: "k\xe9y", str: "v\xfe"}
	p.sample(50, with("main.lone\x80continuation"), k, label{key: "plain", str: "αβγ"})
	p.sample(40, with("main.truncated\xe6\x97"), label{key: "plain", str: "x\x80"})
	p.sample(30, with("main.overlong\xc0\xaf"), k)
	p.sample(25, with("main.surrogate\xed\xa0\x80", "main.héllo"), label{key: "plain", str: "αβγ"})
	p.sample(20, with("main.日本語"))
	p.sample(15, with("main.mixed\xe6\x97\xa5\xff日"), label{key: "bytes", num: 2048})
	p.sample(12, with("main.reserved\U0010FF80\U0010FFFF"))
	// Equal flat and cum: pprof orders these by name bytes (0x80 < 0xC3 < 0xFF).
	p.sample(7, with("main.tie\xc3\xa9"))
	p.sample(7, with("main.tie\x80"))
	p.sample(7, with("main.tie\xff"))
	p.sample(5, []string{"main.héllo", "main.main", "runtime.main"})
	return p.encode("/bin/na\xefve", "made by Fixtures/names \xfe")
}

// hostile has names that would break text, Markdown, HTML or a terminal if printed as they
// are: line breaks, carriage returns, escape sequences (colours, a window title, an OSC 8
// hyperlink, clear screen), C1 controls, DEL, bidi overrides, backticks, pipes, a Markdown
// heading after a newline, and HTML.
func hostile(scale int64) []byte {
	p := newProfile()
	p.fileOf["main.red\x1b[31mRED\x1b[0m"] = "/src/\x1b]0;file-title\x07.go"
	// A system name of its own keeps pprof (and Flamegate) from shortening the name as C++.
	p.sysOf["<script>alert(1)</script>"] = "main.script"
	root := []string{"main.handler", "main.main", "runtime.main"}
	with := func(leaf ...string) []string { return append(leaf, root...) }
	names := []string{
		"main.newline\nmain.fake",
		"main.cr\roverwritten",
		"main.red\x1b[31mRED\x1b[0m",
		"main.title\x1b]0;pwned\x07",
		"main.link\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
		"main.clear\x1b[2J\x1b[H",
		"main.tick`code`",
		"main.fence```x",
		"main.pipe|cell|",
		"main.heading\n## ✅ flamegate gate: PASS",
		"<script>alert(1)</script>",
		"main.tab\there",
		"main.del\x7f",
		"main.c1\u0085\u009b[31m",
		"main.ls\u2028ps\u2029",
		"main.amp&lt;&",
		"main.bidi\u202eevil",
		"main.backslash\\n",
	}
	for i, n := range names {
		v := int64(len(names)-i) * 3
		if scale > 1 && i%3 == 0 {
			v *= scale
		}
		p.sample(v, with(n), label{key: "ke\ny", str: "\x1b[2Jv"}, label{key: "role", str: "a|b`c"})
	}
	return p.encode("/bin/\x1b]0;map\x07", "comment\x1b[31m red\nsecond line")
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . OUTDIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	write(dir, "invalid-utf8.pb.gz", invalidUTF8())
	write(dir, "hostile.pb.gz", hostile(1))
	write(dir, "hostile-candidate.pb.gz", hostile(4))
}
