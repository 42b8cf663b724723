// gowork - a small CPU-bound Go program for Flamegate's perf fixtures.
//
// Go on amd64 keeps frame pointers, so `perf record -g` gives full stacks
// with Go symbol names such as main.(*Table).Insert, main.worker.func1 and
// runtime.mallocgc. Run time is about 2 seconds; pass a duration to change it.
package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"
)

type Table struct {
	m map[string]int
}

//go:noinline
func (t *Table) Insert(k string, v int) {
	t.m[k] = v
}

//go:noinline
func (t *Table) Lookup(k string) (int, bool) {
	v, ok := t.m[k]
	return v, ok
}

type node struct {
	left, right *node
	val         int
}

//go:noinline
func build(depth, val int) *node {
	if depth == 0 {
		return &node{val: val}
	}
	return &node{left: build(depth-1, val*2), right: build(depth-1, val*2+1), val: val}
}

//go:noinline
func (n *node) sum() int {
	if n == nil {
		return 0
	}
	return n.val + n.left.sum() + n.right.sum()
}

//go:noinline
func mapWork(round int) int {
	t := &Table{m: make(map[string]int)}
	for i := 0; i < 5000; i++ {
		t.Insert("k"+strconv.Itoa(i+round), i)
	}
	hits := 0
	for i := 0; i < 5000; i++ {
		if v, ok := t.Lookup("k" + strconv.Itoa(i)); ok {
			hits += v
		}
	}
	return hits
}

//go:noinline
func allocWork(round int) int {
	root := build(10, round)
	s := root.sum()
	xs := make([]int, 2000)
	for i := range xs {
		xs[i] = (i * 7919) % 2003
	}
	sort.Ints(xs)
	return s + xs[len(xs)/2]
}

func worker(id int, deadline time.Time, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	total := 0
	round := 0
	step := func() {
		total += mapWork(round + id)
		total += allocWork(round)
		round++
	}
	for time.Now().Before(deadline) {
		step()
	}
	results <- total
}

func main() {
	d := 2 * time.Second
	if len(os.Args) > 1 {
		if secs, err := strconv.ParseFloat(os.Args[1], 64); err == nil {
			d = time.Duration(secs * float64(time.Second))
		}
	}
	deadline := time.Now().Add(d)
	results := make(chan int, 2)
	var wg sync.WaitGroup
	for id := 0; id < 2; id++ {
		wg.Add(1)
		go worker(id, deadline, results, &wg)
	}
	wg.Wait()
	close(results)
	total := 0
	for r := range results {
		total += r
	}
	fmt.Println("gowork done", total)
}
