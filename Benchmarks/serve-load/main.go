// serve-load drives `flamegate serve` with concurrent clients for a fixed time and prints
// latency percentiles and errors. Standard library only (builds offline).
//
//	serve-load -base http://127.0.0.1:8080 -c 50 -d 30s /api/top?si=cpu /api/flame?f=main …
//
// Every path is first requested once, one at a time (the cold figures: the server computes
// each view on its first request and then answers from its cache); then -c clients each
// loop over the paths, starting at a different one, until -d has passed. A response that is
// not 200, or whose body is empty or fails to read, is an error.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server URL")
	clients := flag.Int("c", 50, "concurrent clients")
	duration := flag.Duration("d", 30*time.Second, "how long to drive the load")
	flag.Parse()
	paths := flag.Args()
	if len(paths) == 0 {
		fmt.Fprintln(os.Stderr, "serve-load: give at least one path")
		os.Exit(2)
	}
	tr := &http.Transport{MaxIdleConns: *clients * 2, MaxIdleConnsPerHost: *clients * 2, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}

	get := func(p string) (time.Duration, int, error) {
		t0 := time.Now()
		resp, err := client.Get(*base + p)
		if err != nil {
			return time.Since(t0), 0, err
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if err != nil {
			return d, int(n), err
		}
		if resp.StatusCode != 200 {
			return d, int(n), fmt.Errorf("%s: status %d", p, resp.StatusCode)
		}
		if n == 0 {
			return d, 0, fmt.Errorf("%s: empty body", p)
		}
		return d, int(n), nil
	}

	fmt.Printf("cold (first request of each path, one at a time):\n")
	for _, p := range paths {
		d, n, err := get(p)
		if err != nil {
			fmt.Printf("  %-60s ERROR %v\n", p, err)
			os.Exit(1)
		}
		fmt.Printf("  %-60s %8.1f ms  %9d bytes\n", p, ms(d), n)
	}

	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	var firstErr error
	bytes := 0
	deadline := time.Now().Add(*duration)
	var wg sync.WaitGroup
	for c := 0; c < *clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			var mine []time.Duration
			myErrs, myBytes := 0, 0
			var myErr error
			for i := c; time.Now().Before(deadline); i++ {
				d, n, err := get(paths[i%len(paths)])
				mine = append(mine, d)
				myBytes += n
				if err != nil {
					myErrs++
					if myErr == nil {
						myErr = err
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += myErrs
			bytes += myBytes
			if firstErr == nil {
				firstErr = myErr
			}
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(q*float64(len(lat)-1))]
	}
	fmt.Printf("load: %d clients for %v over %d paths\n", *clients, *duration, len(paths))
	fmt.Printf("  requests %d (%.0f/s), %.1f MB read, errors %d\n", len(lat), float64(len(lat))/duration.Seconds(), float64(bytes)/1e6, errs)
	fmt.Printf("  latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", ms(pct(0.5)), ms(pct(0.9)), ms(pct(0.99)), ms(pct(1)))
	if errs > 0 {
		fmt.Printf("  first error: %v\n", firstErr)
		os.Exit(1)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
