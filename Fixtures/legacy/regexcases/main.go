// Writes Go's own regexp answers (FindSubmatchIndex) for the patterns pprof's legacy
// readers use, on lines mutated from real ones, so that Flamegate's matcher (LegacyRegex)
// is held to RE2's leftmost-first submatch semantics. Output, one case a line:
// NAME<TAB>hex(input)<TAB>start:end,... (-1:-1 for a group that took no part) or "nil".
//
//	go run main.go > ../../../Tests/Fixtures/legacy/regex-cases.tsv
package main

import (
	"encoding/hex"
	"fmt"
	"math/rand"
	"regexp"
	"strings"
)

var patterns = []struct {
	name, re string
	seeds    []string
}{
	{"countStart", `\A(\S+) profile: total \d+\z`, []string{"goroutine profile: total 12", "threadcreate profile: total 4"}},
	{"count", `\A(\d+) @(( 0x[0-9a-f]+)+)\z`, []string{"3 @ 0x47daea 0x41512e 0x4df3d4", "4 @ 0x0 0x0"}},
	{"heapHeader", `heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)/?(\d*)`,
		[]string{"heap profile: 434: 1822944 [437: 1881184] @ heap/32768", "heap profile:    144:  8498176 [   144:  8498176] @ heapz_v2/524288"}},
	{"growthHeader", `heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz?`, []string{"heap profile:     85: 178257920 [    85: 178257920] @ growthz"}},
	{"heapSample", `(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)`,
		[]string{"431: 1765376 [431: 1765376] @ 0x47c373 0x47f169 0x4defd7", "1:  2097152 [     1:  2097152] @ 0xb83003 0xb87d50"}},
	{"contentionSample", `(\d+) *(\d+) @([ x0-9a-f]*)`, []string{"1407027908 398 @ 0x4df458 0x4df46c 0x483981", "  19490304       27 @ 0xbccc97 0xc61202"}},
	{"threadzStart", `--- threadz \d+ ---`, []string{"--- threadz 1 ---"}},
	{"threadStart", `--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---`, []string{"--- Thread 7f794ab90940 (name: main/14748) stack: ---"}},
	{"procMaps", `^\s*(?:0x)?([[:xdigit:]]+)[\s-]?\s*(?:0x)?([[:xdigit:]]+):?(?:\s+([-rwxp]+))?(?:\s+([[:xdigit:]]+))?\s+[[:xdigit:]]+:[[:xdigit:]]+\s+[[:digit:]]+(?:\s+(\S+))?`,
		[]string{"7f5e5413f000-7f5e54157000 r-xp 00000000 00:00 11963       /lib/libpthread-2.15.so", "00400000-00fcb000 r-xp 00000000 08:01 1183 /home/x"}},
	{"briefMaps", `^\s*(?:0x)?([[:xdigit:]]+)[\s-]?\s*(?:0x)?([[:xdigit:]]+):?(?:\s+([-rwxp]+))?(?:\s+(\S+))?(?:\s+\(@([[:xdigit:]]+)\))?(?:\s+([[:xdigit:]]+))?`,
		[]string{"  00400000-00fcb000: cppbench_server_main", "  00400000-00fcb000: $bin (@0) 0123abcd", "0x400000 0x500000 r-x /x (@10) ab"}},
	{"logPrefix", `^[^\[\]]+:[0-9]+]\s`, []string{"I0101 00:00:00.000000  4242 profiledata.cc:88] bin=/srv/x"}},
	{"javaAttribute", `([\w ]+)=([\w ]+)`, []string{"sampling period = 100", "format = java", "ms since reset = 6019923"}},
	{"javaSample", ` *(\d+) +(\d+) +@ +([ x0-9a-f]*)`, []string{"7048     1 @ 0x00000003 0x00000004", "240     5 @ 0x00000097"}},
	{"javaSymbol", `^\s*0x([[:xdigit:]]+)\s+(.*)\s*$`, []string{"0x0000003 com.example.function03 (source.java:03)", " 0x00000011 GC"}},
	{"javaFileLine", `^(.*)\s+\((.+):(-?[[:digit:]]+)\)$`, []string{"com.example.function03 (source.java:03)", "a (b) (c:d:-1)"}},
	{"javaPath", `^(.*)\s+\((.*)\)$`, []string{"os::javaTimeNanos() (/lib/libjvm.so)", "f (x) (y)"}},
}

const alphabet = " \t0x9af-:[]@()/=_.$#Zz\\"

func mutate(r *rand.Rand, s string) string {
	b := []byte(s)
	for n := r.Intn(4); n >= 0; n-- {
		if len(b) == 0 {
			b = append(b, alphabet[r.Intn(len(alphabet))])
			continue
		}
		i := r.Intn(len(b))
		switch r.Intn(5) {
		case 0: // delete
			b = append(b[:i:i], b[i+1:]...)
		case 1: // insert
			b = append(b[:i:i], append([]byte{alphabet[r.Intn(len(alphabet))]}, b[i:]...)...)
		case 2: // replace
			b[i] = alphabet[r.Intn(len(alphabet))]
		case 3: // repeat a piece
			j := i + r.Intn(len(b)-i)
			b = append(b[:j:j], append(append([]byte{}, b[i:j]...), b[j:]...)...)
		default: // cut
			b = b[:i]
		}
	}
	return string(b)
}

func main() {
	r := rand.New(rand.NewSource(15))
	for _, p := range patterns {
		re := regexp.MustCompile(p.re)
		inputs := append([]string{}, p.seeds...)
		for len(inputs) < 40 {
			inputs = append(inputs, mutate(r, p.seeds[r.Intn(len(p.seeds))]))
		}
		for _, in := range inputs {
			m := re.FindStringSubmatchIndex(in)
			out := "nil"
			if m != nil {
				var parts []string
				for k := 0; k < len(m); k += 2 {
					parts = append(parts, fmt.Sprintf("%d:%d", m[k], m[k+1]))
				}
				out = strings.Join(parts, ",")
			}
			fmt.Printf("%s\t%s\t%s\n", p.name, hex.EncodeToString([]byte(in)), out)
		}
	}
}
