// Allocates, blocks and contends, then writes the legacy text form (debug=1) of each
// runtime profile — the inputs Flamegate reads as `go tool pprof` does (make.sh runs it).
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var sink [][]byte

func alloc() {
	for i := 0; i < 2000; i++ {
		sink = append(sink, make([]byte, 4096))
	}
}

// park blocks until release is closed, so the goroutine profile holds more than main.
func park(release chan struct{}, wg *sync.WaitGroup) {
	wg.Done()
	<-release
}

func main() {
	// Sampled, not every allocation: pprof must unsample the heap records (heap/N).
	runtime.MemProfileRate = 16384
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)
	alloc()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				mu.Lock()
				time.Sleep(10 * time.Microsecond)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	runtime.GC()
	release := make(chan struct{})
	var parked sync.WaitGroup
	for i := 0; i < 3; i++ {
		parked.Add(1)
		go park(release, &parked)
	}
	parked.Wait()
	for _, name := range []string{"heap", "allocs", "block", "mutex", "goroutine", "threadcreate"} {
		f, _ := os.Create(name + ".debug1.txt")
		pprof.Lookup(name).WriteTo(f, 1)
		f.Close()
	}
	close(release)
}
