"""The expected mix from CBS figures (post-stratification) and the weights to CBS margins."""

import numpy as np
import pandas as pd
import pytest

from survey.profiling.expected import fit_dependence, margins
from survey.profiling.weights import (
    area_representativeness,
    distribution,
    effective_n,
    rake,
    representativeness,
)

CODES = ["older", "families", "others", "gemengd"]
OLD_BUURT = {"age_band": {"15-24": 0.05, "25-44": 0.15, "45-64": 0.25, "65+": 0.55}}
YOUNG_BUURT = {"age_band": {"15-24": 0.3, "25-44": 0.45, "45-64": 0.2, "65+": 0.05}}


def planted(n=3000, seed=1):
    """Respondents whose profile depends on age (65+ mostly "older") and household."""
    rng = np.random.default_rng(seed)
    age = rng.choice(["15-24", "25-44", "45-64", "65+"], n)
    household = rng.choice(["children", "no_children"], n)
    profile = np.where(
        age == "65+",
        rng.choice(CODES[:3], n, p=[0.7, 0.1, 0.2]),
        np.where(
            household == "children",
            rng.choice(CODES[:3], n, p=[0.05, 0.75, 0.2]),
            rng.choice(CODES[:3], n, p=[0.1, 0.2, 0.7]),
        ),
    )
    frame = pd.DataFrame({"age_band": age, "household": household, "tenure": None})
    return frame, pd.Series(profile)


def test_a_buurt_with_many_over_65s_expects_more_of_the_older_profile():
    frame, labels = planted()
    dependence = fit_dependence(frame, labels, CODES)
    old, young = dependence.expected(OLD_BUURT), dependence.expected(YOUNG_BUURT)
    print("expected older profile: old buurt", old["older"], "young buurt", young["older"])
    assert old["older"]["share"] > young["older"]["share"] + 0.2
    # The truth for the old buurt: 0.55 * 0.7 + 0.45 * (0.5 * 0.05 + 0.5 * 0.1)
    assert old["older"]["share"] == pytest.approx(0.55 * 0.7 + 0.45 * 0.075, abs=0.03)
    for cell in old.values():
        assert cell["low"] <= cell["share"] <= cell["high"]
    assert old["older"]["high"] - old["older"]["low"] < 0.1
    assert sum(c["share"] for c in old.values()) == pytest.approx(1, abs=1e-3)
    assert old["gemengd"]["share"] == pytest.approx(0, abs=1e-6)


def test_an_unknown_margin_is_spread_as_among_the_respondents():
    frame, labels = planted()
    dependence = fit_dependence(frame, labels, CODES)
    families = dependence.expected({"household": {"children": 0.9, "no_children": 0.1}})
    singles = dependence.expected({"household": {"children": 0.1, "no_children": 0.9}})
    assert families["families"]["share"] > singles["families"]["share"] + 0.3
    assert dependence.expected({"age_band": None, "household": None, "tenure": None}) is None


def test_no_expected_mix_from_too_few_respondents_or_one_profile():
    frame, labels = planted(n=20)
    assert fit_dependence(frame, labels, CODES) is None
    frame, labels = planted()
    assert fit_dependence(frame, pd.Series(["older"] * len(frame)), CODES) is None
    unanswered = frame.assign(age_band=None, household=None)
    assert fit_dependence(unanswered, labels, CODES) is None


def test_two_profiles_only_still_fit():
    frame, labels = planted()
    two = labels.where(labels != "others", "families")
    dependence = fit_dependence(frame, two, CODES, resamples=5)
    old = dependence.expected(OLD_BUURT)
    assert old["others"]["share"] < 1e-6
    assert old["older"]["share"] > 0.35


def test_margins_from_cbs_figures():
    figures = {
        "k_15Tot25Jaar": 100.0,
        "k_25Tot45Jaar": 300.0,
        "k_45Tot65Jaar": 400.0,
        "k_65JaarOfOuder": 200.0,
        "HuishoudensTotaal": 500.0,
        "HuishoudensMetKinderen": 150.0,
        "Koopwoningen": 60.0,
        "HuurwoningenTotaal": 40.0,
    }
    got = margins(figures)
    assert got["age_band"] == {"15-24": 0.1, "25-44": 0.3, "45-64": 0.4, "65+": 0.2}
    assert got["household"] == {"children": 0.3, "no_children": 0.7}
    assert got["tenure"] == {"own": 0.6, "rent": 0.4}
    secret = margins({**figures, "k_65JaarOfOuder": None, "HuishoudensMetKinderen": None})
    assert secret["age_band"] is None and secret["household"] is None
    assert secret["tenure"] == {"own": 0.6, "rent": 0.4}
    assert margins(None) == {"age_band": None, "household": None, "tenure": None}
    assert margins({**figures, "HuishoudensMetKinderen": 900.0})["household"] is None


def sample(n=400, seed=2):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age_band": rng.choice(
                ["15-24", "25-44", "45-64", "65+", None], n, p=[0.05, 0.5, 0.3, 0.1, 0.05]
            ),
            "household": rng.choice(["children", "no_children", None], n, p=[0.6, 0.3, 0.1]),
        }
    )


def test_weights_reproduce_the_cbs_margins():
    frame = sample()
    area = {
        "age_band": {"15-24": 0.12, "25-44": 0.28, "45-64": 0.3, "65+": 0.3},
        "household": {"children": 0.25, "no_children": 0.75},
    }
    weights = rake(frame, area)
    assert weights.mean() == pytest.approx(1)
    for item, margin in area.items():
        answered = frame[item].notna().to_numpy()
        weighted = distribution(frame[item][answered], weights[answered])
        for category, share in margin.items():
            assert weighted[category] == pytest.approx(share, abs=1e-3), (item, category)
        # those who did not answer keep their own share of the sample
        assert weights[~answered].sum() / weights.sum() == pytest.approx((~answered).mean())
    assert 0 < effective_n(weights) < len(frame)


def test_weights_without_margins_are_ones_and_an_empty_category_is_dropped():
    frame = sample()
    assert (rake(frame, {}) == 1).all()
    assert effective_n(np.ones(50)) == pytest.approx(50)
    no_young = frame[frame["age_band"] != "15-24"].reset_index(drop=True)
    area = {"age_band": {"15-24": 0.2, "25-44": 0.3, "45-64": 0.3, "65+": 0.2}}
    weights = rake(no_young, area)
    answered = no_young["age_band"].notna().to_numpy()
    weighted = distribution(no_young["age_band"][answered], weights[answered])
    assert weighted["65+"] == pytest.approx(0.2 / 0.8, abs=1e-3)


def test_representativeness_is_one_minus_the_total_variation_distance():
    assert representativeness({"a": 0.5, "b": 0.5}, {"a": 0.5, "b": 0.5}) == 1
    assert representativeness({"a": 1.0}, {"b": 1.0}) == 0
    assert representativeness({"a": 0.7, "b": 0.3}, {"a": 0.5, "b": 0.5}) == pytest.approx(0.8)
    frame = sample()
    area = {"age_band": {"15-24": 0.05, "25-44": 0.5, "45-64": 0.3, "65+": 0.15}}
    score = area_representativeness(frame, area)
    assert set(score["by"]) == {"age_band"}
    assert 0.85 < score["score"] <= 1
    assert area_representativeness(frame, {}) is None
