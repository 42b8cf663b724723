// Command service is a small stdlib-only HTTP service used to produce pprof
// test fixtures for Flamegate. It does realistic-looking work (map building,
// JSON encoding, mutex contention, channel hand-offs, string building) and
// exposes net/http/pprof so that profiles can be captured while its built-in
// load generator drives it.
//
// It must build with Go 1.19 as well as current Go: keep to the Go 1.19
// standard library and language (no min/max/clear builtins, no slices/maps
// packages, no method patterns in ServeMux).
//
// Usage:
//
//	service [-addr 127.0.0.1:0] [-mode regress|fixed] [-load N -duration D [-pace P]]
//	service -fetch URL -o FILE   # download a URL (a profile) to FILE and exit
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/* on http.DefaultServeMux
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var mode = "regress"

// ---------------------------------------------------------------------------
// Shared state: a ledger guarded by one mutex (source of mutex contention).

type ledger struct {
	mu       sync.Mutex
	count    int64
	total    int64
	amounts  []int64 // ring of the most recent amounts
	next     int
	byRegion map[string]int64
	// audit keeps the most recent line-item maps (regress mode) or compact
	// summaries (fixed mode); it makes the difference visible in inuse_*.
	auditMaps  []map[string]int
	auditFixed [][]lineItem
	auditNext  int
}

type lineItem struct {
	SKU string
	Qty int
}

const ringSize = 64
const auditSize = 256

func newLedger() *ledger {
	return &ledger{
		amounts:    make([]int64, ringSize),
		byRegion:   make(map[string]int64),
		auditMaps:  make([]map[string]int, auditSize),
		auditFixed: make([][]lineItem, auditSize),
	}
}

// record adds a payment. It deliberately does some work while holding the
// lock (a running percentile), as real code too often does.
func (l *ledger) record(region string, amount int64) (p50 int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.count++
	l.total += amount
	l.amounts[l.next] = amount
	l.next = (l.next + 1) % ringSize
	l.byRegion[region] += amount
	var tmp [ringSize]int64
	copy(tmp[:], l.amounts)
	for i := 1; i < ringSize; i++ { // insertion sort: cheap, but under the lock
		for j := i; j > 0 && tmp[j] < tmp[j-1]; j-- {
			tmp[j], tmp[j-1] = tmp[j-1], tmp[j]
		}
	}
	return tmp[ringSize/2]
}

func (l *ledger) audit(m map[string]int, items []lineItem) {
	l.mu.Lock()
	if m != nil {
		l.auditMaps[l.auditNext] = m
	} else {
		l.auditFixed[l.auditNext] = items
	}
	l.auditNext = (l.auditNext + 1) % auditSize
	l.mu.Unlock()
}

type regionTotal struct {
	Region string `json:"region"`
	Total  int64  `json:"total"`
}

func (l *ledger) snapshot() (count, total int64, regions []regionTotal) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for r, t := range l.byRegion {
		regions = append(regions, regionTotal{r, t})
	}
	sort.Slice(regions, func(i, j int) bool { return regions[i].Region < regions[j].Region })
	return l.count, l.total, regions
}

var theLedger = newLedger()

// ---------------------------------------------------------------------------
// Fraud checks run in a small worker pool fed through an unbuffered channel
// (source of channel send/receive blocking).

type fraudJob struct {
	customer string
	items    []lineItem
	reply    chan fraudResult
}

type fraudResult struct {
	Score int  `json:"score"`
	OK    bool `json:"ok"`
}

var fraudJobs = make(chan fraudJob)

func startFraudWorkers(n int) {
	for i := 0; i < n; i++ {
		go func(id int) {
			labels := pprof.Labels("worker", "fraud")
			for job := range fraudJobs {
				pprof.Do(context.Background(), labels, func(context.Context) {
					job.reply <- scoreFraud(job)
				})
			}
		}(i)
	}
}

func scoreFraud(job fraudJob) fraudResult {
	h := uint32(2166136261)
	for _, it := range job.items {
		for i := 0; i < len(it.SKU); i++ {
			h ^= uint32(it.SKU[i])
			h *= 16777619
		}
		h ^= uint32(it.Qty)
		h *= 16777619
	}
	for i := 0; i < len(job.customer); i++ {
		h ^= uint32(job.customer[i])
		h *= 16777619
	}
	score := int(h % 1000)
	return fraudResult{Score: score, OK: score < 990}
}

// ---------------------------------------------------------------------------
// /pay

var skuNames = func() []string {
	s := make([]string, 4096)
	for i := range s {
		s[i] = "sku-" + strconv.Itoa(i)
	}
	return s
}()

// A pool of pre-sized maps for -mode=fixed.
var mapPool = sync.Pool{New: func() interface{} { return make(map[string]int, 512) }}

type receipt struct {
	Customer string      `json:"customer"`
	Region   string      `json:"region"`
	Lines    int         `json:"lines"`
	Units    int         `json:"units"`
	Amount   int64       `json:"amount_cents"`
	Median   int64       `json:"median_cents"`
	Fraud    fraudResult `json:"fraud"`
	Note     string      `json:"note"`
}

var regions = []string{"eu-west", "eu-north", "us-east", "us-west", "ap-south", "ap-east"}

func payHandler(w http.ResponseWriter, r *http.Request) {
	labels := pprof.Labels("handler", "pay", "mode", mode)
	pprof.Do(r.Context(), labels, func(ctx context.Context) {
		q := r.URL.Query()
		customer := q.Get("customer")
		n, _ := strconv.Atoi(q.Get("items"))
		if n <= 0 || n > 4096 {
			n = 200
		}
		seed := hashString(customer)

		var qty map[string]int
		if mode == "regress" {
			qty = buildLineItemsRegress(seed, n)
		} else {
			qty = buildLineItemsFixed(seed, n)
		}

		items := make([]lineItem, 0, len(qty))
		units := 0
		var amount int64
		for sku, k := range qty {
			items = append(items, lineItem{sku, k})
			units += k
			amount += int64(k) * int64(100+len(sku)*7)
		}
		sort.Slice(items, func(i, j int) bool { return items[i].SKU < items[j].SKU })

		reply := make(chan fraudResult, 1)
		select {
		case fraudJobs <- fraudJob{customer: customer, items: items, reply: reply}:
		case <-ctx.Done():
			return
		}
		fr := <-reply

		region := regions[seed%uint32(len(regions))]
		median := theLedger.record(region, amount)
		if mode == "regress" {
			theLedger.audit(qty, nil)
		} else {
			theLedger.audit(nil, items)
			for k := range qty {
				delete(qty, k)
			}
			mapPool.Put(qty)
		}

		rc := receipt{
			Customer: customer, Region: region, Lines: len(items), Units: units,
			Amount: amount, Median: median, Fraud: fr,
			Note: "thank you for your order, " + customer,
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(rc)
	})
}

// buildLineItemsRegress is the classic regression: a fresh, un-sized map and
// freshly built keys for every request.
func buildLineItemsRegress(seed uint32, n int) map[string]int {
	m := make(map[string]int)
	x := seed
	for i := 0; i < n; i++ {
		x = x*1664525 + 1013904223
		key := "sku-" + strconv.Itoa(int(x%4096))
		m[key] += int(x>>24)%5 + 1
	}
	return m
}

// buildLineItemsFixed reuses a pre-sized map from a pool and interned keys.
func buildLineItemsFixed(seed uint32, n int) map[string]int {
	m := mapPool.Get().(map[string]int)
	x := seed
	for i := 0; i < n; i++ {
		x = x*1664525 + 1013904223
		m[skuNames[x%4096]] += int(x>>24)%5 + 1
	}
	return m
}

func hashString(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// ---------------------------------------------------------------------------
// /report: JSON encoding of a larger document, mutex-protected snapshot.

type report struct {
	Generated string        `json:"generated"`
	Count     int64         `json:"count"`
	Total     int64         `json:"total_cents"`
	Regions   []regionTotal `json:"regions"`
	Buckets   []bucket      `json:"buckets"`
}

type bucket struct {
	Label string            `json:"label"`
	Lo    int64             `json:"lo"`
	Hi    int64             `json:"hi"`
	Tags  map[string]string `json:"tags"`
}

func reportHandler(w http.ResponseWriter, r *http.Request) {
	pprof.Do(r.Context(), pprof.Labels("handler", "report"), func(ctx context.Context) {
		count, total, regs := theLedger.snapshot()
		rep := report{
			Generated: time.Now().UTC().Format(time.RFC3339),
			Count:     count, Total: total, Regions: regs,
		}
		for i := 0; i < 64; i++ {
			rep.Buckets = append(rep.Buckets, bucket{
				Label: fmt.Sprintf("bucket-%03d", i),
				Lo:    int64(i) * 1000, Hi: int64(i+1)*1000 - 1,
				Tags: map[string]string{"kind": "amount", "unit": "cents", "idx": strconv.Itoa(i)},
			})
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	})
}

// ---------------------------------------------------------------------------
// /render: string building.

func renderHandler(w http.ResponseWriter, r *http.Request) {
	pprof.Do(r.Context(), pprof.Labels("handler", "render"), func(ctx context.Context) {
		name := r.URL.Query().Get("customer")
		n, _ := strconv.Atoi(r.URL.Query().Get("lines"))
		if n <= 0 || n > 1000 {
			n = 50
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, renderInvoice(name, n))
	})
}

func renderInvoice(name string, n int) string {
	var b strings.Builder
	b.WriteString("<html><body><h1>Invoice for ")
	b.WriteString(strings.ToUpper(name))
	b.WriteString("</h1><table>\n")
	for i := 0; i < n; i++ {
		row := fmt.Sprintf("<tr><td>%s</td><td>%d</td><td>%.2f</td></tr>\n",
			skuNames[(i*37)%len(skuNames)], i%7+1, float64(i*113%10000)/100)
		b.WriteString(strings.Replace(row, "sku-", "SKU-", 1))
	}
	b.WriteString("</table>")
	b.WriteString(strings.Repeat("<!-- padding -->", n/10))
	b.WriteString("</body></html>\n")
	return b.String()
}

// ---------------------------------------------------------------------------
// Load generator: N goroutines issue requests to this server for D.

func runLoad(base string, n int, d, pace time.Duration) int64 {
	var done int64
	deadline := time.Now().Add(d)
	tr := &http.Transport{MaxIdleConns: n * 2, MaxIdleConnsPerHost: n * 2, IdleConnTimeout: 30 * time.Second}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			pprof.Do(context.Background(), pprof.Labels("role", "loadgen"), func(context.Context) {
				for i := 0; time.Now().Before(deadline); i++ {
					var u string
					switch k := (i + g) % 10; {
					case k < 6:
						u = fmt.Sprintf("%s/pay?customer=c%d&items=%d", base, (g*7919+i)%1000, 100+(i*31)%200)
					case k < 8:
						u = fmt.Sprintf("%s/render?customer=c%d&lines=%d", base, i%1000, 20+i%80)
					default:
						u = base + "/report"
					}
					resp, err := client.Get(u)
					if err != nil {
						time.Sleep(10 * time.Millisecond)
						continue
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					atomic.AddInt64(&done, 1)
					if pace > 0 {
						time.Sleep(pace)
					}
				}
			})
		}(g)
	}
	wg.Wait()
	tr.CloseIdleConnections()
	return atomic.LoadInt64(&done)
}

// ---------------------------------------------------------------------------

func fetch(url, out string) error {
	client := &http.Client{Timeout: 5 * time.Minute}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, strings.TrimSpace(string(b)))
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.StringVar(&mode, "mode", "regress", "regress (new map per request) or fixed (pooled, pre-sized map)")
	load := flag.Int("load", 0, "number of load-generating goroutines (0: no load)")
	duration := flag.Duration("duration", 10*time.Second, "how long to generate load")
	pace := flag.Duration("pace", 0, "pause of each load goroutine between requests")
	exitAfter := flag.Bool("exit-after-load", false, "exit when the load generator finishes")
	memRate := flag.Int("memprofilerate", 0, "runtime.MemProfileRate (0: keep the default)")
	fetchURL := flag.String("fetch", "", "fetch this URL to -o and exit (client mode)")
	out := flag.String("o", "", "output file for -fetch")
	flag.Parse()

	if *fetchURL != "" {
		if *out == "" {
			log.Fatal("-fetch needs -o FILE")
		}
		if err := fetch(*fetchURL, *out); err != nil {
			log.Fatal(err)
		}
		return
	}
	if mode != "regress" && mode != "fixed" {
		log.Fatalf("unknown -mode %q", mode)
	}
	if *memRate > 0 {
		runtime.MemProfileRate = *memRate
	}
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)

	startFraudWorkers(2)
	http.HandleFunc("/pay", payHandler)
	http.HandleFunc("/report", reportHandler)
	http.HandleFunc("/render", renderHandler)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", ln.Addr().String())

	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)

	loadDone := make(chan struct{})
	if *load > 0 {
		go func() {
			n := runLoad("http://"+ln.Addr().String(), *load, *duration, *pace)
			fmt.Printf("load done: %d requests\n", n)
			close(loadDone)
		}()
	}
	var exitOnLoad <-chan struct{} // nil: never fires
	if *exitAfter && *load > 0 {
		exitOnLoad = loadDone
	}

	select {
	case <-stop:
	case <-exitOnLoad:
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	fmt.Println("stopped")
}
