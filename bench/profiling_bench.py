"""Fit the profile model, and measure its stability, on 10,000 to 1,000,000 synthetic respondents.

Prints, per size: the time to fit (features, k-means from the prototypes and 9 k-means++
starts, naming, assigning), the agreement with the truth (ARI) and, with --stability, the
stability figure (5 bootstrap resamples, each a full fit) and its time, and the total. Memory
is the process's peak resident size (getrusage ru_maxrss; tracemalloc would slow numpy down):
after generating the data, after the fit and after the stability. Each size runs in a fresh
process of its own so that one size's peak does not hide the next one's.
Run: .venv/bin/python bench/profiling_bench.py [--stability] [sizes...]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

SIZES = (10_000, 100_000, 1_000_000)
HEADER = (
    f"{'respondents':>12} {'data MiB':>8} {'fit s':>7} {'fit MiB':>8} {'ARI':>6}"
    f" {'stability':>9} {'stab. s':>8} {'stab. MiB':>9} {'total s':>8}"
)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(n: int, with_stability: bool) -> str:
    """Generate n respondents, fit, optionally measure stability; one row of the table."""
    from sklearn.metrics import adjusted_rand_score

    from survey.profiling import model, synthetic
    from survey.profiling.profiles import load_profiles

    profiles = load_profiles()
    data = synthetic.respondents(profiles, n, noise=0.6, missing=0.05, seed=n)
    data_peak = _peak_mib()
    started = time.perf_counter()
    fitted, labels, _summary = model.fit(data, profiles)
    fit_seconds = time.perf_counter() - started
    fit_peak = _peak_mib()
    kept = labels.notna()
    ari = adjusted_rand_score(data["true"][kept], labels[kept])
    stable = stable_seconds = stable_peak = ""
    total = fit_seconds
    if with_stability:
        started = time.perf_counter()
        stable = f"{model.stability(data, profiles, fitted=fitted):.3f}"
        seconds = time.perf_counter() - started
        stable_seconds, stable_peak = f"{seconds:.1f}", f"{_peak_mib():.0f}"
        total += seconds
    return (
        f"{n:>12,} {data_peak:>8.0f} {fit_seconds:>7.1f} {fit_peak:>8.0f} {ari:>6.3f}"
        f" {stable:>9} {stable_seconds:>8} {stable_peak:>9} {total:>8.1f}"
    )


def main(sizes: tuple[int, ...], with_stability: bool = False) -> None:
    print(f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.1f} noise=0.6 missing=0.05 k=8")
    print(HEADER, flush=True)
    flag = ["--stability"] if with_stability else []
    for n in sizes:
        subprocess.run([sys.executable, __file__, "--one", str(n), *flag], check=True)
    print(f"load={os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    args = sys.argv[1:]
    stability = "--stability" in args
    numbers = tuple(int(a) for a in args if a.isdigit())
    if "--one" in args:
        print(one(numbers[0], stability), flush=True)
    else:
        main(numbers or SIZES, stability)
