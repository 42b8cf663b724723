// Command regexcases writes what Go's regexp answers for Flamegate's regex tests.
//
//	go run main.go cases.txt   > go-regexp.tsv   (pattern, input, 1/0 or "error: …")
//	go run main.go -unicode    > go-unicode.txt  (fold orbits, categories, scripts)
//
// cases.txt: one pattern per line, then TAB-separated inputs; a line "@inputs<TAB>…" sets
// inputs tried against every pattern after it; "#" starts a comment line. Fields are
// percent-escaped (%25 for %, %09 tab, %0A newline, %XX any control character); the TSV
// escapes the same way. See make.sh.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || c < 0x20 || c == 0x7F {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func cases(path string) {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	fmt.Fprintf(out, "# Go %s regexp.MatchString; made by Fixtures/regex/make.sh from Fixtures/regex/cases.txt\n", runtime.Version())
	var shared []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if fields[0] == "@inputs" {
			shared = nil
			for _, in := range fields[1:] {
				shared = append(shared, unescape(in))
			}
			continue
		}
		pattern := unescape(fields[0])
		re, err := regexp.Compile(pattern)
		if err != nil {
			fmt.Fprintf(out, "%s\t\terror: %s\n", escape(pattern), escape(err.Error()))
			continue
		}
		inputs := append([]string{}, shared...)
		for _, in := range fields[1:] {
			inputs = append(inputs, unescape(in))
		}
		for _, in := range inputs {
			m := "0"
			if re.MatchString(in) {
				m = "1"
			}
			fmt.Fprintf(out, "%s\t%s\t%s\n", escape(pattern), escape(in), m)
		}
	}
}

// tables writes Go's Unicode data as the regex engine sees it: simple case folding
// orbits ("fold A B …"), general categories as ranges ("cat Lu 41-5A …"), and scripts
// ("script Greek 370-373 …"), all in hex.
func tables() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	fmt.Fprintf(out, "# Go %s, Unicode %s; made by Fixtures/regex/make.sh\n", runtime.Version(), unicode.Version)
	seen := map[rune]bool{}
	for c := rune(0); c <= unicode.MaxRune; c++ {
		if seen[c] || unicode.SimpleFold(c) == c {
			continue
		}
		orbit := []rune{c}
		seen[c] = true
		for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
			orbit = append(orbit, f)
			seen[f] = true
		}
		sort.Slice(orbit, func(i, j int) bool { return orbit[i] < orbit[j] })
		fmt.Fprint(out, "fold")
		for _, r := range orbit {
			fmt.Fprintf(out, " %X", r)
		}
		fmt.Fprintln(out)
	}
	ranges := func(kind, name string, t *unicode.RangeTable) {
		fmt.Fprintf(out, "%s %s", kind, name)
		in := false
		start := rune(0)
		for c := rune(0); c <= unicode.MaxRune+1; c++ {
			is := c <= unicode.MaxRune && unicode.Is(t, c)
			if is && !in {
				start, in = c, true
			}
			if !is && in {
				fmt.Fprintf(out, " %X-%X", start, c-1)
				in = false
			}
		}
		fmt.Fprintln(out)
	}
	var names []string
	for n := range unicode.Categories {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ranges("cat", n, unicode.Categories[n])
	}
	names = names[:0]
	for n := range unicode.Scripts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ranges("script", n, unicode.Scripts[n])
	}
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-unicode" {
		tables()
		return
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run main.go cases.txt | -unicode")
		os.Exit(2)
	}
	cases(os.Args[1])
}
