#!/usr/bin/python3
"""Time the Python reference baseline (statistics module, as the Polar flow
server computes it) on the same shape of inputs as the Go benchmarks.

    /usr/bin/python3 analytics/testdata/bench_reference.py

BenchmarkBaseline90 <-> "one 90-value baseline";
BenchmarkBaselines100kUsers5Metrics <-> "100k users x 5 metrics", measured on
5,000 baselines and scaled (the full run takes minutes).
"""
import os
import random
import sys
import timeit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_vectors import ref_baseline  # noqa: E402


def series(rng, metric, n=90):
    if metric == 0:
        return [round(rng.gauss(45, 9), 1) for _ in range(n)]
    if metric == 1:
        return [float(rng.randint(55, 95)) for _ in range(n)]
    if metric == 2:
        return [float(rng.randint(48, 62)) for _ in range(n)]
    if metric == 3:
        return [round(rng.random() * 200, 1) for _ in range(n)]
    return [round(rng.uniform(0.6, 1.8), 2) for _ in range(n)]


def main():
    rng = random.Random(7)
    days = list(range(90))
    one = series(rng, 0)
    loops = 2000
    best = min(timeit.repeat(lambda: ref_baseline(days, one), number=loops, repeat=5)) / loops
    print("one 90-value baseline: %.1f us" % (best * 1e6))

    users, metrics, distinct = 100_000, 5, 1000
    data = [series(rng, m % metrics) for m in range(distinct * metrics)]
    sample = 5000
    t = min(timeit.repeat(lambda: [ref_baseline(days, data[i % len(data)]) for i in range(sample)], number=1, repeat=3))
    per = t / sample
    print("per baseline in bulk: %.1f us; 100k users x 5 metrics: %.1f s (scaled from %d)" % (per * 1e6, per * users * metrics, sample))


if __name__ == "__main__":
    main()
