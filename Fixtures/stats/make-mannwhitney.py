#!/usr/bin/env python3
"""Known Mann-Whitney U answers from scipy, for Flamegate's Statistics tests.

    python3 Fixtures/stats/make-mannwhitney.py > Tests/Fixtures/stats/mannwhitney.tsv

Flamegate follows benchstat (golang.org/x/perf/benchmath -> go-moremath
stats.MannWhitneyUTest), which picks its method from the data:

  * no ties, both n <= 50       exact U distribution       -> scipy method="exact"
  * ties, both n <= 25          exact U distribution given
                                the tie pattern            -> scipy PermutationMethod
                                                              (n_resamples=inf: every
                                                              split enumerated; scipy's
                                                              method="exact" ignores ties
                                                              and would disagree; for tie
                                                              patterns that are not
                                                              symmetric Flamegate doubles
                                                              the tail the data are in,
                                                              which is scipy's smaller tail
                                                              here — benchstat differs
                                                              there, see docs/benchstat.md)
  * otherwise                   normal approximation with
                                tie + continuity correction -> scipy method="asymptotic",
                                                              use_continuity=True
  * every value equal           no test (benchmath: P = 1)  -> "convention", p = 1

Each row names both: `method` is the one benchstat/Flamegate must use for that data,
`scipy` the scipy call that produced `p`. U is the smaller of U1 and U2 (ties count 1/2).
Columns: name, method, scipy, n1, n2, p (%.17g), u, x (comma-separated), y.
"""
import math
import sys

import numpy as np
import scipy
from scipy import stats


def method_for(x, y):
    allv = list(x) + list(y)
    if len(set(allv)) == 1:
        return "all-equal"
    ties = len(set(allv)) < len(allv)
    n1, n2 = len(x), len(y)
    if not ties and n1 <= 50 and n2 <= 50:
        return "exact"
    if ties and n1 <= 25 and n2 <= 25:
        return "exact-ties"
    return "normal"


def u_statistic(x, y):
    r = stats.rankdata(list(x) + list(y))
    r1 = sum(r[: len(x)])
    u1 = r1 - len(x) * (len(x) + 1) / 2
    return min(u1, len(x) * len(y) - u1)


def pvalue(x, y, method):
    if method == "all-equal":
        return 1.0, "convention"
    if method == "exact":
        return stats.mannwhitneyu(x, y, alternative="two-sided", method="exact").pvalue, "exact"
    if method == "exact-ties":
        pm = stats.PermutationMethod(n_resamples=np.inf)
        return stats.mannwhitneyu(x, y, alternative="two-sided", method=pm).pvalue, "permutation-exact"
    return (
        stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True).pvalue,
        "asymptotic",
    )


rng = np.random.default_rng(20240606)


def normal(n, mu, sd, digits=3):
    return [round(float(v), digits) for v in rng.normal(mu, sd, n)]


def ints(n, lo, hi):
    return [float(v) for v in rng.integers(lo, hi + 1, n)]


cases = [
    ("n1-vs-1", [1.0], [2.0]),
    ("n3-separated", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
    ("n4-separated", [10.0, 11.0, 12.0, 13.0], [20.0, 21.0, 22.0, 23.0]),
    ("n5-separated", [1.5, 1.6, 1.7, 1.8, 1.9], [2.5, 2.6, 2.7, 2.8, 2.9]),
    ("n6-interleaved", [1.0, 3.0, 5.0, 7.0, 9.0, 11.0], [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]),
    ("n6-shifted", normal(6, 100, 3), normal(6, 106, 3)),
    ("n3-vs-5", [5.1, 5.3, 5.2], [5.25, 5.4, 5.6, 5.5, 5.05]),
    ("n10-vs-12", normal(10, 50, 5), normal(12, 53, 5)),
    ("n20-vs-20", normal(20, 1000, 40), normal(20, 1020, 40)),
    ("n50-vs-50", normal(50, 10, 1, 4), normal(50, 10.3, 1, 4)),
    ("n6-half-step", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]),
    ("n4-ties", [1.0, 2.0, 2.0, 3.0], [2.0, 3.0, 3.0, 4.0]),
    ("n6-ties-allocs", [10.0, 10.0, 11.0, 10.0, 12.0, 10.0], [11.0, 12.0, 12.0, 11.0, 13.0, 12.0]),
    ("n9-vs-8-ties", ints(9, 0, 6), ints(8, 2, 8)),
    ("n12-vs-10-ties", ints(12, 0, 9), ints(10, 3, 12)),
    ("n30-vs-30-ties", ints(30, 100, 110), ints(30, 102, 112)),
    ("n60-vs-55-no-ties", normal(60, 200, 10, 4), normal(55, 204, 10, 4)),
    ("all-equal", [7.0, 7.0, 7.0, 7.0], [7.0, 7.0, 7.0, 7.0, 7.0]),
    ("same-sample-twice", [3.0, 1.0, 2.0, 5.0, 4.0], [3.0, 1.0, 2.0, 5.0, 4.0]),
]

print("# made by Fixtures/stats/make-mannwhitney.py with scipy %s" % scipy.__version__)
print("name\tmethod\tscipy\tn1\tn2\tp\tu\tx\ty")
for name, x, y in cases:
    m = method_for(x, y)
    p, how = pvalue(x, y, m)
    u = u_statistic(x, y)
    fmt = lambda v: ",".join(repr(float(a)) for a in v)
    print("%s\t%s\t%s\t%d\t%d\t%.17g\t%g\t%s\t%s" % (name, m, how, len(x), len(y), p, u, fmt(x), fmt(y)))
