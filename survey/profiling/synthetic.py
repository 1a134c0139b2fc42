"""Synthetic respondents drawn from the prototypes, for tests and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from survey.profiling.profiles import CHANNEL_CODES, SCALAR_ITEMS, ProfileSet


def _mean(profile, item: str) -> float:
    low, high = SCALAR_ITEMS[item]
    return profile.prototype.get(item, (low + high) / 2)


def respondents(
    profiles: ProfileSet,
    n: int,
    *,
    mix: list[float] | None = None,
    noise: float = 0.6,
    flip: float = 0.1,
    missing: float = 0.0,
    seed: int = 0,
) -> pd.DataFrame:
    """n respondents with a `true` profile column drawn from `mix` (uniform by default).

    `noise` is the standard deviation on a 1-5 item (other items in proportion), `flip` the
    chance a channel indicator differs from the prototype, `missing` the chance an item is
    left unanswered.
    """
    rng = np.random.default_rng(seed)
    k = len(profiles.profiles)
    p = np.full(k, 1 / k) if mix is None else np.asarray(mix, dtype=float) / sum(mix)
    truth = rng.choice(k, size=n, p=p)
    columns: dict = {"true": np.array(profiles.codes, dtype=object)[truth]}
    for item, (low, high) in SCALAR_ITEMS.items():
        means = np.array([_mean(prof, item) for prof in profiles.profiles])[truth]
        values = np.clip(np.rint(rng.normal(means, noise * (high - low) / 4)), low, high)
        values[rng.random(n) < missing] = np.nan
        columns[item] = values
    chosen = np.zeros((n, len(CHANNEL_CODES)), dtype=bool)
    for j, channel in enumerate(CHANNEL_CODES):
        base = np.array([prof.prototype.get(channel, 0.3) for prof in profiles.profiles])[truth]
        chance = base * (1 - flip) + (1 - base) * flip
        chosen[:, j] = rng.random(n) < chance
    lists = [[c for c, on in zip(CHANNEL_CODES, row, strict=True) if on] for row in chosen]
    gone = rng.random(n) < missing
    columns["channels"] = [None if g else lst for g, lst in zip(gone, lists, strict=True)]
    return pd.DataFrame(columns)
