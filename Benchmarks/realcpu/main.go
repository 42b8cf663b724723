// Command realcpu burns CPU on two goroutines in varied stdlib-heavy code (maps,
// sorting, hashing, JSON, string building, compression) and writes a real CPU
// profile with runtime/pprof at the default 100 Hz.
//
//	go run . -duration 55s -o cpu.pb.gz
//
// Two busy goroutines for 55-60 s give about 11,000 samples on an idle 2-core
// machine. When other processes compete for the CPUs, it keeps going past
// -duration (up to -max-duration) until the process has used -min-cpu of CPU
// time; samples come to roughly 90% of the CPU time × 100 Hz.
package main

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"math/rand"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type order struct {
	ID       int64             `json:"id"`
	Customer string            `json:"customer"`
	Items    []item            `json:"items"`
	Tags     map[string]string `json:"tags"`
	Total    float64           `json:"total"`
}

type item struct {
	SKU   string  `json:"sku"`
	Qty   int     `json:"qty"`
	Price float64 `json:"price"`
}

var sink atomic.Uint64

func makeOrder(r *rand.Rand, id int64) order {
	o := order{ID: id, Customer: "cust-" + strconv.Itoa(r.Intn(5000)), Tags: map[string]string{}}
	for i := 0; i < 3+r.Intn(12); i++ {
		it := item{SKU: fmt.Sprintf("sku-%06d", r.Intn(1_000_000)), Qty: 1 + r.Intn(9), Price: float64(r.Intn(100000)) / 100}
		o.Items = append(o.Items, it)
		o.Total += float64(it.Qty) * it.Price
	}
	for i := 0; i < r.Intn(6); i++ {
		o.Tags["k"+strconv.Itoa(i)] = strings.Repeat("v", 1+r.Intn(20))
	}
	return o
}

// mapWork builds and probes string- and int-keyed maps.
func mapWork(r *rand.Rand) {
	m := make(map[string]int)
	for i := 0; i < 20000; i++ {
		m["key-"+strconv.Itoa(r.Intn(50000))]++
	}
	hits := 0
	for i := 0; i < 20000; i++ {
		if _, ok := m["key-"+strconv.Itoa(i)]; ok {
			hits++
		}
	}
	ints := make(map[int64]int64, 1024)
	for i := int64(0); i < 50000; i++ {
		ints[i*7919%65536] += i
	}
	var sum int64
	for k, v := range ints {
		sum += k ^ v
	}
	sink.Add(uint64(hits) + uint64(sum))
}

// sortWork sorts structs, strings and ints.
func sortWork(r *rand.Rand) {
	orders := make([]order, 400)
	for i := range orders {
		orders[i] = order{ID: r.Int63(), Customer: "c" + strconv.Itoa(r.Intn(1000)), Total: r.Float64()}
	}
	sort.Slice(orders, func(i, j int) bool {
		if orders[i].Customer != orders[j].Customer {
			return orders[i].Customer < orders[j].Customer
		}
		return orders[i].Total < orders[j].Total
	})
	words := make([]string, 5000)
	for i := range words {
		words[i] = strconv.FormatInt(r.Int63(), 36)
	}
	sort.Strings(words)
	ints := make([]int, 20000)
	for i := range ints {
		ints[i] = r.Int()
	}
	sort.Ints(ints)
	sink.Add(uint64(len(words[0]) + ints[0]&1))
}

// hashWork hashes buffers with SHA-256, CRC-32 and FNV.
func hashWork(r *rand.Rand, buf []byte) {
	r.Read(buf)
	var acc uint64
	for i := 0; i < 8; i++ {
		s := sha256.Sum256(buf)
		acc += uint64(s[0])
		acc += uint64(crc32.ChecksumIEEE(buf))
		h := fnv.New64a()
		h.Write(buf[:4096])
		acc += h.Sum64()
	}
	sink.Add(acc)
}

// jsonWork round-trips orders through encoding/json.
func jsonWork(r *rand.Rand) {
	batch := make([]order, 50)
	for i := range batch {
		batch[i] = makeOrder(r, int64(i))
	}
	b, err := json.Marshal(batch)
	if err != nil {
		panic(err)
	}
	var back []order
	if err := json.Unmarshal(b, &back); err != nil {
		panic(err)
	}
	var ind bytes.Buffer
	json.Indent(&ind, b[:min(len(b), 8192)], "", "  ")
	sink.Add(uint64(len(back) + ind.Len()))
}

// textWork builds, splits and compresses strings.
func textWork(r *rand.Rand) {
	var sb strings.Builder
	for i := 0; i < 3000; i++ {
		sb.WriteString("field")
		sb.WriteString(strconv.Itoa(r.Intn(1000)))
		sb.WriteByte(',')
	}
	s := sb.String()
	parts := strings.Split(s, ",")
	up := strings.ToUpper(s)
	var z bytes.Buffer
	w, _ := flate.NewWriter(&z, flate.DefaultCompression)
	w.Write([]byte(up))
	w.Close()
	sink.Add(uint64(len(parts) + z.Len()))
}

func worker(id int, stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	r := rand.New(rand.NewSource(int64(id) + 1))
	buf := make([]byte, 64<<10)
	for {
		select {
		case <-stop:
			return
		default:
		}
		switch r.Intn(5) {
		case 0:
			mapWork(r)
		case 1:
			sortWork(r)
		case 2:
			hashWork(r, buf)
		case 3:
			jsonWork(r)
		case 4:
			textWork(r)
		}
	}
}

func main() {
	duration := flag.Duration("duration", 55*time.Second, "how long to profile")
	out := flag.String("o", "cpu.pb.gz", "output profile")
	minCPU := flag.Duration("min-cpu", 120*time.Second, "keep going past -duration until the process used this much CPU time")
	maxDuration := flag.Duration("max-duration", 180*time.Second, "never run longer than this")
	workers := flag.Int("workers", 2, "busy goroutines")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "realcpu:", err)
		os.Exit(1)
	}
	// StartCPUProfile samples at 100 Hz.
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "realcpu:", err)
		os.Exit(1)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go worker(i, stop, &wg)
	}
	start := time.Now()
	time.Sleep(*duration)
	for cpuTime() < *minCPU && time.Since(start) < *maxDuration {
		time.Sleep(100 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "realcpu:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "realcpu: wrote %s: %.1f s wall, %.1f s CPU\n", *out, time.Since(start).Seconds(), cpuTime().Seconds())
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
