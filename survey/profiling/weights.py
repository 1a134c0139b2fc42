"""Weights that make the respondents of an area look like its CBS make-up, and how far off
they were: raking (iterative proportional fitting) with weightipy, Kish's effective sample
size, and a representativeness score.

weightipy is a small, maintained implementation of RIM weighting (raking), the method
market research and the CBS use when only margins are known; it needs nothing beyond pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WEIGHTED_ON = ("age_band", "household")  # the margins figures are weighted to
UNKNOWN = "?"  # the category of a respondent who did not answer: kept at its own share


def targets(frame: pd.DataFrame, area_margins: dict) -> dict[str, dict[str, float]]:
    """The raking targets (percentages) per characteristic with a known margin.

    Respondents who did not answer a characteristic keep their own share; the known
    categories share the rest as in the margin. A category nobody in the sample has cannot
    be weighted up: it is dropped and the others share its part.
    """
    out = {}
    for item in WEIGHTED_ON:
        margin = area_margins.get(item)
        if not margin or item not in frame:
            continue
        values = frame[item].fillna(UNKNOWN)
        present = set(values)
        unknown = float((values == UNKNOWN).mean())
        known = {c: s for c, s in margin.items() if c in present and s > 0}
        total = sum(known.values())
        if total <= 0 or len(known) < 1:
            continue
        out[item] = {c: 100 * (1 - unknown) * s / total for c, s in known.items()}
        if unknown > 0:
            out[item][UNKNOWN] = 100 * unknown
    return out


def rake(frame: pd.DataFrame, area_margins: dict) -> np.ndarray:
    """A weight per respondent (mean 1) so the weighted sample matches the area's margins.

    Ones when no margin is known. Respondents whose category has no target get weight 0.
    """
    goals = targets(frame, area_margins)
    if not goals or len(frame) == 0:
        return np.ones(len(frame))
    import weightipy as wp

    data = pd.DataFrame({item: frame[item].fillna(UNKNOWN).astype(str) for item in goals})
    data = data.reset_index(drop=True)
    inside = np.ones(len(data), dtype=bool)
    for item, goal in goals.items():
        inside &= data[item].isin(list(goal)).to_numpy()
    weights = np.zeros(len(data))
    if inside.sum() == 0:
        return np.ones(len(frame))
    scheme = wp.scheme_from_dict(goals, name="buurt")
    raked = wp.weight(data[inside].reset_index(drop=True), scheme).to_numpy(dtype=float)
    weights[inside] = raked
    return weights * len(weights) / weights.sum()


def effective_n(weights: np.ndarray) -> float:
    """Kish's effective sample size: (sum w)^2 / sum w^2."""
    weights = np.asarray(weights, dtype=float)
    square = float((weights**2).sum())
    return float(weights.sum() ** 2 / square) if square > 0 else 0.0


def distribution(values: pd.Series, weights: np.ndarray | None = None) -> dict[str, float]:
    """The (weighted) share of each answered value; unanswered ones left out."""
    weights = np.ones(len(values)) if weights is None else np.asarray(weights, dtype=float)
    mask = values.notna().to_numpy()
    total = weights[mask].sum()
    if total <= 0:
        return {}
    out: dict[str, float] = {}
    for value, w in zip(values[mask], weights[mask], strict=True):
        out[value] = out.get(value, 0.0) + float(w / total)
    return out


def representativeness(reached: dict[str, float], population: dict[str, float]) -> float:
    """How alike two distributions are, from 0 to 1: 1 minus their total variation distance.

    1 means the reached mix is exactly the population's; 0 that they share nothing.
    """
    keys = set(reached) | set(population)
    return 1.0 - 0.5 * float(sum(abs(reached.get(k, 0.0) - population.get(k, 0.0)) for k in keys))


def area_representativeness(frame: pd.DataFrame, area_margins: dict) -> dict | None:
    """Per characteristic with a known margin and answers: the score; and their mean."""
    scores = {}
    for item in WEIGHTED_ON:
        margin = area_margins.get(item)
        if not margin or item not in frame:
            continue
        reached = distribution(frame[item])
        if reached:
            scores[item] = round(representativeness(reached, margin), 3)
    if not scores:
        return None
    return {"score": round(sum(scores.values()) / len(scores), 3), "by": scores}
