"""Fit the profile model on 10,000, 100,000 and 1,000,000 synthetic respondents.

Prints, per size, the time to fit (features, k-means from several starts, naming, assigning)
and the peak memory the fit allocated (tracemalloc), plus the process's peak resident size,
the agreement with the truth (ARI) and, with --stability, the stability figure (5 bootstrap
resamples) and its time.
Run: .venv/bin/python bench/profiling_bench.py [--stability] [sizes...]
"""

from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc

from sklearn.metrics import adjusted_rand_score

from survey.profiling import model, synthetic
from survey.profiling.profiles import load_profiles

SIZES = (10_000, 100_000, 1_000_000)


def main(sizes: tuple[int, ...], with_stability: bool = False) -> None:
    profiles = load_profiles()
    print(f"cpus={os.cpu_count()} noise=0.6 missing=0.05 k={len(profiles.profiles)}")
    print(
        f"{'respondents':>12} {'fit s':>8} {'peak MiB':>9} {'rss MiB':>8} {'ARI':>6}"
        f" {'stability':>9} {'stab. s':>8}"
    )
    for n in sizes:
        data = synthetic.respondents(profiles, n, noise=0.6, missing=0.05, seed=n)
        tracemalloc.start()
        started = time.perf_counter()
        fitted, labels, _summary = model.fit(data, profiles)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kept = labels.notna()
        ari = adjusted_rand_score(data["true"][kept], labels[kept])
        stable, stable_seconds = "", ""
        if with_stability:
            started = time.perf_counter()
            stable = f"{model.stability(data, profiles, fitted=fitted):.3f}"
            stable_seconds = f"{time.perf_counter() - started:.1f}"
        print(
            f"{n:>12,} {seconds:>8.2f} {peak / 2**20:>9.1f} {rss:>8.0f} {ari:>6.3f}"
            f" {stable:>9} {stable_seconds:>8}"
        )


if __name__ == "__main__":
    args = sys.argv[1:]
    main(tuple(int(a) for a in args if a != "--stability") or SIZES, "--stability" in args)
