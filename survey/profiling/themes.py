"""Themes in the open answers of one question: answers that use the same words, grouped.

Each answer becomes words (lower case, accents stripped, digits, words under three letters,
masked personal data such as "[telefoon]" and our own Dutch stop words left out), the words a
TF-IDF vector (a word must occur in two answers at least), and k-means groups the vectors (for
a vocabulary over 100 words: their first 100 LSA components).

How many themes (k, from 2 to 8 and at most one per 5 answers) unless the officer gives k:
1. for each k, five k-means fits with seeds 0..4 (each the best of three k-means++ starts);
   its *stability* is the mean adjusted Rand index between every two of those fits (1: the
   seeds agree on every answer);
2. the k's whose stability is within 0.05 of the best are the candidates;
3. of those, the one with the highest silhouette (cosine, on at most 1,000 answers drawn with
   a fixed seed) wins; then the smaller k.
The fit kept is the one of the five with the lowest inertia. Over 2,000 answers, k is chosen
on 2,000 of them drawn with a fixed seed, and the chosen k is then fitted on all answers.

Each theme has its top words (those whose weight in the theme most exceeds their weight in
the other answers), its answers, and up to three representative answers: those closest to the
theme's centre among the answers that may be shown (`OpenAnswer.shown`). Fewer than 10
answers with words give no themes. Pure numpy and scikit-learn: the same input always gives
the same output.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


MIN_ANSWERS = 10  # answers with words needed for themes at all
MIN_K, MAX_K = 2, 8
ANSWERS_PER_THEME = 5  # k is at most (answers / 5)
REFITS = 5
STARTS = 3  # k-means++ starts within each refit (the best is kept)
STABLE_MARGIN = 0.05
SILHOUETTE_SAMPLE = 1000
CHOICE_SAMPLE = 2000  # answers k is chosen on
DIMENSIONS = 100  # LSA components k-means works on, for a larger vocabulary
MIN_DF = 2  # a word in one answer only never becomes a top word
TOP_WORDS = 6
REPRESENTATIVES = 3
SEED = 0
STOPWORDS_FILE = Path(__file__).with_name("stopwords_nl.txt")

TOO_FEW = "too_few"  # Themes.reason: fewer than MIN_ANSWERS answers with words
MASKED = re.compile(r"\[[^\]]*\]")  # what survey.profiling.personal_data.mask puts in
NON_LETTERS = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class OpenAnswer:
    id: int
    text: str
    shown: bool = True  # may be quoted as a representative answer


@dataclass(frozen=True)
class Theme:
    top_words: list[str]
    answer_ids: list[int]
    representatives: list[int]  # ids, closest to the centre first

    @property
    def size(self) -> int:
        return len(self.answer_ids)


@dataclass(frozen=True)
class Themes:
    k: int  # 0 when there are no themes
    chosen_by: str  # "stability" | "given" | "none"
    themes: list[Theme]  # largest first
    unthemed: list[int] = field(default_factory=list)  # answers without usable words
    stability: dict[int, float] = field(default_factory=dict)  # k tried -> mean pairwise ARI
    silhouette: dict[int, float] = field(default_factory=dict)  # candidates -> silhouette
    reason: str | None = None  # TOO_FEW when there are no themes


@cache
def stopwords() -> frozenset[str]:
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def words(text: str) -> list[str]:
    """The words of an answer that count for themes."""
    text = MASKED.sub(" ", text or "").lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stop = stopwords()
    return [w for w in NON_LETTERS.split(text) if len(w) >= 3 and w not in stop]


def max_k(n: int) -> int:
    """The most themes n answers may get."""
    return max(MIN_K, min(MAX_K, n // ANSWERS_PER_THEME))


def find_themes(answers: Iterable[OpenAnswer], k: int | None = None) -> Themes:
    """Themes of one question's open answers; `k` fixes their number (2 to 8)."""
    if k is not None and not MIN_K <= k <= MAX_K:
        raise ValueError(f"k must be between {MIN_K} and {MAX_K}")
    ordered = sorted(answers, key=lambda a: a.id)
    matrix, kept, unthemed, terms = _vectors(ordered)
    if matrix is None or matrix.shape[0] < MIN_ANSWERS:
        return Themes(0, "none", [], unthemed=[a.id for a in ordered], reason=TOO_FEW)
    distinct = _distinct(kept, terms)
    from threadpoolctl import threadpool_limits

    # One thread: k-means's OpenMP threads wait on each other badly on a busy two-core
    # machine (ten times slower than one thread), and a web request should take one core.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # k-means warns when equal answers make empty centres
        space = _dense(matrix)
        if k is not None:
            best = _fits(space, min(k, distinct))[0]
            chosen, stability, silhouette = best.n_clusters, {}, {}
        else:
            best, stability, silhouette = _choose(space, min(max_k(len(kept)), distinct))
            chosen = best.n_clusters
            if space.shape[0] > CHOICE_SAMPLE:
                best = _fit(space, chosen, SEED)
    themes = _themes(matrix, best, kept, terms)
    return Themes(
        chosen, "given" if k else "stability", themes, unthemed, stability, silhouette, None
    )


# --- vectors ---------------------------------------------------------------------------------


def _vectors(ordered: Sequence[OpenAnswer]):
    """The TF-IDF matrix (rows L2-normalised) of the answers that keep a word, those answers,
    the ids of the others, and the words of the matrix's columns."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    tokens = [words(a.text) for a in ordered]
    with_words = [(a, t) for a, t in zip(ordered, tokens, strict=True) if t]
    if len(with_words) < MIN_ANSWERS:
        return None, [], [a.id for a in ordered], None
    vectorizer = TfidfVectorizer(analyzer=_same, min_df=MIN_DF, sublinear_tf=True, dtype=np.float64)
    try:
        matrix = vectorizer.fit_transform([t for _a, t in with_words])
    except ValueError:  # no word occurs in two answers
        return None, [], [a.id for a in ordered], None
    has_terms = np.asarray(matrix.getnnz(axis=1) > 0)
    kept = [a for (a, _t), keep in zip(with_words, has_terms, strict=True) if keep]
    kept_ids = {a.id for a in kept}
    unthemed = [a.id for a in ordered if a.id not in kept_ids]
    return matrix[has_terms], kept, unthemed, vectorizer.get_feature_names_out()


def _same(tokens):
    return tokens


def _dense(matrix) -> np.ndarray:
    """The vectors k-means works on: as they are for a small vocabulary, else their first
    DIMENSIONS components (LSA, rows normalised again); dense, which k-means is fast on."""
    if matrix.shape[1] <= DIMENSIONS:
        return matrix.toarray()
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    reduced = TruncatedSVD(n_components=DIMENSIONS, random_state=SEED).fit_transform(matrix)
    return normalize(reduced)


def _distinct(kept: Sequence[OpenAnswer], terms) -> int:
    """How many different vectors the answers have (k-means finds no more clusters)."""
    vocabulary = set(terms)
    return len({tuple(sorted(w for w in words(a.text) if w in vocabulary)) for a in kept})


# --- choosing k ------------------------------------------------------------------------------


def _fit(matrix, k: int, seed: int):
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=STARTS, random_state=seed).fit(matrix)


def _fits(matrix, k: int) -> list:
    """REFITS seeded k-means fits of k clusters, the lowest inertia first."""
    return sorted((_fit(matrix, k, SEED + r) for r in range(REFITS)), key=lambda f: f.inertia_)


def _choose(matrix, top: int):
    """The fit of the chosen k (on the sample, if one was drawn), and the stability and
    silhouette of the k's tried."""
    import numpy as np
    from sklearn.metrics import adjusted_rand_score, silhouette_score

    if matrix.shape[0] > CHOICE_SAMPLE:
        rng = np.random.default_rng(SEED)
        matrix = matrix[np.sort(rng.choice(matrix.shape[0], CHOICE_SAMPLE, replace=False))]
    fits, stability = {}, {}
    for k in range(MIN_K, max(MIN_K, top) + 1):
        fits[k] = _fits(matrix, k)
        pairs = combinations([f.labels_ for f in fits[k]], 2)
        stability[k] = round(float(np.mean([adjusted_rand_score(a, b) for a, b in pairs])), 4)
    best = max(stability.values())
    candidates = [k for k, s in stability.items() if s >= best - STABLE_MARGIN]
    silhouette = {}
    sample = min(SILHOUETTE_SAMPLE, matrix.shape[0])
    for k in candidates:
        labels = fits[k][0].labels_
        if len(set(labels)) < 2:
            silhouette[k] = -1.0
            continue
        score = silhouette_score(
            matrix, labels, metric="cosine", sample_size=sample, random_state=SEED
        )
        silhouette[k] = round(float(score), 4)
    chosen = max(candidates, key=lambda k: (silhouette[k], -k))
    return fits[chosen][0], stability, silhouette


# --- describing the themes -------------------------------------------------------------------


def _themes(matrix, fit, kept: Sequence[OpenAnswer], terms) -> list[Theme]:
    import numpy as np

    labels = fit.labels_
    themes = []
    for label in sorted(set(labels)):
        members = np.flatnonzero(labels == label)
        inside = np.asarray(matrix[members].mean(axis=0)).ravel()
        rest = np.flatnonzero(labels != label)
        outside = np.asarray(matrix[rest].mean(axis=0)).ravel() if len(rest) else 0.0
        themes.append(
            Theme(
                top_words=_top_words(inside - outside, terms),
                answer_ids=[kept[i].id for i in members],
                representatives=_closest(matrix, members, inside, kept),
            )
        )
    return sorted(themes, key=lambda t: (-t.size, t.answer_ids[0]))


def _top_words(score: np.ndarray, terms) -> list[str]:
    order = sorted(range(len(terms)), key=lambda i: (-score[i], terms[i]))
    return [str(terms[i]) for i in order[:TOP_WORDS] if score[i] > 0]


def _closest(matrix, members, centre: np.ndarray, kept) -> list[int]:
    """Up to three answers that may be shown, closest (cosine) to the theme's centre."""
    import numpy as np

    similarity = np.asarray(matrix[members] @ centre).ravel()
    order = sorted(range(len(members)), key=lambda i: (-similarity[i], kept[members[i]].id))
    shown, seen = [], set()
    for answer in (kept[members[i]] for i in order):
        if answer.shown and answer.text not in seen:  # three different answers, not one thrice
            shown.append(answer.id)
            seen.add(answer.text)
    return shown[:REPRESENTATIVES]
