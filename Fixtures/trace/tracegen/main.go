// tracegen writes small Go execution traces (runtime/trace) whose contents are known:
// each mode exercises one thing the trace readers must get right. Used by
// Fixtures/trace/make-traces.sh; nothing here runs at test time.
//
//	tracegen -mode gc|mutex|chan|http|file|tasks|slowtask|fasttask|big -o trace.out
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

var sink map[int][]byte

// gcChurn builds and drops maps so that the GC runs several cycles (stop-the-world pauses).
func gcChurn(rounds int) {
	for r := 0; r < rounds; r++ {
		m := make(map[int][]byte)
		for i := 0; i < 20000; i++ {
			m[i] = make([]byte, 64)
		}
		sink = m
	}
}

// mutexContention has goroutines fight over one lock (sync blocking).
func mutexContention() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	n := 0
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				mu.Lock()
				for k := 0; k < 200; k++ {
					n += k
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// channelBlocking passes values through unbuffered channels and a select (chan blocking).
func channelBlocking() {
	ch := make(chan int)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case v := <-ch:
					_ = v
					time.Sleep(50 * time.Microsecond)
				case <-done:
					return
				}
			}
		}()
	}
	for i := 0; i < 400; i++ {
		ch <- i
		if i%2 == 0 {
			// Workers go idle and park in their select.
			time.Sleep(100 * time.Microsecond)
		}
	}
	close(done)
	wg.Wait()
}

// pingPong has pairs of goroutines hand a value back and forth on unbuffered channels:
// every hand-off is a block, an unblock and a start.
func pingPong(pairs, rounds int) {
	var wg sync.WaitGroup
	for p := 0; p < pairs; p++ {
		a, b := make(chan int), make(chan int)
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				a <- i
				<-b
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				<-a
				b <- i
			}
		}()
	}
	wg.Wait()
}

// loopbackHTTP serves and fetches over 127.0.0.1 (network blocking).
func loopbackHTTP() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Microsecond)
		fmt.Fprintf(w, "hello %s", r.URL.Path)
	})}
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String() + "/x"
	for i := 0; i < 100; i++ {
		resp, err := http.Get(url)
		if err != nil {
			panic(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	srv.Close()
}

// fileSyscalls writes, syncs and reads files (syscalls).
func fileSyscalls() {
	dir, err := os.MkdirTemp("", "tracegen")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	buf := make([]byte, 64<<10)
	for i := 0; i < 40; i++ {
		p := filepath.Join(dir, fmt.Sprint(i))
		f, err := os.Create(p)
		if err != nil {
			panic(err)
		}
		f.Write(buf)
		f.Sync()
		f.Close()
		if _, err := os.ReadFile(p); err != nil {
			panic(err)
		}
	}
}

// tasks runs user tasks with regions; `slow` makes every 10th "request" task sleep 30 ms
// (the gate's regression), otherwise all are quick. With 200 tasks the p99 is the 3rd
// slowest, so one scheduling hiccup does not decide it.
func tasks(n int, slow bool) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, task := trace.NewTask(ctx, "request")
			defer task.End()
			trace.WithRegion(c, "parse", func() { time.Sleep(100 * time.Microsecond) })
			trace.WithRegion(c, "work", func() {
				d := 300 * time.Microsecond
				if slow && i%10 == 9 {
					d = 30 * time.Millisecond
				}
				time.Sleep(d)
			})
			trace.Log(c, "i", fmt.Sprint(i))
		}(i)
		if i%8 == 7 {
			wg.Wait()
		}
	}
	wg.Wait()
	_, bg := trace.NewTask(ctx, "batch")
	gcChurn(2)
	bg.End()
}

func main() {
	mode := flag.String("mode", "gc", "what to exercise")
	out := flag.String("o", "trace.out", "trace file")
	seconds := flag.Int("seconds", 10, "big mode: how long to run")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		panic(err)
	}
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	switch *mode {
	case "gc":
		gcChurn(8)
		runtime.GC()
	case "mutex":
		mutexContention()
	case "chan":
		channelBlocking()
	case "http":
		loopbackHTTP()
	case "file":
		fileSyscalls()
	case "tasks":
		tasks(200, false)
	case "slowtask":
		tasks(200, true)
	case "fasttask":
		tasks(200, false)
	case "big":
		// Dense scheduling work without sleeps, over and over: the large trace for the
		// speed benchmark (Benchmarks/trace.sh).
		end := time.Now().Add(time.Duration(*seconds) * time.Second)
		for time.Now().Before(end) {
			gcChurn(1)
			mutexContention()
			pingPong(8, 2000)
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", *mode)
		os.Exit(2)
	}
	trace.Stop()
	f.Close()
}
