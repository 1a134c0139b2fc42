"""The expected profile mix of an area from its CBS figures, by post-stratification.

Among the respondents, a regularised multinomial logistic regression learns how the profile
depends on the "over jou" characteristics (age band, household, tenure). The expected mix of
an area is that dependence averaged over the area's own make-up from CBS: the share of each
combination of characteristics (the product of the margins, as CBS gives no joint table)
times the profile shares the model predicts for it. The interval comes from refitting on
bootstrap resamples of the respondents.

What it assumes, and the page says so: residents are like the respondents who share their
age band and household; what the characteristics do not explain is spread as in the sample.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey.profiling.characteristics import CHARACTERISTICS

MIN_RESPONDENTS = 30  # fewer respondents with a characteristic: no expected mix
RESAMPLES = 50
REGULARISATION = 1.0  # scikit-learn's C: smaller is stronger shrinkage towards the sample mix
AGE_FIGURES = {
    "15-24": "k_15Tot25Jaar",
    "25-44": "k_25Tot45Jaar",
    "45-64": "k_45Tot65Jaar",
    "65+": "k_65JaarOfOuder",
}


def margins(figures: dict | None) -> dict[str, dict[str, float] | None]:
    """Each characteristic's shares in an area from its CBS figures; None where unknown.

    Age: residents of 15 and over by band. Household: the share of households with children
    (CBS counts households, the survey asks people: a household share stands in for a
    person share). Tenure: owner-occupied against rented homes.
    """
    figures = figures or {}

    def shares(values: dict[str, float | None]) -> dict[str, float] | None:
        if any(v is None or v < 0 for v in values.values()):
            return None
        total = sum(values.values())
        return {k: v / total for k, v in values.items()} if total > 0 else None

    age = shares({band: figures.get(name) for band, name in AGE_FIGURES.items()})
    households, children = figures.get("HuishoudensTotaal"), figures.get("HuishoudensMetKinderen")
    household = None
    if households and children is not None and 0 <= children <= households:
        household = shares({"children": children, "no_children": households - children})
    tenure = shares({"own": figures.get("Koopwoningen"), "rent": figures.get("HuurwoningenTotaal")})
    return {"age_band": age, "household": household, "tenure": tenure}


def encode(frame: pd.DataFrame) -> np.ndarray:
    """One-hot columns per characteristic; an unanswered characteristic is all zeros."""
    blocks = []
    for item, categories in CHARACTERISTICS.items():
        values = frame[item] if item in frame else pd.Series([None] * len(frame))
        column = values.to_numpy(dtype=object)
        blocks.append(np.stack([column == c for c in categories], axis=1).astype(float))
    return np.hstack(blocks)


@dataclass
class Dependence:
    """The fitted dependence of the profile on the characteristics, with bootstrap refits."""

    codes: list[str]
    coefs: np.ndarray  # (1 + resamples, codes, features): the full fit, then the refits
    intercepts: np.ndarray  # (1 + resamples, codes)
    sample_margins: dict[str, dict[str, float]]  # the respondents' own shares
    n: int

    def to_json(self) -> dict:
        return {
            "codes": self.codes,
            "features": [f"{i}={c}" for i, cats in CHARACTERISTICS.items() for c in cats],
            "coefs": np.round(self.coefs, 6).tolist(),
            "intercepts": np.round(self.intercepts, 6).tolist(),
            "sample_margins": self.sample_margins,
            "n": self.n,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Dependence | None:
        """The stored dependence; None when there is none or it has other characteristics."""
        features = [f"{i}={c}" for i, cats in CHARACTERISTICS.items() for c in cats]
        if not data or data.get("features") != features:
            return None
        return cls(
            list(data["codes"]),
            np.asarray(data["coefs"], dtype=float),
            np.asarray(data["intercepts"], dtype=float),
            data["sample_margins"],
            int(data["n"]),
        )

    def _predict(self, x: np.ndarray) -> np.ndarray:
        """Profile probabilities per fit and row: (fits, rows, codes)."""
        logits = np.einsum("rf,bcf->brc", x, self.coefs) + self.intercepts[:, None, :]
        logits -= logits.max(axis=2, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=2, keepdims=True)

    def expected(self, area_margins: dict, level: float = 0.95) -> dict | None:
        """{code: {share, low, high}} for an area's margins; None when none is known.

        A characteristic whose margin is unknown is spread as among the respondents.
        """
        if not any(area_margins.get(item) for item in CHARACTERISTICS):
            return None
        used = {
            item: area_margins.get(item) or self.sample_margins[item] for item in CHARACTERISTICS
        }
        cells = list(itertools.product(*(CHARACTERISTICS[i] for i in CHARACTERISTICS)))
        weight = np.array(
            [
                np.prod([used[i].get(v, 0.0) for i, v in zip(CHARACTERISTICS, cell, strict=True)])
                for cell in cells
            ]
        )
        x = encode(pd.DataFrame(cells, columns=list(CHARACTERISTICS)))
        mixes = np.einsum("r,brc->bc", weight / weight.sum(), self._predict(x))
        tail = (1 - level) / 2 * 100
        low, high = np.percentile(mixes[1:], [tail, 100 - tail], axis=0)
        return {
            code: {
                "share": round(float(mixes[0, j]), 4),
                "low": round(float(min(low[j], mixes[0, j])), 4),
                "high": round(float(max(high[j], mixes[0, j])), 4),
            }
            for j, code in enumerate(self.codes)
        }


def fit_dependence(
    frame: pd.DataFrame,
    labels: pd.Series,
    codes: list[str],
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> Dependence | None:
    """Learn profile ~ characteristics among labelled respondents; None with too few.

    The respondents are grouped by their pattern of answers (at most 5 x 3 x 3 patterns), so
    the fit takes the same time for a hundred respondents as for a million; a bootstrap
    resample draws the group counts from a multinomial.
    """
    from sklearn.linear_model import LogisticRegression

    keep = labels.notna().to_numpy()
    x = encode(frame.loc[keep] if len(frame) else frame)
    y = labels[keep].to_numpy(dtype=object)
    answered = x.sum(axis=1) > 0
    if answered.sum() < MIN_RESPONDENTS or len(set(y)) < 2:
        return None
    patterns, inverse = np.unique(x, axis=0, return_inverse=True)
    index = {code: j for j, code in enumerate(codes)}
    y_index = np.array([index[v] for v in y])
    counts = np.zeros((len(patterns), len(codes)))
    np.add.at(counts, (inverse.ravel(), y_index), 1)
    rows, cols = np.nonzero(counts)
    rng = np.random.default_rng(seed)
    coefs, intercepts = [], []
    # Each resample starts from the previous solution (warm start): a few iterations each.
    model = LogisticRegression(C=REGULARISATION, max_iter=1000, warm_start=True)
    fitted_classes = None
    for draw in range(1 + resamples):
        weights = counts[rows, cols]
        if draw:
            weights = rng.multinomial(len(y), weights / weights.sum()).astype(float)
        present = weights > 0
        coef = np.zeros((len(codes), x.shape[1]))
        intercept = np.full(len(codes), -30.0)  # a profile nobody in the sample has
        classes = np.unique(cols[present])
        if len(classes) == 1:
            intercept[classes[0]] = 0.0
        else:
            if fitted_classes is not None and not np.array_equal(fitted_classes, classes):
                model = LogisticRegression(C=REGULARISATION, max_iter=1000, warm_start=True)
            fitted_classes = classes
            model.fit(patterns[rows[present]], cols[present], sample_weight=weights[present])
            if len(model.classes_) == 2:  # one logit: the second class against the first
                intercept[model.classes_] = [0.0, model.intercept_[0]]
                coef[model.classes_[1]] = model.coef_[0]
            else:
                coef[model.classes_] = model.coef_
                intercept[model.classes_] = model.intercept_
        coefs.append(coef)
        intercepts.append(intercept)
    return Dependence(
        codes=list(codes),
        coefs=np.array(coefs),
        intercepts=np.array(intercepts),
        sample_margins=_sample_margins(frame.loc[keep] if len(frame) else frame),
        n=int(answered.sum()),
    )


def _sample_margins(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    out = {}
    for item, categories in CHARACTERISTICS.items():
        values = frame[item] if item in frame else pd.Series([], dtype=object)
        counts = {c: int((values == c).sum()) for c in categories}
        total = sum(counts.values())
        out[item] = {c: (counts[c] / total if total else 1 / len(categories)) for c in categories}
    return out
