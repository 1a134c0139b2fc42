"""Profile mixes per group with Wilson intervals, suppression, gaps and recommended instruments."""

from __future__ import annotations

import math

import pandas as pd

from survey.profiling.profiles import MIXED, ProfileSet

Z95 = 1.959964


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default); (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def mix_of(labels: pd.Series, codes: list[str]) -> dict:
    """Share, 95% Wilson interval and count of each code among the labelled respondents."""
    labels = labels.dropna()
    n = len(labels)
    counts = labels.value_counts()
    out = {}
    for code in codes:
        count = int(counts.get(code, 0))
        low, high = wilson(count, n)
        out[code] = {
            "share": round(count / n, 4) if n else 0.0,
            "low": round(low, 4),
            "high": round(high, 4),
            "count": count,
        }
    return out


def mixes(labels: pd.Series, groups: pd.Series, codes: list[str]) -> dict:
    """Per group key (NaN keys skipped): n and the mix of its labelled respondents."""
    frame = pd.DataFrame({"profile": labels, "group": groups}).dropna()
    return {
        key: {"n": len(part), "mix": mix_of(part["profile"], codes)}
        for key, part in frame.groupby("group", sort=True)
    }


def suppress(cells: dict, total: int, min_n: int) -> set:
    """Keys to hide among sibling cells that add up to at most `total`.

    A cell below `min_n` is hidden (an empty one shows nothing and stays). When exactly one
    small group would be hidden (a cell, or the rest of the total outside the cells), the
    smallest shown cell is hidden too, so it cannot be recovered by subtracting.
    """
    hidden = {key for key, n in cells.items() if 0 < n < min_n}
    rest = total - sum(cells.values())
    small = len(hidden) + (1 if 0 < rest < min_n else 0)
    shown = sorted((n, str(key), key) for key, n in cells.items() if key not in hidden and n > 0)
    if small == 1 and total >= min_n and shown:
        hidden.add(shown[0][2])
    return hidden


def public_mix(entry: dict | None, hidden: bool) -> dict | None:
    """The mix without counts, or None when hidden."""
    if entry is None or hidden:
        return None
    return {code: {k: v for k, v in cell.items() if k != "count"} for code, cell in entry.items()}


def normalise(reference: dict | None, codes: list[str]) -> dict | None:
    """A reference mix over the known codes, summing to 1; None when it has nothing usable."""
    if not reference:
        return None
    usable = {c: float(reference.get(c, 0) or 0) for c in codes}
    total = sum(v for v in usable.values() if v > 0)
    if total <= 0:
        return None
    return {c: max(v, 0.0) / total for c, v in usable.items()}


def gaps(mix: dict | None, reference: dict | None, codes: list[str]) -> list[dict]:
    """Reached against expected per profile; under-reached when the interval lies below."""
    if mix is None or reference is None:
        return []
    rows = []
    for code in codes:
        cell = mix.get(code, {"share": 0.0, "low": 0.0, "high": 1.0})
        expected = reference.get(code, 0.0)
        rows.append(
            {
                "code": code,
                "share": cell["share"],
                "low": cell["low"],
                "high": cell["high"],
                "expected": round(expected, 4),
                "gap": round(cell["share"] - expected, 4),
                "under": cell["high"] < expected,
                "over": cell["low"] > expected,
            }
        )
    return rows


def recommend(
    mix: dict | None, reference: dict | None, profiles: ProfileSet, top: int = 5
) -> list[dict]:
    """A weighted mix of instruments for an area, each with the profiles it is for.

    A profile weighs by its share of the residents (the reference mix where known, else the
    reached mix) plus, when under-reached, the part that was not reached. Each profile's weight
    is spread over its instruments; instruments under 5% are left out, the rest sum to 1.
    """
    codes = profiles.codes
    if mix is None and reference is None:
        return []
    weights, under = {}, {}
    for code in codes:
        share = mix[code]["share"] if mix else None
        base = reference[code] if reference else share
        missed = max(0.0, base - share) if reference and mix else 0.0
        weights[code] = base + missed
        under[code] = bool(reference and mix and mix[code]["high"] < reference[code])
    scores: dict[str, float] = {}
    parts: dict[str, list] = {}
    for profile in profiles.profiles:
        for instrument in profile.instruments:
            part = weights[profile.code] / len(profile.instruments)
            scores[instrument] = scores.get(instrument, 0.0) + part
            parts.setdefault(instrument, []).append((part, profile.code))
    total = sum(scores.values())
    if total <= 0:
        return []
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    kept = [(code, s) for code, s in ranked if s / total >= 0.05][:top]
    kept_total = sum(s for _, s in kept)
    return [
        {
            "instrument": code,
            "weight": round(s / kept_total, 3),
            "because": [
                {
                    "profile": p,
                    "share": mix[p]["share"] if mix else None,
                    "expected": round(reference[p], 4) if reference else None,
                    "under": under[p],
                }
                for part, p in sorted(parts[code], key=lambda t: (-t[0], t[1]))
                if part > 0
            ][:3],
        }
        for code, s in kept
    ]


def named(codes: list[str]) -> list[str]:
    """The codes of a mix: the profiles, then the mixed group."""
    return [*codes, MIXED]
