// Allocates, blocks and contends, then writes the legacy text form (debug=1) of each
// runtime profile: the inputs Flamegate must recognise and never misread (make.sh runs it).
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

func main() {
	runtime.MemProfileRate = 1
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
	for _, name := range []string{"heap", "block", "mutex", "goroutine", "threadcreate"} {
		f, _ := os.Create(name + ".debug1.txt")
		pprof.Lookup(name).WriteTo(f, 1)
		f.Close()
	}
}
