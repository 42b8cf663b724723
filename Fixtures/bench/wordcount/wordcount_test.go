package wordcount

import (
	"sort"
	"testing"
	"time"
)

var sink int

func BenchmarkCount(b *testing.B) {
	b.ReportAllocs()
	var c Counter
	for i := 0; i < b.N; i++ {
		sink += c.Count(Text)
	}
}

func BenchmarkSum(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += Sum(Text)
	}
}

// BenchmarkLatency reports custom metrics: the 99th percentile of per-call
// latency (p99-ns) and throughput (items/s), as b.ReportMetric does.
func BenchmarkLatency(b *testing.B) {
	b.ReportAllocs()
	var c Counter
	lat := make([]time.Duration, 0, b.N)
	start := time.Now()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		sink += c.Count(Text[:200])
		lat = append(lat, time.Since(t0))
	}
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*99/100]), "p99-ns")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "items/s")
}

// BenchmarkLogging logs, so its results interleave with log output.
func BenchmarkLogging(b *testing.B) {
	b.Logf("warming up with N=%d", b.N)
	for i := 0; i < b.N; i++ {
		sink += Sum(Text[:64])
	}
}
