//go:build !fixed

package main

import "strconv"

// buildLineItems counts the SKUs of an order.
//
// The regression: a fresh, un-sized map and freshly built keys for every
// request, so each request grows its map from scratch (hashing, growing,
// rehashing) and allocates every key.
func buildLineItems(seed uint32, n int) map[string]int {
	m := make(map[string]int)
	x := seed
	for i := 0; i < n; i++ {
		x = x*1664525 + 1013904223
		m["sku-"+strconv.Itoa(int(x%4096))] += int(x>>24)%5 + 1
	}
	return m
}

// releaseLineItems is a no-op: the map is garbage after the request.
func releaseLineItems(m map[string]int) {}
