#!/usr/bin/env python3
"""Pairs of `go test -bench` outputs for the benchstat parity tests.

    python3 Fixtures/bench/make-benchstat-pairs.py      # writes Tests/Fixtures/bench/benchstat/*.txt
    Fixtures/bench/run-benchstat.sh                     # benchstat's answers beside them

Standard library only; deterministic (fixed seeds, no clock). Each pair NAME is
NAME.base.txt + NAME.cand.txt; every benchmark line carries sec/op (ns/op), B/op and
allocs/op, and each unit gets its own scenario, so one benchmark is three comparisons.
What the pairs cover (go-moremath's U test: exact without ties up to 50 values per side,
exact *with* ties up to 25, normal approximation with tie correction beyond):

  ties-small    ties, n 4..9, unequal n (exact with ties under both the old limit 9 and 25)
  ties-mid      ties, n 10..25, unequal n: exact with ties (Flamegate used the normal
                approximation here before)
  ties-large    ties, n 25..60: 25 vs 26 and beyond take the normal approximation
  no-ties       n 4..60, unequal n, 50 vs 51 (one side past the exact limit)
  near-alpha    data placed so that p lands next to 0.05 (exact, exact with ties, normal)
  lopsided      tie patterns where benchstat's exact-ties p takes the other tail (base
                above the candidate); the same data the other way round is in the swapped run
  geomean-zeros 0 B/op and 0 allocs/op (0/0 counts as ratio 1), a base of 0 with a
                non-zero candidate, a candidate of 0, benchmarks missing on one side, a unit
                with one benchmark only (no geomean row)
  few-samples   n 1..5 ("need >= 4 samples", "need >= 6 samples for confidence interval")

The helpers below compute p only to *place* data (near alpha, lopsided ties); the reference
numbers the tests check come from benchstat itself (run-benchstat.sh).
"""
import math
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "bench", "benchstat")


# ---- U statistics, only to choose data ----------------------------------------------

def tie_groups(x, y):
    vals = sorted(set(x) | set(y))
    allv = list(x) + list(y)
    return vals, [allv.count(v) for v in vals]


def twice_u1(x, y):
    """2·U of sample x (ties count 1/2)."""
    vals, groups = tie_groups(x, y)
    pos, r1 = 1, 0
    for v, s in zip(vals, groups):
        r1 += x.count(v) * (2 * pos + s - 1)
        pos += s
    return r1 - len(x) * (len(x) + 1)


def exact_counts(groups, n1):
    """{2·U1: number of arrangements} given the tie groups (sizes in rank order)."""
    dp = {(0, 0): 1}
    pos = 1
    for s in groups:
        r2 = 2 * pos + s - 1
        pos += s
        nd = {}
        for (k, sr), c in dp.items():
            for j in range(0, min(s, n1 - k) + 1):
                key = (k + j, sr + j * r2)
                nd[key] = nd.get(key, 0) + c * math.comb(s, j)
        dp = nd
    out = {}
    for (k, sr), c in dp.items():
        if k == n1:
            u = sr - n1 * (n1 + 1)
            out[u] = out.get(u, 0) + c
    return out


def p_two_sided(x, y):
    """(p as benchstat computes it, p of the two-sided permutation test) — the same except
    for asymmetric tie patterns with sample x above sample y."""
    n1, n2 = len(x), len(y)
    vals, groups = tie_groups(x, y)
    if len(groups) == 1:
        return 1.0, 1.0
    ties = any(s > 1 for s in groups)
    u1 = twice_u1(x, y)
    u2 = 2 * n1 * n2 - u1
    exact = (not ties and n1 <= 50 and n2 <= 50) or (ties and n1 <= 25 and n2 <= 25)
    if exact:
        if u1 == u2:
            return 1.0, 1.0
        d = exact_counts(groups, n1)
        tot = sum(d.values())
        small = min(u1, u2)
        bench = 2 * sum(c for u, c in d.items() if u <= small) / tot
        if u1 < u2:
            true = 2 * sum(c for u, c in d.items() if u <= u1) / tot
        else:
            true = 2 * sum(c for u, c in d.items() if u >= u1) / tot
        return bench, min(1.0, true)
    t = sum(s ** 3 - s for s in groups)
    n = n1 + n2
    sigma = math.sqrt(n1 * n2 * ((n + 1) - t / (n * (n - 1))) / 12)
    numer = u1 / 2 - n1 * n2 / 2
    numer -= math.copysign(0.5, numer) if numer != 0 else 0
    z = numer / sigma
    c = math.erfc(-z / math.sqrt(2)) / 2
    p = 2 * min(c, 1 - c)
    return p, p


# ---- value generators ---------------------------------------------------------------

class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.used = set()

    def distinct(self, n, mu, sd, digits=1):
        """n values ~ N(mu, sd), rounded, none repeated anywhere in this pair."""
        out = []
        while len(out) < n:
            v = round(self.r.gauss(mu, sd), digits)
            if v <= 0 or v in self.used:
                continue
            self.used.add(v)
            out.append(v)
        return out

    def ints(self, n, choices, weights):
        return [float(v) for v in self.r.choices(choices, weights, k=n)]

    def arranged(self, n1, n2, u2_target, lo, step):
        """No-ties samples with 2·U1 = u2_target (even): base value i has c_i candidate
        values below it; values climb by `step` with a little jitter."""
        u = u2_target // 2
        c = []
        left = u
        for i in range(n1):
            share = left // (n1 - i)
            c.append(min(n2, share))
            left -= c[-1]
        c.sort()
        labels = []
        j = 0
        for ci in c:
            while j < ci:
                labels.append(2)
                j += 1
            labels.append(1)
        while j < n2:
            labels.append(2)
            j += 1
        x, y = [], []
        v = lo
        for lab in labels:
            v = round(v + step * (0.6 + 0.8 * self.r.random()), 1)
            while v in self.used:
                v = round(v + 0.1, 1)
            self.used.add(v)
            (x if lab == 1 else y).append(v)
        self.r.shuffle(x)
        self.r.shuffle(y)
        return x, y


def near_alpha_u(n1, n2, side):
    """2·U1 for no-ties samples of n1 and n2 whose p is the largest at or below 0.05
    (side "below") or the smallest above it (side "above"); U1 below its mean."""
    below = None
    for u in range(0, n1 * n2 // 2 + 1):
        if p_no_ties(n1, n2, 2 * u) <= 0.05:
            below = 2 * u
        else:
            return below if side == "below" else 2 * u
    return below


_nt_cache = {}


def p_no_ties(n1, n2, u2):
    key = (n1, n2)
    if n1 <= 50 and n2 <= 50:
        if key not in _nt_cache:
            _nt_cache[key] = exact_counts([1] * (n1 + n2), n1)
        d = _nt_cache[key]
        tot = sum(d.values())
        small = min(u2, 2 * n1 * n2 - u2)
        if u2 == n1 * n2:
            return 1.0
        return min(1.0, 2 * sum(c for u, c in d.items() if u <= small) / tot)
    n = n1 + n2
    sigma = math.sqrt(n1 * n2 * (n + 1) / 12)
    numer = u2 / 2 - n1 * n2 / 2
    numer -= math.copysign(0.5, numer) if numer != 0 else 0
    z = numer / sigma
    c = math.erfc(-z / math.sqrt(2)) / 2
    return 2 * min(c, 1 - c)


# ---- writing ------------------------------------------------------------------------

HEADER = "goos: linux\ngoarch: amd64\npkg: flamegate.example/parity\ncpu: AMD EPYC 7B13\n"


def fmt(v):
    if float(v).is_integer():
        return "%d" % v
    return repr(float(v))


class Pair:
    def __init__(self, name, seed):
        self.name = name
        self.g = Gen(seed)
        self.benches = []  # (name, base rows, cand rows); rows: list of (ns, B, allocs)

    def bench(self, name, ns, b, allocs):
        """ns, b, allocs: (base values, cand values); lengths per side must agree; a side
        may be None (benchmark missing from that file)."""
        sides = []
        for k in (0, 1):
            cols = [ns[k], b[k], allocs[k]]
            if any(c is None for c in cols):
                assert all(c is None for c in cols)
                sides.append(None)
                continue
            assert len(set(len(c) for c in cols)) == 1, (name, [len(c) for c in cols])
            sides.append(list(zip(*cols)))
        self.benches.append((name, sides[0], sides[1]))

    def write(self):
        for k, which in ((1, "base"), (2, "cand")):
            lines = [HEADER]
            for name, base, cand in self.benches:
                rows = base if k == 1 else cand
                if rows is None:
                    continue
                for ns, b, a in rows:
                    iters = 1000000 // max(1, int(ns)) + 1
                    lines.append(
                        "Benchmark%s-8\t%8d\t%12s ns/op\t%8s B/op\t%6s allocs/op\n"
                        % (name, iters, fmt(ns), fmt(b), fmt(a)))
            lines.append("PASS\nok  \tflamegate.example/parity\t1.234s\n")
            with open(os.path.join(OUT, "%s.%s.txt" % (self.name, which)), "w") as f:
                f.write("".join(lines))


def const(n, v):
    return [float(v)] * n


def pairs():
    out = []

    # ties-small: n 4..9, exact with ties (both limits).
    p = Pair("ties-small", 101)
    g = p.g
    for i, (n1, n2) in enumerate([(4, 4), (5, 7), (6, 6), (7, 9), (8, 5), (9, 9), (6, 4), (9, 7)]):
        ns = (g.distinct(n1, 1500, 60), g.distinct(n2, 1480 + 15 * i, 60))
        b = (g.ints(n1, [64, 80, 96], [5, 3, 1]), g.ints(n2, [64, 80, 96], [3, 3, 2]))
        al = (g.ints(n1, [2, 3, 4], [2, 5, 1]), g.ints(n2, [2, 3, 4], [4, 4, 1]))
        p.bench("Small%d" % i, ns, b, al)
    out.append(p)

    # ties-mid: n 10..25 with ties; the old limit (9) used the normal approximation here.
    p = Pair("ties-mid", 202)
    g = p.g
    sizes = [(10, 10), (12, 17), (15, 15), (20, 13), (25, 25), (25, 18), (11, 24), (16, 16), (10, 25), (22, 22)]
    for i, (n1, n2) in enumerate(sizes):
        shift = [0, 1, 0, 1, 1, 0, 1, 0, 1, 1][i]
        ns = (g.ints(n1, [1200, 1210, 1220, 1230], [1, 3, 3, 1]),
              g.ints(n2, [1200, 1210, 1220, 1230], [1 + shift, 3, 3 - shift, 1]))
        b = (g.ints(n1, [128, 144, 160], [6, 3, 1]), g.ints(n2, [128, 144, 160], [6 - 2 * shift, 3, 1 + shift]))
        al = (g.ints(n1, [4, 5, 6, 7], [2, 4, 3, 1]), g.ints(n2, [4, 5, 6, 7], [2 + shift, 4, 3 - shift, 1]))
        p.bench("Mid%d" % i, ns, b, al)
    out.append(p)

    # ties-large: 25 vs 26 and up: normal approximation with tie correction.
    p = Pair("ties-large", 303)
    g = p.g
    for i, (n1, n2) in enumerate([(25, 26), (26, 25), (26, 26), (30, 40), (45, 31), (60, 60), (60, 27), (40, 40)]):
        shift = i % 3
        ns = (g.ints(n1, list(range(900, 1000, 10)), [1] * 10),
              g.ints(n2, list(range(900 + 5 * shift, 1000 + 5 * shift, 10)), [1] * 10))
        b = (g.ints(n1, [0, 16, 32], [5, 3, 2]), g.ints(n2, [0, 16, 32], [5 - shift, 3, 2 + shift]))
        al = (g.ints(n1, [1, 2, 3], [3, 4, 3]), g.ints(n2, [1, 2, 3], [3, 4 - shift, 3 + shift]))
        p.bench("Large%d" % i, ns, b, al)
    out.append(p)

    # no-ties: exact up to 50 per side, normal beyond.
    p = Pair("no-ties", 404)
    g = p.g
    sizes = [(4, 4), (5, 7), (8, 6), (10, 10), (20, 30), (31, 31), (50, 50), (50, 51), (51, 50), (60, 60), (40, 60), (4, 60)]
    for i, (n1, n2) in enumerate(sizes):
        d = [0, 30, -25, 10, 8, -5, 3, -4, 6, 2, -3, 40][i]
        ns = (g.distinct(n1, 2000, 50), g.distinct(n2, 2000 + d, 50))
        b = (g.distinct(n1, 4096, 200, 0), g.distinct(n2, 4096 + 3 * d, 200, 0))
        al = (g.distinct(n1, 30, 2, 2), g.distinct(n2, 30 + d / 20, 2, 2))
        p.bench("Exact%d" % i, ns, b, al)
    out.append(p)

    # near-alpha: U placed at the last p <= 0.05 and the first p > 0.05.
    p = Pair("near-alpha", 505)
    g = p.g
    sizes = [(4, 5), (5, 5), (6, 6), (7, 5), (9, 9), (12, 15), (20, 20), (50, 50), (30, 55), (60, 60)]
    for i, (n1, n2) in enumerate(sizes):
        below = near_alpha_u(n1, n2, "below")
        above = near_alpha_u(n1, n2, "above")
        ns = g.arranged(n1, n2, below, 1000, 2)
        b = g.arranged(n1, n2, above, 3000, 7)
        # allocs: ties drawn until p falls in (0.03, 0.07)
        for _ in range(5000):
            al = (g.ints(n1, [5, 6, 7, 8], [2, 4, 3, 1]), g.ints(n2, [5, 6, 7, 8], [1, 3, 4, 2]))
            if len(set(al[0] + al[1])) > 1 and 0.03 < p_two_sided(*al)[1] < 0.07:
                break
        p.bench("Alpha%d" % i, ns, b, al)
    out.append(p)

    # lopsided: asymmetric tie patterns with the base above the candidate.
    p = Pair("lopsided", 606)
    g = p.g
    cases = [
        ([3, 3, 3, 3, 3, 2, 2], [2] * 5),                  # issue 14: benchstat 0.0025, truth 0.053
        ([2, 2, 2, 2, 3, 3], [2] * 8),                     # benchstat p=0, truth 0.33
        ([3] * 8, [2, 2, 3, 3, 3, 3]),                     # benchstat p=0, truth 0.33
        ([3] * 5, [2, 3, 3, 3]),                           # benchstat p=0, truth 0.89
        ([3, 3, 3, 2], [2, 2, 2, 2, 3, 3, 3, 3, 3]),       # verdict differs at 0.05
        ([3] * 6, [2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]),
        ([5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4], [4] * 20),  # n 15 vs 20
        ([7] * 12 + [6] * 3, [6] * 14 + [7] * 2),
        ([9] * 20 + [8] * 5, [8] * 24 + [9]),              # n 25 vs 25: still exact with ties
    ]
    for i, (x, y) in enumerate(cases):
        x, y = [float(v) for v in x], [float(v) for v in y]
        n1, n2 = len(x), len(y)
        ns = (g.distinct(n1, 800, 30), g.distinct(n2, 790, 30))
        b = (const(n1, 48), const(n2, 48))
        p.bench("Lopsided%d" % i, ns, b, (x, y))
    out.append(p)

    # geomean-zeros: the geomean row's rules.
    p = Pair("geomean-zeros", 707)
    g = p.g
    n = 6
    p.bench("Both0", (g.distinct(n, 500, 20), g.distinct(n, 480, 20)), (const(n, 0), const(n, 0)), (const(n, 0), const(n, 0)))
    p.bench("Grow", (g.distinct(n, 900, 20), g.distinct(n, 990, 20)), (const(n, 256), const(n, 512)), (const(n, 2), const(n, 4)))
    p.bench("Shrink", (g.distinct(n, 700, 20), g.distinct(n, 600, 20)), (const(n, 1024), const(n, 768)), (const(n, 8), const(n, 6)))
    out.append(p)

    p = Pair("geomean-base0", 708)
    g = p.g
    p.bench("From0", (g.distinct(n, 500, 20), g.distinct(n, 520, 20)), (const(n, 0), const(n, 64)), (const(n, 0), const(n, 1)))
    p.bench("Same", (g.distinct(n, 900, 20), g.distinct(n, 905, 20)), (const(n, 128), const(n, 128)), (const(n, 3), const(n, 3)))
    p.bench("To0", (g.distinct(n, 300, 10), g.distinct(n, 290, 10)), (const(n, 32), const(n, 0)), (const(n, 1), const(n, 0)))
    out.append(p)

    p = Pair("geomean-cand0", 709)
    g = p.g
    p.bench("To0", (g.distinct(n, 300, 10), g.distinct(n, 250, 10)), (const(n, 32), const(n, 0)), (const(n, 1), const(n, 0)))
    p.bench("Same", (g.distinct(n, 900, 20), g.distinct(n, 905, 20)), (const(n, 128), const(n, 128)), (const(n, 3), const(n, 3)))
    p.bench("Vary", (g.distinct(n, 1900, 40), g.distinct(n, 1700, 40)),
            (g.ints(n, [96, 112], [1, 1]), g.ints(n, [80, 96], [1, 1])), (g.ints(n, [2, 3], [1, 2]), g.ints(n, [2, 3], [2, 1])))
    out.append(p)

    p = Pair("geomean-missing", 710)
    g = p.g
    p.bench("Kept", (g.distinct(n, 300, 10), g.distinct(n, 280, 10)), (const(n, 32), const(n, 32)), (const(n, 1), const(n, 1)))
    p.bench("Renamed", (g.distinct(n, 400, 10), None), (const(n, 48), None), (const(n, 2), None))
    p.bench("Added", (None, g.distinct(n, 420, 10)), (None, const(n, 48)), (None, const(n, 2)))
    p.bench("Faster", (g.distinct(n, 5000, 100), g.distinct(n, 4000, 100)), (const(n, 4096), const(n, 2048)), (const(n, 9), const(n, 5)))
    out.append(p)

    p = Pair("few-samples", 808)
    g = p.g
    for i, (n1, n2) in enumerate([(1, 1), (2, 3), (3, 3), (3, 5), (4, 4), (5, 5), (5, 6), (2, 9)]):
        ns = (g.distinct(n1, 100, 3), g.distinct(n2, 108, 3))
        b = (const(n1, 16), const(n2, 24))
        al = (g.ints(n1, [1, 2], [1, 1]), g.ints(n2, [1, 2], [1, 3]))
        p.bench("Few%d" % i, ns, b, al)
    out.append(p)

    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for p in pairs():
        p.write()
        print("wrote %s.{base,cand}.txt (%d benchmarks)" % (p.name, len(p.benches)), file=sys.stderr)


if __name__ == "__main__":
    main()
