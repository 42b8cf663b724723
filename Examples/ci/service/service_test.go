package main

import (
	"net/http/httptest"
	"testing"
)

var sink int

// BenchmarkMapassign measures building one order's line-item map (16 items):
// map assignment is most of it.
func BenchmarkMapassign(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m := buildLineItems(uint32(i), 16)
		sink += len(m)
		releaseLineItems(m)
	}
}

// BenchmarkPay measures the whole /pay handler for a 150-item order.
func BenchmarkPay(b *testing.B) {
	b.ReportAllocs()
	req := httptest.NewRequest("GET", "/pay?customer=c42&items=150", nil)
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		payHandler(rec, req)
		sink += rec.Body.Len()
	}
}

func TestPay(t *testing.T) {
	rec := httptest.NewRecorder()
	payHandler(rec, httptest.NewRequest("GET", "/pay?customer=c1&items=10", nil))
	if rec.Code != 200 || rec.Body.Len() == 0 {
		t.Fatalf("status %d, body %q", rec.Code, rec.Body.String())
	}
}
