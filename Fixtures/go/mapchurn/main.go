// mapchurn: a small request handler whose allocations are profiled, for Flamegate's
// `bisect` test series (Fixtures/go/mapchurn/make-series.sh). With -churn it builds a
// throwaway map per request (the regression the series introduces at one commit);
// without, it uses a slice. -seed varies the workload a little from run to run, as CI
// runs vary. Writes a CPU profile of -duration of requests (100 Hz, Go's default). (An
// allocs profile would not do: Go charges the map's allocations to the caller's frame.)
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

type record struct {
	key   string
	value int
}

var sink int

// lastIndex keeps the newest index alive, as a cache would: the map escapes to the heap,
// so its allocations show under the runtime's map functions.
var lastIndex map[string]int

// handle builds the response's records; churn adds a per-request index map.
func handle(r *rand.Rand, churn bool) int {
	n := 8 + r.Intn(8)
	recs := make([]record, 0, n)
	for i := 0; i < n; i++ {
		recs = append(recs, record{key: fmt.Sprintf("field-%d", i), value: r.Intn(1000)})
	}
	total := 0
	if churn {
		index := make(map[string]int)
		for _, rec := range recs {
			index[rec.key] = rec.value
		}
		for _, rec := range recs {
			total += index[rec.key]
		}
		lastIndex = index
	} else {
		for _, rec := range recs {
			total += rec.value
		}
	}
	var b strings.Builder
	for _, rec := range recs {
		b.WriteString(rec.key)
	}
	return total + b.Len()
}

func main() {
	churn := flag.Bool("churn", false, "build a map per request")
	seed := flag.Int64("seed", 1, "workload seed")
	duration := flag.Duration("duration", 700*time.Millisecond, "how long to handle requests")
	out := flag.String("o", "cpu.pb.gz", "output profile")
	flag.Parse()
	r := rand.New(rand.NewSource(*seed))
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	end := time.Now().Add(*duration)
	for time.Now().Before(end) {
		for i := 0; i < 100; i++ {
			sink += handle(r, *churn)
		}
	}
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	runtime.KeepAlive(lastIndex)
}
