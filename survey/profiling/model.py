"""Features, the clustering started from the prototypes, naming, assignment, JSON round trip."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import kmeans_plusplus
from sklearn.metrics import adjusted_rand_score

from survey.profiling.profiles import (
    CHANNEL_CODES,
    FEATURES,
    ITEMS,
    MIXED,
    SCALAR_ITEMS,
    ProfileSet,
)

MIN_ITEMS = 6  # of the full module's ten items, a respondent answers at least this many
SHORT_SIZE = 5  # the short module asks five items (survey.profiling.short chooses them)
PER_CLUSTER = 5  # fitting needs at least this many usable respondents per profile
CHANNEL_WEIGHT = 0.5  # the four channel indicators together weigh as much as two items
# A cluster whose centroid is further than this from its matched prototype (root mean square
# over the prototype's items, in scaled units where a 1-5 item spans 1) is "gemengd".
MIXED_DISTANCE = 0.22
MAX_ITERATIONS = 300
EXTRA_STARTS = 9  # k-means++ starts beside the prototypes, seeds 0..8
# Above this many usable respondents the starts compete on a random sample of this size and
# only the winner runs on everyone; the stability resamples draw this many (see `stability`).
SAMPLE = 50_000


class TooFewRespondents(ValueError):
    """Not enough usable respondents to fit a model."""

    def __init__(self, usable: int, needed: int):
        super().__init__(f"{usable} usable respondents, at least {needed} needed")
        self.usable = usable
        self.needed = needed


def _scaling() -> tuple[np.ndarray, np.ndarray]:
    """Offset and scale per feature: (answer - offset) / scale."""
    offset = [SCALAR_ITEMS[f][0] if f in SCALAR_ITEMS else 0.0 for f in FEATURES]
    scale = [
        SCALAR_ITEMS[f][1] - SCALAR_ITEMS[f][0] if f in SCALAR_ITEMS else 1 / CHANNEL_WEIGHT
        for f in FEATURES
    ]
    return np.asarray(offset, dtype=float), np.asarray(scale, dtype=float)


def raw_features(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The feature matrix on the answer scales (NaN where missing) and items answered per row.

    `frame` has a column per scalar item (numbers; missing or None allowed) and `channels`
    (a list of channel codes; None, NaN or an empty list is missing). Absent columns are missing.
    """
    n = len(frame)
    out = np.full((n, len(FEATURES)), np.nan)
    answered = np.zeros(n, dtype=int)
    for j, item in enumerate(SCALAR_ITEMS):
        if item in frame:
            low, high = SCALAR_ITEMS[item]
            values = pd.to_numeric(frame[item], errors="coerce").to_numpy(dtype=float, copy=True)
            values[(values < low) | (values > high)] = np.nan
            out[:, j] = values
            answered += ~np.isnan(values)
    if "channels" in frame:
        missing = (np.nan,) * len(CHANNEL_CODES)
        rows = [
            tuple(float(c in chosen) for c in CHANNEL_CODES)
            if isinstance(chosen, list | tuple | set) and chosen
            else missing
            for chosen in frame["channels"]
        ]
        if rows:
            out[:, len(SCALAR_ITEMS) :] = np.array(rows, dtype=float)
        answered += ~np.isnan(out[:, len(SCALAR_ITEMS)])
    return out, answered


def usable(answered: np.ndarray) -> np.ndarray:
    """Which respondents count for fitting and assignment, from the items each answered.

    Those who answered a whole short module (SHORT_SIZE items) or at least MIN_ITEMS of the
    ten. A row does not say which module it came from, so this is: at least SHORT_SIZE items.
    How well five items stand in for ten is measured by survey.profiling.short.agreement.
    """
    return answered >= min(SHORT_SIZE, MIN_ITEMS)


@dataclass
class Model:
    """A fitted model: everything needed to assign new respondents, as plain numbers."""

    offset: np.ndarray
    scale: np.ndarray
    centroids: np.ndarray  # scaled, one row per cluster
    names: list[str]  # profile code per cluster, or a mixed code (gemengd-a, ...)
    distances: list[float]  # to the matched prototype
    profile_digest: str = ""

    @property
    def k(self) -> int:
        return len(self.names)

    def scaled(self, raw: np.ndarray) -> np.ndarray:
        return (raw - self.offset) / self.scale

    def nearest(self, scaled: np.ndarray) -> np.ndarray:
        """The nearest centroid per row, over the features that row answered."""
        mask = ~np.isnan(scaled)
        x = np.where(mask, scaled, 0.0)
        c = self.centroids
        d = (x * x).sum(1)[:, None] - 2 * x @ c.T + mask.astype(float) @ (c * c).T
        return d.argmin(axis=1)

    def assign(self, frame: pd.DataFrame) -> pd.Series:
        """The profile code per respondent; None for those with too few items."""
        return self._assign(frame, *raw_features(frame))

    def _assign(self, frame: pd.DataFrame, raw: np.ndarray, answered: np.ndarray) -> pd.Series:
        rows = usable(answered)
        names = np.array(self.names, dtype=object)
        labels = np.full(len(frame), None, dtype=object)
        if rows.any():
            labels[rows] = names[self.nearest(self.scaled(raw[rows]))]
        return pd.Series(labels, index=frame.index, name="profile")

    def centroids_on_scale(self) -> np.ndarray:
        return self.centroids * self.scale + self.offset

    def to_json(self) -> dict:
        return {
            "features": list(FEATURES),
            "offset": self.offset.tolist(),
            "scale": self.scale.tolist(),
            "centroids": np.round(self.centroids, 6).tolist(),
            "names": list(self.names),
            "distances": [round(float(d), 6) for d in self.distances],
            "profile_digest": self.profile_digest,
        }

    @classmethod
    def from_json(cls, data: dict) -> Model:
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError("the stored model was fitted on other features")
        return cls(
            np.asarray(data["offset"], dtype=float),
            np.asarray(data["scale"], dtype=float),
            np.asarray(data["centroids"], dtype=float),
            list(data["names"]),
            list(data["distances"]),
            data.get("profile_digest", ""),
        )


def prototype_matrix(profiles: ProfileSet, fill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scaled prototypes (unspecified items filled from `fill`) and which items each specifies."""
    offset, scale = _scaling()
    specified = np.array([[f in p.prototype for f in FEATURES] for p in profiles.profiles])
    values = np.array([[p.prototype.get(f, np.nan) for f in FEATURES] for p in profiles.profiles])
    scaled = (values - offset) / scale
    return np.where(specified, scaled, fill), specified


def _match(centroids: np.ndarray, protos: np.ndarray, specified: np.ndarray):
    """Name clusters by optimal one-to-one matching (Hungarian) on prototype distance."""
    diff = centroids[:, None, :] - protos[None, :, :]
    cost = np.sqrt((diff**2 * specified[None]).sum(2) / specified.sum(1)[None])
    rows, cols = linear_sum_assignment(cost)
    return cols[np.argsort(rows)], cost[rows, cols][np.argsort(rows)]


def _nearest(x: np.ndarray, mask: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Squared distance of each row to each centroid over the features that row answered."""
    filled = np.where(mask, x, 0.0)
    c = centroids
    d = (filled * filled).sum(1)[:, None] - 2 * filled @ c.T + mask.astype(float) @ (c * c).T
    return np.maximum(d, 0.0)


def _kmeans(x: np.ndarray, mask: np.ndarray, init: np.ndarray) -> tuple[np.ndarray, float]:
    """k-means from `init`; missing values re-imputed from their cluster's centroid (k-POD).

    Returns the centroids and the objective: the within-cluster sum of squares over the
    answered features. A cluster that loses all its members keeps its centroid.

    Written for a million rows, with the same numbers as the plain loop: the product is taken
    with -2 * centroids (exact, a power of two) so there is no extra pass over the n x k
    distances; a row's squared length is recomputed only for rows with a missing answer (the
    others do not change); only the missing cells are re-imputed, in place. The cluster sums
    stay a bincount per column: one bincount over the flattened matrix is no faster and needs
    an n x d index array, np.add.at is 3x slower. Not done, as it would change the results:
    float32 (about 2.5x faster products, half the memory), dropping the row lengths (they do
    not change which centroid is nearest, but they change how exact ties round), a one-hot
    matrix product for the sums (other rounding), and stopping hopeless starts early (the
    objective of a start that is behind can still end lowest).
    """
    k, d = init.shape
    filled = np.where(mask, x, init.mean(axis=0))
    gap_rows, gap_cols = np.nonzero(~mask)
    centroids, labels = np.array(init, dtype=float), None
    gappy = np.flatnonzero(~mask.all(axis=1))  # only these rows' squared lengths change
    lengths = (filled * filled).sum(1)
    for _ in range(MAX_ITERATIONS):
        rows = filled[gappy]
        lengths[gappy] = (rows * rows).sum(1)
        distance = filled @ (-2 * centroids).T  # the same as -2 * (filled @ centroids.T)
        distance += lengths[:, None]
        distance += (centroids * centroids).sum(1)
        new_labels = distance.argmin(axis=1)
        if labels is not None and np.array_equal(labels, new_labels):
            break
        labels = new_labels
        counts = np.bincount(labels, minlength=k)
        sums = np.stack(
            [np.bincount(labels, weights=filled[:, j], minlength=k) for j in range(d)], axis=1
        )
        members = counts > 0
        centroids[members] = sums[members] / counts[members, None]
        filled[gap_rows, gap_cols] = centroids[labels[gap_rows], gap_cols]
    objective = float(_nearest(x, mask, centroids).min(axis=1).sum())
    return centroids, objective


def _column_means(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The mean of each column over its answered values; NaN for an item nobody answered
    (a survey with only the short module), without numpy's empty-slice warning."""
    counts = mask.sum(axis=0)
    sums = np.where(mask, x, 0.0).sum(axis=0)
    return np.divide(sums, counts, out=np.full(x.shape[1], np.nan), where=counts > 0)


def _starts(x: np.ndarray, mask: np.ndarray, protos: np.ndarray) -> list[np.ndarray]:
    """The prototypes, then k-means++ starts with fixed seeds on the mean-filled answers."""
    filled = np.where(mask, x, _column_means(x, mask))
    filled = np.nan_to_num(filled, nan=0.5)
    starts = [protos]
    for seed in range(EXTRA_STARTS):
        centres, _ = kmeans_plusplus(filled, len(protos), random_state=seed)
        starts.append(centres)
    return starts


def best_centroids(x: np.ndarray, mask: np.ndarray, protos: np.ndarray) -> np.ndarray:
    """k-means from every start; the centroids with the lowest objective (the first on a tie).

    With more than SAMPLE rows the starts compete on a seeded random sample of SAMPLE rows and
    the winner's centroids start one k-means on all rows: ten full runs on a million rows
    would cost ten times as much for the same groups (the sample's clusters have thousands of
    members each, so which start wins is settled long before).
    """
    if len(x) > SAMPLE:
        rows = np.sort(np.random.default_rng(0).choice(len(x), SAMPLE, replace=False))
        return _kmeans(x, mask, best_centroids(x[rows], mask[rows], protos))[0]
    best, best_objective = None, np.inf
    for init in _starts(x, mask, protos):
        centroids, objective = _kmeans(x, mask, init)
        if objective < best_objective * (1 - 1e-9):
            best, best_objective = centroids, objective
    return best


def mixed_code(index: int) -> str:
    """The code of the index-th cluster (from 0) that matches no prototype: gemengd-a, -b, ..."""
    return f"{MIXED}-{chr(ord('a') + index)}"


def fit(frame: pd.DataFrame, profiles: ProfileSet) -> tuple[Model, pd.Series, dict]:
    """Fit on all respondents; return the model, the profile per respondent, and a summary.

    k-means runs from the prototypes and from a few k-means++ starts; the start with the
    lowest within-cluster sum of squares wins. Clusters are named by optimal matching to the
    prototypes; one too far from its prototype keeps a code of its own (gemengd-a, ...).
    Raises TooFewRespondents when fewer than 5 usable respondents (see `usable`) per profile
    remain.
    """
    raw, answered = raw_features(frame)
    rows = usable(answered)
    k = len(profiles.profiles)
    needed = PER_CLUSTER * k
    if rows.sum() < needed:
        raise TooFewRespondents(int(rows.sum()), needed)
    offset, scale = _scaling()
    x = (raw[rows] - offset) / scale
    mask = ~np.isnan(x)
    column_means = np.nan_to_num(_column_means(x, mask), nan=0.5)
    protos, specified = prototype_matrix(profiles, column_means)
    centroids = best_centroids(x, mask, protos)
    order, distance = _match(centroids, protos, specified)
    # Put clusters in the order of the definitions file so the same data gives the same JSON.
    rank = np.argsort(order)
    names, mixed = [], 0
    for i in rank:
        if distance[i] <= MIXED_DISTANCE:
            names.append(profiles.profiles[order[i]].code)
        else:
            names.append(mixed_code(mixed))
            mixed += 1
    model = Model(
        offset,
        scale,
        centroids[rank],
        names,
        [float(distance[i]) for i in rank],
        profiles.digest,
    )
    labels = model._assign(frame, raw, answered)
    summary = {
        "respondents": len(frame),
        "used": int(rows.sum()),
        "left_out": int((~rows).sum()),
        "answered": {item: int(c) for item, c in zip(ITEMS, _answered_per_item(raw), strict=True)},
        "clusters": {
            code: int((labels == code).sum()) for code in dict.fromkeys(model.names) if code
        },
    }
    return model, labels, summary


def stability(
    frame: pd.DataFrame,
    profiles: ProfileSet,
    resamples: int = 5,
    seed: int = 0,
    *,
    fitted: Model | None = None,
) -> float:
    """How much the model depends on who happened to answer, from 0 to 1.

    The mean adjusted Rand index between the full data's clusters and those of fits on
    bootstrap resamples (respondents drawn with replacement), both assigning every usable
    respondent of the full data. Near 1: the same groups come back; near 0: they do not. A
    resample with too few usable respondents to fit counts as 0. Raises TooFewRespondents
    when the full data cannot be fitted. `fitted`, the model already fitted on `frame`,
    saves fitting it again.

    Each resample is fitted exactly as the full data is, from all the starts. Fewer starts
    would be quicker but would measure a sloppier fit than the one shown: the figure would
    then also count start-to-start luck as instability, and small surveys would get a
    warning they do not deserve.

    With more than SAMPLE respondents, each resample draws SAMPLE of them (an m-out-of-n
    bootstrap) and the agreement is measured on a sample of SAMPLE usable respondents. The
    figure then says how stable a model fitted on SAMPLE respondents would be; one fitted on
    more is at least as stable, so the figure errs on the careful side.
    """
    full = fitted if fitted is not None else fit(frame, profiles)[0]
    raw, answered = raw_features(frame)
    scaled = full.scaled(raw[usable(answered)])
    rng = np.random.default_rng(seed)
    size = min(len(frame), SAMPLE)
    if len(scaled) > SAMPLE:
        scaled = scaled[np.sort(rng.choice(len(scaled), SAMPLE, replace=False))]
    reference = full.nearest(scaled)
    scores = []
    for _ in range(resamples):
        sample = frame.iloc[rng.integers(0, len(frame), size)].reset_index(drop=True)
        try:
            refitted, _labels, _summary = fit(sample, profiles)
        except TooFewRespondents:
            scores.append(0.0)
            continue
        scores.append(adjusted_rand_score(reference, refitted.nearest(scaled)))
    return float(np.mean(scores)) if scores else 0.0


def _answered_per_item(raw: np.ndarray) -> list[int]:
    scalars = (~np.isnan(raw[:, : len(SCALAR_ITEMS)])).sum(0).tolist()
    return [*scalars, int((~np.isnan(raw[:, len(SCALAR_ITEMS)])).sum())]


def distinctive(model: Model, sizes: dict | None = None, top: int = 2) -> list[list[dict]]:
    """Per cluster, the `top` items where its centroid differs most from the overall mean.

    The overall mean is the mean of the centroids weighted by `sizes` (code -> respondents;
    equal weights without them); differences are in scaled units, so the items compare.
    Each entry: {item, direction ("higher" or "lower"), difference on the answer scale}.
    """
    weights = np.array(
        [float((sizes or {}).get(c, 1 if sizes is None else 0)) for c in model.names]
    )
    if weights.sum() <= 0:
        weights = np.ones(model.k)
    mean = weights @ model.centroids / weights.sum()
    out = []
    for centroid in model.centroids:
        diff = centroid - mean
        picked = np.argsort(-np.abs(diff), kind="stable")[:top]
        out.append(
            [
                {
                    "item": FEATURES[j],
                    "direction": "higher" if diff[j] > 0 else "lower",
                    "difference": round(float(diff[j] * model.scale[j]), 2),
                }
                for j in picked
                if diff[j] != 0
            ]
        )
    return out


def compare(model: Model, profiles: ProfileSet, sizes: dict | None = None) -> list[dict]:
    """Each cluster's centroid against its prototype, on the answer scales, and the items
    that set it apart from the overall mean (see `distinctive`)."""
    on_scale = model.centroids_on_scale()
    apart = distinctive(model, sizes)
    rows = []
    for i, code in enumerate(model.names):
        prototype = profiles.get(code).prototype
        rows.append(
            {
                "code": code,
                "distance": model.distances[i],
                "distinctive": apart[i],
                "items": [
                    {
                        "item": f,
                        "low": SCALAR_ITEMS.get(f, (0, 1))[0],
                        "high": SCALAR_ITEMS.get(f, (0, 1))[1],
                        "centroid": round(float(on_scale[i, j]), 2),
                        "prototype": prototype.get(f),
                    }
                    for j, f in enumerate(FEATURES)
                ],
            }
        )
    return rows
