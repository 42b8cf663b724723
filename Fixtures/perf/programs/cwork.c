/*
 * cwork.c - a small CPU-bound C program for Flamegate's perf fixtures.
 *
 * It spends its time on a few distinct call paths so that `perf record -g`
 * sees recognisable stacks:
 *   main -> run_recursion -> walk (recursive, several levels) -> leaf_mix
 *   main -> run_sort -> qsort (libc) -> compare_records (callback)
 *   main -> run_copies -> malloc / memcpy / free (libc)
 *   main -> run_checksum -> checksum -> mix (static inline, for dwarf inline frames)
 * Run time is about 2 seconds on one core; pass a number to scale it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline))

static volatile uint64_t sink;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

NOINLINE static uint64_t leaf_mix(uint64_t x) {
    for (int i = 0; i < 64; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

NOINLINE static uint64_t walk(int depth, uint64_t seed) {
    if (depth == 0) {
        return leaf_mix(seed);
    }
    uint64_t a = walk(depth - 1, seed * 31 + 1);
    uint64_t b = (depth % 2) ? walk(depth - 1, seed + 7) : leaf_mix(seed + 7);
    return a ^ b;
}

NOINLINE static void run_recursion(int rounds) {
    for (int r = 0; r < rounds; r++) {
        sink += walk(5, (uint64_t)r);
    }
}

struct record {
    uint32_t key;
    uint32_t payload[7];
};

NOINLINE static int compare_records(const void *pa, const void *pb) {
    const struct record *a = pa;
    const struct record *b = pb;
    if (a->key < b->key) return -1;
    if (a->key > b->key) return 1;
    return 0;
}

NOINLINE static void run_sort(int rounds) {
    enum { N = 4096 };
    struct record *recs = malloc(sizeof(struct record) * N);
    uint32_t state = 12345;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < N; i++) {
            state = state * 1103515245u + 12345u;
            recs[i].key = state >> 8;
            recs[i].payload[0] = (uint32_t)i;
        }
        qsort(recs, N, sizeof(struct record), compare_records);
        sink += recs[N / 2].key;
    }
    free(recs);
}

NOINLINE static void run_copies(int rounds) {
    for (int r = 0; r < rounds; r++) {
        size_t size = 4096 + (size_t)(r % 64) * 1024;
        char *src = malloc(size);
        char *dst = malloc(size);
        memset(src, r & 0xff, size);
        for (int k = 0; k < 8; k++) {
            memcpy(dst, src, size);
            src[k] = dst[size - 1 - k];
        }
        sink += (uint64_t)dst[r % size];
        free(src);
        free(dst);
    }
}

static inline uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

NOINLINE static uint64_t checksum(const uint64_t *data, size_t n) {
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++) {
        h = mix(h, data[i]);
    }
    return h;
}

NOINLINE static void run_checksum(int rounds) {
    enum { N = 8192 };
    uint64_t *data = malloc(sizeof(uint64_t) * N);
    for (int i = 0; i < N; i++) data[i] = (uint64_t)i * 2654435761u;
    for (int r = 0; r < rounds; r++) {
        data[r % N] ^= (uint64_t)r;
        sink += checksum(data, N);
    }
    free(data);
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    double start = now_seconds();
    while (now_seconds() - start < seconds) {
        run_recursion(300);
        run_sort(3);
        run_copies(60);
        run_checksum(40);
    }
    printf("cwork done %llu\n", (unsigned long long)sink);
    return 0;
}
