"""Opinion groups from swipe votes, in the manner of Polis.

A vote matrix goes in: one row per participant, one column per statement, agree +1,
disagree -1, skip 0, not seen NaN. Out come groups of participants who vote alike, the
statements that set each group apart, and the statements (nearly) everyone agrees on.
Pure pandas, numpy and scikit-learn; the same input always gives the same output.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from survey.profiling import disclosure

VOTES = {"agree": 1.0, "disagree": -1.0, "skip": 0.0}
CELLS = ("agree", "disagree", "skip")
UNCLUSTERED = "unclustered"  # the participants with too few votes, a cell of the size row
MIN_VOTES = 7  # votes a participant needs to be clustered (or every statement of a short deck)
MAX_K = 5
# A larger k must beat the best smaller one by this much silhouette to be chosen. Polis keeps
# its k until a new k has won several updates in a row (its k smoothing); one run has no
# history, so a near tie goes to the fewer, larger groups instead.
K_MARGIN = 0.02
Z_90 = 1.2816  # one-sided 90% critical value of the standard normal
MAX_REPRESENTATIVE = 5
SEED = 0


@dataclass(frozen=True)
class Representative:
    """A statement on which a group votes differently from everyone else."""

    statement: object
    direction: str  # "agree" | "disagree"
    rate: float | None  # Laplace-smoothed share of the group voting in `direction`
    rate_rest: float | None  # the same share among the other clustered participants
    agree: float  # the group's smoothed agree rate
    disagree: float  # the group's smoothed disagree rate
    z: float  # two-proportion z (group against the rest), one-sided
    n: int  # votes of the group on the statement


@dataclass(frozen=True)
class Consensus:
    """A statement that everyone, and every group, leans the same way on."""

    statement: object
    direction: str
    agree: float | None
    disagree: float | None
    z: float  # one-proportion z of the direction's rate against one half
    n: int


@dataclass(frozen=True)
class Group:
    group: int
    size: int
    representative: list[Representative]


@dataclass(frozen=True)
class OpinionGroups:
    k: int  # groups found (0 when too few participants could be clustered)
    participants: dict  # participant -> group number, or None (not clustered or group hidden)
    groups: list[Group]  # only groups of at least min_group_size
    consensus: list[Consensus]
    hidden_groups: int  # groups found but not shown (small, or their size could be worked out)
    unclustered: int | None  # participants with too few votes (None: hidden, see find_groups)
    min_group_size: int
    coordinates: dict  # participant -> (x, y) on the two main axes, for shown groups only
    silhouettes: dict  # k tried -> silhouette score (empty when k was fixed)

    def to_dict(self) -> dict:
        """A JSON-ready dictionary (the CLI's output)."""
        data = asdict(self)
        data["participants"] = {str(p): g for p, g in self.participants.items()}
        data.pop("coordinates")
        data["silhouettes"] = {str(k): round(s, 4) for k, s in self.silhouettes.items()}
        for group in data["groups"]:
            group["representative"] = [_rounded(r) for r in group["representative"]]
        data["consensus"] = [_rounded(c) for c in data["consensus"]]
        data["note"] = self.note()
        return data

    def note(self) -> str:
        """Why fewer groups are shown than found (empty when all are shown)."""
        if self.k == 0:
            return "no groups: too few participants with enough votes, or all voted alike"
        if self.hidden_groups:
            return (
                f"{self.hidden_groups} of {self.k} groups are not shown: they have fewer than "
                f"{self.min_group_size} participants, or their size could be worked out"
            )
        return ""


def _rounded(item: dict) -> dict:
    return {key: round(v, 4) if isinstance(v, float) else v for key, v in item.items()}


def vote_matrix(votes: pd.DataFrame) -> pd.DataFrame:
    """Long votes (participant, statement, vote as +1/-1/0 or agree/disagree/skip) to a matrix."""
    values = votes["vote"].map(lambda v: VOTES.get(v, v) if isinstance(v, str) else v)
    frame = votes.assign(vote=pd.to_numeric(values, errors="coerce"))
    wide = frame.pivot_table(
        index="participant", columns="statement", values="vote", aggfunc="last", dropna=False
    )
    return _clean(wide)


def _clean(matrix: pd.DataFrame) -> pd.DataFrame:
    """Sorted rows and columns, float votes, anything but +1/-1/0 treated as not seen."""
    m = matrix.astype(float)
    m = m.where(m.isin([-1.0, 0.0, 1.0]))
    return m.sort_index(axis=0).sort_index(axis=1)


def find_groups(
    matrix: pd.DataFrame,
    k: int | None = None,
    min_group_size: int = 1,
    min_votes: int = MIN_VOTES,
) -> OpinionGroups:
    """Cluster the participants who voted enough; describe the groups and the consensus.

    The small-group rule (disclosure) with k = min_group_size: the group sizes and the
    participants with too few votes split all participants, a known total, so a group is
    shown only where that row may show its size (a hidden group's members are no point in
    the picture either). A rate printed for a group, for the rest or for everyone is None
    where the counts under it may not be shown (see _guarded).
    """
    m = _clean(matrix)
    need = min(min_votes, m.shape[1])
    clustered = m[m.notna().sum(axis=1) >= max(need, 1)]
    with threadpool_limits(limits=1):  # small matrices: threads only fight over the cores
        labels, coords, silhouettes = _cluster(clustered, k)
    sizes = np.bincount(labels) if labels.size else np.array([], dtype=int)
    cells = {g: int(size) for g, size in enumerate(sizes)} | {UNCLUSTERED: len(m) - len(clustered)}
    size_row = disclosure.protect(cells, len(m), min_group_size)
    shown = {g for g in range(len(sizes)) if size_row.cells[g] is not None}
    participants = dict.fromkeys(m.index.tolist())
    coordinates = {}
    members = clustered.index.tolist() if labels.size else []
    for pid, label, xy in zip(members, labels.tolist(), coords, strict=True):
        if label in shown:
            participants[pid] = label
            coordinates[pid] = (float(xy[0]), float(xy[1]))
    rows = vote_rows(m, min_group_size)
    groups = [
        Group(g, int(sizes[g]), _representative(clustered, labels, g, rows, min_group_size))
        for g in sorted(shown)
    ]
    return OpinionGroups(
        k=int(len(sizes)),
        participants=participants,
        groups=groups,
        consensus=[_shown_consensus(c, rows) for c in _consensus(m, clustered, labels)],
        hidden_groups=int(len(sizes) - len(shown)),
        unclustered=size_row.cells[UNCLUSTERED],
        min_group_size=min_group_size,
        coordinates=coordinates,
        silhouettes=silhouettes,
    )


def _cluster(clustered: pd.DataFrame, k: int | None):
    """Labels 0..k-1 (largest group first), 2-D coordinates, silhouettes of the k tried."""
    empty = np.array([], dtype=int), np.zeros((0, 2)), {}
    n = len(clustered)
    if n < 3 or clustered.shape[1] < 2:
        if k is not None:
            raise ValueError(f"too few participants or statements to form {k} groups")
        return empty
    means = clustered.mean(axis=0).fillna(0.0)
    filled = clustered.fillna(means).to_numpy()
    if len(np.unique(filled, axis=0)) < 2:  # everyone voted alike: one opinion, no groups
        if k is not None and k > 1:
            raise ValueError("everyone voted alike: there are no groups to form")
        return empty
    coords = PCA(n_components=2, svd_solver="full").fit_transform(filled)
    distinct = len(np.unique(coords.round(9), axis=0))
    if k is not None:
        if not 1 <= k <= distinct:
            raise ValueError(f"k must be between 1 and {distinct} for these votes")
        return _canonical(_kmeans(coords, k)), coords, {}
    k_max = min(MAX_K, int(2 + n / 12), distinct, n - 1)
    best, silhouettes = None, {}
    for candidate in range(2, k_max + 1):
        labels = _kmeans(coords, candidate)
        silhouettes[candidate] = float(silhouette_score(coords, labels))
        if best is None or silhouettes[candidate] > silhouettes[best[0]] + K_MARGIN:
            best = (candidate, labels)
    if best is None:
        return empty
    return _canonical(best[1]), coords, silhouettes


def _kmeans(coords: np.ndarray, k: int) -> np.ndarray:
    return KMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(coords)


def _canonical(labels: np.ndarray) -> np.ndarray:
    """Number groups by size (largest first), ties by their first participant."""
    found = np.unique(labels)
    order = sorted(found, key=lambda g: (-int((labels == g).sum()), int(np.argmax(labels == g))))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping[g] for g in labels], dtype=int)


def _counts(block: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Agrees, disagrees and votes seen (skips included) per statement."""
    values = block.to_numpy()
    agree = (values == 1).sum(axis=0)
    disagree = (values == -1).sum(axis=0)
    seen = (~np.isnan(values)).sum(axis=0)
    return agree, disagree, seen


def _smoothed(hits: np.ndarray, seen: np.ndarray) -> np.ndarray:
    return (hits + 1) / (seen + 2)


def _two_prop_z(hits1, seen1, hits2, seen2) -> np.ndarray:
    """z of (smoothed rate 1 - smoothed rate 2) with a pooled standard error."""
    p1, p2 = _smoothed(hits1, seen1), _smoothed(hits2, seen2)
    pooled = (hits1 + hits2 + 2) / (seen1 + seen2 + 4)
    se = np.sqrt(pooled * (1 - pooled) * (1 / (seen1 + 2) + 1 / (seen2 + 2)))
    return (p1 - p2) / se


def _cells(agree, disagree, seen) -> tuple[dict, int]:
    """Counts of one statement as a row of the small-group rule, and its total."""
    skip = seen - agree - disagree
    return {"agree": int(agree), "disagree": int(disagree), "skip": int(skip)}, int(seen)


def vote_row(agree: int, disagree: int, skip: int, k: int) -> disclosure.Row:
    """One statement's agree, disagree and skip counts as an officer may see them."""
    return disclosure.protect(
        {"agree": agree, "disagree": disagree, "skip": skip}, agree + disagree + skip, k
    )


def vote_rows(everyone: pd.DataFrame, k: int) -> dict:
    """Per statement: everyone's counts, their total and the row as the votes table shows it."""
    a, d, n = _counts(everyone)
    rows = {}
    for i, statement in enumerate(everyone.columns):
        cells, seen = _cells(a[i], d[i], n[i])
        rows[statement] = (cells, seen, vote_row(*cells.values(), k))
    return rows


def _guarded(rows: dict, statement, group: tuple, rest: tuple, k: int):
    """The group's and the rest's votes on a statement as they may be shown (for rates): the
    two rows split everyone's (the participants with too few votes are the unlisted rest)."""
    cells, seen, row = rows[statement]
    split = {"group": _cells(*group), "rest": _cells(*rest)}
    linked = disclosure.protect_linked(cells, seen, split, k, forced_hidden=row.hidden)
    return linked.children["group"], linked.children["rest"]


def _representative(clustered: pd.DataFrame, labels: np.ndarray, group: int, rows: dict, k: int):
    """The statements on which the group leans one way significantly more than the rest."""
    inside, rest = clustered[labels == group], clustered[labels != group]
    a, d, n = _counts(inside)
    ra, rd, rn = _counts(rest)
    pa, pd_, pa_r, pd_r = _smoothed(a, n), _smoothed(d, n), _smoothed(ra, rn), _smoothed(rd, rn)
    za, zd = _two_prop_z(a, n, ra, rn), _two_prop_z(d, n, rd, rn)
    found = []
    for i, statement in enumerate(clustered.columns):
        if n[i] == 0:
            continue
        if za[i] > Z_90 and pa[i] > pd_[i] and za[i] >= zd[i]:
            found.append((statement, "agree", pa[i], pa_r[i], za[i], i))
        elif zd[i] > Z_90 and pd_[i] > pa[i]:
            found.append((statement, "disagree", pd_[i], pd_r[i], zd[i], i))
    found.sort(key=lambda f: (-f[4], f[5]))
    reps = []
    for s, direction, rate, rate_r, z, i in found[:MAX_REPRESENTATIVE]:
        mine, others = _guarded(rows, s, (a[i], d[i], n[i]), (ra[i], rd[i], rn[i]), k)
        reps.append(
            Representative(
                s,
                direction,
                float(rate) if mine.cells[direction] is not None else None,
                float(rate_r) if others.cells[direction] is not None else None,
                float(pa[i]) if mine.cells["agree"] is not None else None,
                float(pd_[i]) if mine.cells["disagree"] is not None else None,
                float(z),
                int(n[i]),
            )
        )
    return reps


def _shown_consensus(c: Consensus, rows: dict) -> Consensus:
    """A consensus without the rates the votes table hides."""
    hidden = rows[c.statement][2].hidden
    return replace(
        c,
        agree=None if "agree" in hidden else c.agree,
        disagree=None if "disagree" in hidden else c.disagree,
    )


def _consensus(everyone: pd.DataFrame, clustered: pd.DataFrame, labels: np.ndarray):
    """Statements everyone leans the same way on, and no group leans against."""
    a, d, n = _counts(everyone)
    pa, pd_ = _smoothed(a, n), _smoothed(d, n)
    per_group = [_counts(clustered[labels == g]) for g in np.unique(labels)]
    found = []
    for i, statement in enumerate(everyone.columns):
        for direction, rate, hits, other in (("agree", pa, 0, 1), ("disagree", pd_, 1, 0)):
            z = (rate[i] - 0.5) / np.sqrt(0.25 / (n[i] + 2))
            groups_agree = all(
                c[hits][i] > c[other][i] for c in per_group if c[2][i] > 0
            )  # a group that saw the statement must lean the same way
            if n[i] > 0 and z > Z_90 and groups_agree:
                found.append(
                    Consensus(
                        statement, direction, float(pa[i]), float(pd_[i]), float(z), int(n[i])
                    )
                )
    found.sort(key=lambda c: -(c.agree if c.direction == "agree" else c.disagree))
    return found
