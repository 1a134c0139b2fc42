"""The short engagement module: the five items whose answers alone give the profile the ten do.

A fitted model assigns a respondent to the nearest centroid over the features they answered.
A short module asks only some items; it is good when the profile from those items alone is
the profile from all ten. `agreement` measures that share; `choose_items` tries every subset
of the ten items of a size and keeps the one with the highest share.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from survey.profiling.model import (
    MIN_ITEMS,
    PER_CLUSTER,
    SAMPLE,
    SHORT_SIZE,
    Model,
    raw_features,
)
from survey.profiling.profiles import CHANNEL_CODES, FEATURES, ITEMS, ProfileSet


class NotMeasurable(ValueError):
    """Too few respondents answered enough items to compare a short module with the full one."""


@dataclass(frozen=True)
class ShortModule:
    items: tuple[str, ...]  # item codes of profiles.ITEMS, in that order
    agreement: float  # share of respondents whose short assignment equals their full one
    n: int  # the respondents it was measured on


def feature_mask(items) -> np.ndarray:
    """Which of the FEATURES columns a set of items covers (`channels` covers four)."""
    unknown = set(items) - set(ITEMS)
    if unknown:
        raise ValueError(f"unknown items: {', '.join(sorted(unknown))}")
    chosen = set(items)
    return np.array(
        [(f in CHANNEL_CODES and "channels" in chosen) or f in chosen for f in FEATURES]
    )


def measured_rows(model: Model, frame: pd.DataFrame) -> np.ndarray:
    """The scaled features of the respondents a short module is measured on.

    Those who answered all ten items; when fewer than five per cluster did, those who
    answered at least MIN_ITEMS of them. Raises NotMeasurable when that still leaves fewer
    than five per cluster: a share of so few says little. Of more than SAMPLE such
    respondents a seeded random SAMPLE is kept: 252 subsets are scored on each, and a share
    measured on 50,000 is exact to a few tenths of a percent.
    """
    raw, answered = raw_features(frame)
    needed = PER_CLUSTER * model.k
    rows = answered == len(ITEMS)
    if rows.sum() < needed:
        rows = answered >= MIN_ITEMS
    if rows.sum() < needed:
        raise NotMeasurable(
            f"{int(rows.sum())} respondents answered {MIN_ITEMS} or more items, {needed} needed"
        )
    picked = np.flatnonzero(rows)
    if len(picked) > SAMPLE:
        picked = np.sort(np.random.default_rng(0).choice(picked, SAMPLE, replace=False))
    return model.scaled(raw[picked])


def _agreement(model: Model, scaled: np.ndarray, full: np.ndarray, items) -> float:
    kept = np.where(feature_mask(items)[None, :], scaled, np.nan)
    # A row that answered none of the chosen items has no short assignment: it disagrees.
    answered_any = (~np.isnan(kept)).any(axis=1)
    return float(((model.nearest(kept) == full) & answered_any).mean())


def agreement(model: Model, frame: pd.DataFrame, items) -> float:
    """Share of the measured respondents whose profile from `items` alone is their full one."""
    scaled = measured_rows(model, frame)
    return _agreement(model, scaled, model.nearest(scaled), items)


def choose_items(model: Model, frame: pd.DataFrame, size: int = SHORT_SIZE) -> ShortModule:
    """The `size` items with the highest agreement, by trying every subset of the ten.

    Subsets are tried in the order of itertools.combinations over ITEMS; on a tie the first
    one wins, so the same model and data always give the same module.
    """
    if not 1 <= size <= len(ITEMS):
        raise ValueError(f"size must be between 1 and {len(ITEMS)}")
    scaled = measured_rows(model, frame)
    full = model.nearest(scaled)
    best, best_share = None, -1.0
    for items in combinations(ITEMS, size):
        share = _agreement(model, scaled, full, items)
        if share > best_share:
            best, best_share = items, share
    return ShortModule(tuple(best), best_share, len(scaled))


def derive_default(profiles: ProfileSet, n: int = 4000, seed: int = 0) -> ShortModule:
    """The short module for profiles.json: chosen on synthetic respondents from its prototypes.

    Run `python -m survey.profiling.short` to print it; tests/unit/test_short_module.py checks
    that the shipped list is still this one.
    """
    from survey.profiling import synthetic
    from survey.profiling.model import fit

    data = synthetic.respondents(profiles, n, noise=0.6, seed=seed)
    fitted, _labels, _summary = fit(data, profiles)
    return choose_items(fitted, data)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    from survey.profiling.profiles import load_profiles

    module = derive_default(load_profiles())
    print(f"short_module: {list(module.items)}  agreement {module.agreement:.3f} (n={module.n})")
