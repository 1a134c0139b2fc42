"""Synthetic respondents drawn from the prototypes, for tests and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from survey.profiling.profiles import CHANNEL_CODES, SCALAR_ITEMS, ProfileSet


def _mean(prototype: dict, item: str) -> float:
    low, high = SCALAR_ITEMS[item]
    return prototype.get(item, (low + high) / 2)


def archetypes(k: int = 8, seed: int = 0) -> list[dict]:
    """k random prototypes unlike the shipped ones: every item uniform on its answer scale,
    every channel on or off with even chance."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(k):
        point = {item: float(rng.uniform(low, high)) for item, (low, high) in SCALAR_ITEMS.items()}
        point |= {channel: float(rng.random() < 0.5) for channel in CHANNEL_CODES}
        out.append(point)
    return out


def respondents(
    profiles: ProfileSet,
    n: int,
    *,
    mix: list[float] | None = None,
    noise: float = 0.6,
    flip: float = 0.1,
    missing: float = 0.0,
    seed: int = 0,
    archetypes: list[dict] | None = None,
) -> pd.DataFrame:
    """n respondents with a `true` profile column drawn from `mix` (uniform by default).

    With `archetypes` (prototype dicts, e.g. from `archetypes()`) they are drawn from those
    instead of the profiles' prototypes, and `true` is "a0", "a1", ... by archetype.

    `noise` is the standard deviation on a 1-5 item (other items in proportion), `flip` the
    chance a channel indicator differs from the prototype, `missing` the chance an item is
    left unanswered.
    """
    rng = np.random.default_rng(seed)
    if archetypes is None:
        prototypes, codes = [p.prototype for p in profiles.profiles], profiles.codes
    else:
        prototypes, codes = archetypes, [f"a{i}" for i in range(len(archetypes))]
    k = len(prototypes)
    p = np.full(k, 1 / k) if mix is None else np.asarray(mix, dtype=float) / sum(mix)
    truth = rng.choice(k, size=n, p=p)
    columns: dict = {"true": np.array(codes, dtype=object)[truth]}
    for item, (low, high) in SCALAR_ITEMS.items():
        means = np.array([_mean(proto, item) for proto in prototypes])[truth]
        values = np.clip(np.rint(rng.normal(means, noise * (high - low) / 4)), low, high)
        values[rng.random(n) < missing] = np.nan
        columns[item] = values
    chosen = np.zeros((n, len(CHANNEL_CODES)), dtype=bool)
    for j, channel in enumerate(CHANNEL_CODES):
        base = np.array([proto.get(channel, 0.3) for proto in prototypes])[truth]
        chance = base * (1 - flip) + (1 - base) * flip
        chosen[:, j] = rng.random(n) < chance
    lists = [[c for c, on in zip(CHANNEL_CODES, row, strict=True) if on] for row in chosen]
    gone = rng.random(n) < missing
    columns["channels"] = [None if g else lst for g, lst in zip(gone, lists, strict=True)]
    return pd.DataFrame(columns)
