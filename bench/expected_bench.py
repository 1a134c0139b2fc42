"""Time the expected mix (post-stratification) and raking at growing numbers of respondents.

    .venv/bin/python bench/expected_bench.py 10000 100000 1000000

Respondents get random "over jou" answers (10% unanswered) and a profile that depends on age;
the dependence is learnt with its 50 bootstrap refits, then evaluated for one buurt, and one
buurt's respondents are raked to its margins. Prints seconds per step and peak memory.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np
import pandas as pd

from survey.profiling.characteristics import CHARACTERISTICS
from survey.profiling.expected import fit_dependence
from survey.profiling.weights import effective_n, rake

CODES = [f"p{i}" for i in range(8)] + ["gemengd"]
MARGINS = {
    "age_band": {"15-24": 0.1, "25-44": 0.3, "45-64": 0.3, "65+": 0.3},
    "household": {"children": 0.3, "no_children": 0.7},
    "tenure": {"own": 0.5, "rent": 0.5},
}


def respondents(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    columns = {}
    for item, categories in CHARACTERISTICS.items():
        values = rng.choice(np.array(categories, dtype=object), n)
        values[rng.random(n) < 0.1] = None
        columns[item] = values
    frame = pd.DataFrame(columns)
    older = (frame["age_band"] == "65+").to_numpy()
    profile = np.where(older, rng.integers(0, 3, n), rng.integers(2, 8, n))
    return frame, pd.Series(np.array(CODES, dtype=object)[profile])


def main(sizes: list[int]) -> None:
    print("respondents  learn (s)  expected (s)  rake 10% (s)  effective n  peak MiB")
    for n in sizes:
        frame, labels = respondents(n)
        start = time.perf_counter()
        dependence = fit_dependence(frame, labels, CODES)
        learnt = time.perf_counter()
        dependence.expected(MARGINS)
        evaluated = time.perf_counter()
        buurt = frame.iloc[: max(n // 10, 50)]
        weights = rake(buurt, MARGINS)
        raked = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{n:>11,}  {learnt - start:>9.2f}  {evaluated - learnt:>12.3f}  "
            f"{raked - evaluated:>12.2f}  {effective_n(weights):>11,.0f}  {peak:>8.0f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
