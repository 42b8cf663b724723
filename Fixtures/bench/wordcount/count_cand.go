//go:build cand

package wordcount

import "strings"

// Counter counts words, reusing its map between calls.
type Counter struct{ m map[string]int }

// Count returns the number of distinct words; cand build: the map is reused.
func (c *Counter) Count(s string) int {
	if c.m == nil {
		c.m = make(map[string]int, 16)
	}
	for k := range c.m {
		delete(c.m, k)
	}
	for _, w := range strings.Fields(s) {
		c.m[w]++
	}
	return len(c.m)
}
