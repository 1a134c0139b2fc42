"""Profile mixes per group with Wilson intervals, the small-group rule, gaps and instruments."""

from __future__ import annotations

import math

import pandas as pd

from survey.profiling import disclosure
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


def protect_mixes(rows: dict, splits: dict, root, k: int) -> dict:
    """Which mix cells and group sizes may be shown: node -> disclosure.Row (None = hidden).

    `rows` gives each node's profile counts and n (the counts split n); `splits` gives, per
    node, the lists of child nodes that split it (the wijken of the whole, and its channels;
    the buurten of a wijk). Every list is protected as linked rows of its parent, so no
    profile count under k can be worked out from a row, a column or the sizes; a cell a lower
    level has to hide is hidden again from the level above, until nothing changes.
    """
    forced: dict = {node: set() for node in rows}
    while True:
        result = {root: disclosure.protect(*rows[root], k, forced_hidden=forced[root])}
        grown, todo = False, [root]
        while todo:
            node = todo.pop(0)
            for kids in filter(None, splits.get(node, [])):
                todo.extend(kids)
                if result[node].total is None:  # a hidden row hides the rows that split it
                    result.update({c: disclosure.hidden_row(rows[c][0]) for c in kids})
                    continue
                linked = disclosure.protect_linked(
                    *rows[node],
                    {c: rows[c] for c in kids},
                    k,
                    forced_hidden=result[node].hidden,
                    forced_children={c: forced[c] for c in kids},
                )
                if linked.parent.hidden - forced[node]:
                    forced[node] |= linked.parent.hidden
                    grown = True
                result.update(linked.children)
        if not grown:
            return result


def counts_of(entry: dict | None, codes: list[str]) -> tuple[dict, int]:
    """A group's profile counts and n, for protect_mixes."""
    if entry is None:
        return dict.fromkeys(codes, 0), 0
    return {code: entry["mix"][code]["count"] for code in codes}, entry["n"]


def shown_mix(entry: dict | None, row: disclosure.Row) -> dict | None:
    """The mix without counts, a hidden share (and its interval) as None; None when hidden."""
    if entry is None or row.total is None:
        return None
    return {
        code: dict.fromkeys(("share", "low", "high"))
        if row.cells.get(code, 0) is None
        else {key: v for key, v in cell.items() if key != "count"}
        for code, cell in entry["mix"].items()
    }


def normalise(reference: dict | None, codes: list[str]) -> dict | None:
    """A reference mix over the known codes, summing to 1; None when it has nothing usable."""
    if not reference:
        return None
    usable = {c: float(reference.get(c, 0) or 0) for c in codes}
    total = sum(v for v in usable.values() if v > 0)
    if total <= 0:
        return None
    return {c: max(v, 0.0) / total for c, v in usable.items()}


def gaps(
    mix: dict | None, reference: dict | None, codes: list[str], bounds: dict | None = None
) -> list[dict]:
    """Reached against expected per profile; under-reached when the interval lies below.

    `bounds`, the expected mix with its interval ({code: {share, low, high}}), makes the flags
    stricter: under-reached when the reached interval lies below the expected one. A hidden
    share (None) has no gap and is never flagged: the flag would tell it is small.
    """
    if mix is None or reference is None:
        return []
    rows = []
    for code in codes:
        cell = mix.get(code, {"share": 0.0, "low": 0.0, "high": 1.0})
        expected = reference.get(code, 0.0)
        bound = (bounds or {}).get(code) or {"low": expected, "high": expected}
        if cell["share"] is None:
            hidden = {"gap": None, "under": False, "over": False}
            rows.append({"code": code, **cell, "expected": round(expected, 4), **hidden})
            continue
        rows.append(
            {
                "code": code,
                "share": cell["share"],
                "low": cell["low"],
                "high": cell["high"],
                "expected": round(expected, 4),
                "gap": round(cell["share"] - expected, 4),
                "under": cell["high"] < bound["low"],
                "over": cell["low"] > bound["high"],
            }
        )
    return rows


def recommend(
    mix: dict | None,
    reference: dict | None,
    profiles: ProfileSet,
    top: int = 5,
    hidden: frozenset | set = frozenset(),
) -> list[dict]:
    """A weighted mix of instruments for an area, each with the profiles it is for.

    A profile weighs by its share of the residents (the reference mix where known, else the
    reached mix) plus, when under-reached, the part that was not reached. Each profile's weight
    is spread over its instruments; instruments under 5% are left out, the rest sum to 1.
    The weights use the whole mix; for the `hidden` profiles what is returned about a profile
    (its share, whether it was under-reached) is None and False, so nothing reveals them.
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
                    "share": mix[p]["share"] if mix and p not in hidden else None,
                    "expected": round(reference[p], 4) if reference else None,
                    "under": under[p] and p not in hidden,
                }
                for part, p in sorted(parts[code], key=lambda t: (-t[0], t[1]))
                if part > 0
            ][:3],
        }
        for code, s in kept
    ]


def named(codes: list[str], model_names: list[str] | None = None) -> list[str]:
    """The codes of a mix: the profiles, then the model's mixed groups in cluster order.

    Without model names, or when every cluster matched a profile, the one mixed group.
    """
    mixed = [c for c in dict.fromkeys(model_names or []) if c not in codes]
    return [*codes, *(mixed or [MIXED])]
