// Command service is the worked example of `flamegate gate` (Examples/ci): a
// small stdlib-only HTTP service whose /pay handler counts the line items of an
// order in a map. Two builds of it exist:
//
//	go build .              the regression: a fresh, un-sized map per request
//	go build -tags fixed .  the fix (and main before the regression): a pooled,
//	                        pre-sized map with interned keys
//
// Usage:
//
//	service [-addr 127.0.0.1:8080]                        # serve /pay
//	service -cpuprofile cpu.pb.gz [-duration 5s]          # drive /pay in-process while profiling
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"sync"
	"time"
)

type lineItem struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

type receipt struct {
	Customer string     `json:"customer"`
	Lines    int        `json:"lines"`
	Units    int        `json:"units"`
	Amount   int64      `json:"amount_cents"`
	Items    []lineItem `json:"items,omitempty"`
}

func hashString(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func payHandler(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	customer := q.Get("customer")
	n, _ := strconv.Atoi(q.Get("items"))
	if n <= 0 || n > 4096 {
		n = 200
	}
	qty := buildLineItems(hashString(customer), n)
	items := make([]lineItem, 0, len(qty))
	units := 0
	var amount int64
	for sku, k := range qty {
		items = append(items, lineItem{sku, k})
		units += k
		amount += int64(k) * int64(100+len(sku)*7)
	}
	releaseLineItems(qty)
	sort.Slice(items, func(i, j int) bool { return items[i].SKU < items[j].SKU })
	rc := receipt{Customer: customer, Lines: len(items), Units: units, Amount: amount}
	if q.Get("detail") == "1" {
		rc.Items = items
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(rc)
}

// drive calls the handler in-process from GOMAXPROCS goroutines for d.
func drive(d time.Duration) int {
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for g := 0; g < runtime.GOMAXPROCS(0); g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			done := 0
			for i := 0; time.Now().Before(deadline); i++ {
				url := fmt.Sprintf("/pay?customer=c%d&items=%d", (g*7919+i)%1000, 100+(i*31)%200)
				rec := httptest.NewRecorder()
				payHandler(rec, httptest.NewRequest("GET", url, nil))
				done++
			}
			mu.Lock()
			total += done
			mu.Unlock()
		}(g)
	}
	wg.Wait()
	return total
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	cpuprofile := flag.String("cpuprofile", "", "drive /pay in-process for -duration and write a CPU profile here")
	duration := flag.Duration("duration", 5*time.Second, "how long to drive /pay with -cpuprofile")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		n := drive(*duration)
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d requests, profile in %s\n", n, *cpuprofile)
		return
	}
	http.HandleFunc("/pay", payHandler)
	log.Printf("listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
