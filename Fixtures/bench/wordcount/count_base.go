//go:build !cand

package wordcount

import "strings"

// Counter counts words.
type Counter struct{}

// Count returns the number of distinct words; base build: a new map per call.
func (c *Counter) Count(s string) int {
	m := make(map[string]int)
	for _, w := range strings.Fields(s) {
		m[w]++
	}
	return len(m)
}
