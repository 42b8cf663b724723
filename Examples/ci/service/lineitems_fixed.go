//go:build fixed

package main

import (
	"strconv"
	"sync"
)

// skuNames interns the SKU keys once.
var skuNames = func() []string {
	s := make([]string, 4096)
	for i := range s {
		s[i] = "sku-" + strconv.Itoa(i)
	}
	return s
}()

// mapPool hands out pre-sized maps that requests reuse.
var mapPool = sync.Pool{New: func() interface{} { return make(map[string]int, 64) }}

// buildLineItems counts the SKUs of an order in a pooled, pre-sized map with
// interned keys: no growth, no key allocation.
func buildLineItems(seed uint32, n int) map[string]int {
	m := mapPool.Get().(map[string]int)
	x := seed
	for i := 0; i < n; i++ {
		x = x*1664525 + 1013904223
		m[skuNames[x%4096]] += int(x>>24)%5 + 1
	}
	return m
}

// releaseLineItems empties the map and returns it to the pool.
func releaseLineItems(m map[string]int) {
	clear(m)
	mapPool.Put(m)
}
