// Package wordcount is a tiny benchmark subject for Flamegate's `bench compare`
// fixtures. The same benchmarks run against two builds: the default ("base")
// allocates a fresh map on every call, `-tags cand` reuses one map.
package wordcount

import "strings"

// Text is the input the benchmarks count.
var Text = strings.Repeat("the quick brown fox jumps over the lazy dog and the cat ", 40)

// Sum adds the bytes of s; it is the same in both builds (a "~" row).
func Sum(s string) int {
	t := 0
	for i := 0; i < len(s); i++ {
		t += int(s[i])
	}
	return t
}
