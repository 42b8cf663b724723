"""pywork.py - a small CPU-bound Python program for Flamegate's perf fixtures.

Pure Python loops and dict work. Run under CPython 3.12+ with `-X perf`, the
interpreter writes /tmp/perf-<pid>.map, so perf shows Python functions as JIT
frames named like `py::count_words:/path/pywork.py`. Run time is about
2 seconds; pass a number of seconds to change it.
"""
import sys
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def count_words(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


def merge_counts(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def make_words(seed, n):
    words = []
    x = seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        words.append("w%d" % (x % 500))
    return words


def dict_work(round_no):
    a = count_words(make_words(round_no, 3000))
    b = count_words(make_words(round_no + 1, 3000))
    merged = merge_counts(a, b)
    return sum(merged.values())


def loop_work(round_no):
    total = 0
    for i in range(20000):
        total += (i * round_no) % 7
    return total + fib(15)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    start = time.monotonic()
    total = 0
    round_no = 0
    while time.monotonic() - start < seconds:
        total += dict_work(round_no)
        total += loop_work(round_no)
        round_no += 1
    print("pywork done", total)


if __name__ == "__main__":
    main()
