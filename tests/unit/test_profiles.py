"""The profiling engine on synthetic respondents drawn from the eight prototypes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from survey.profiling import model, report, synthetic
from survey.profiling.profiles import (
    DEFAULT_FILE,
    MIXED,
    DefinitionError,
    load_profiles,
    parse_profiles,
)

PROFILES = load_profiles()


@pytest.fixture(scope="module")
def fitted():
    """One model fitted at moderate noise, shared by the tests that only assign."""
    data = synthetic.respondents(PROFILES, 2000, noise=0.6, seed=1)
    return data, *model.fit(data, PROFILES)


def test_the_shipped_definitions_have_eight_profiles_with_texts_and_instruments():
    assert len(PROFILES.profiles) == 8
    used = set()
    for p in PROFILES.profiles:
        assert p.name["nl"] and p.name["en"] and p.description["nl"] and p.description["en"]
        assert p.instruments and p.channels
        used |= set(p.instruments)
    assert used == set(PROFILES.instruments) and len(used) == 10


def test_fitted_clusters_recover_the_prototypes(fitted):
    data, fit, labels, summary = fitted
    assert adjusted_rand_score(data["true"], labels) >= 0.8
    assert fit.names == PROFILES.codes  # every cluster matched its own prototype
    assert (labels == data["true"]).mean() > 0.85
    assert summary["used"] == 2000 and summary["left_out"] == 0


def test_each_areas_mix_is_close_to_the_truth_for_large_n(fitted):
    _data, fit, _labels, _summary = fitted
    truths = {"noord": [4, 1, 1, 1, 1, 1, 1, 2], "zuid": [1, 2, 1, 3, 1, 1, 3, 1]}
    for i, (area, weights) in enumerate(truths.items()):
        people = synthetic.respondents(PROFILES, 20000, mix=weights, noise=0.5, seed=10 + i)
        mix = report.mix_of(fit.assign(people), PROFILES.codes)
        truth = np.array(weights) / sum(weights)
        for code, expected in zip(PROFILES.codes, truth, strict=True):
            assert abs(mix[code]["share"] - expected) < 0.03, (area, code)


def test_the_intervals_cover_the_truth_in_most_repetitions(fitted):
    _data, fit, _labels, _summary = fitted
    weights = [3, 1, 2, 1, 1, 2, 1, 1]
    truth = dict(zip(PROFILES.codes, np.array(weights) / sum(weights), strict=True))
    covered = total = 0
    for seed in range(40):
        people = synthetic.respondents(PROFILES, 300, mix=weights, noise=0.3, seed=100 + seed)
        mix = report.mix_of(fit.assign(people), PROFILES.codes)
        for code, share in truth.items():
            covered += mix[code]["low"] <= share <= mix[code]["high"]
            total += 1
    assert covered / total >= 0.88


def test_missing_answers_leave_out_those_with_fewer_than_six_items():
    data = synthetic.respondents(PROFILES, 1200, missing=0.3, seed=3)
    _raw, answered = model.raw_features(data)
    fit, labels, summary = model.fit(data, PROFILES)
    assert summary["left_out"] == int((answered < 6).sum()) > 0
    assert labels.isna().sum() == summary["left_out"]
    kept = labels.notna()
    assert adjusted_rand_score(data["true"][kept], labels[kept]) >= 0.6
    odd = pd.DataFrame({"trust": [3, None, "x"], "channels": [[], None, ["print"]]})
    assert fit.assign(odd).isna().all()  # nobody here answered six items


def test_too_few_respondents_gives_a_clear_reason():
    data = synthetic.respondents(PROFILES, 30, seed=4)
    with pytest.raises(model.TooFewRespondents) as info:
        model.fit(data, PROFILES)
    assert (info.value.usable, info.value.needed) == (30, 40)
    with pytest.raises(model.TooFewRespondents):
        model.fit(pd.DataFrame(), PROFILES)


def test_a_profile_nobody_has_gets_no_share_and_no_error():
    weights = [1, 1, 1, 1, 1, 1, 1, 0]  # no wait-and-see neighbours at all
    data = synthetic.respondents(PROFILES, 1600, mix=weights, noise=0.5, seed=5)
    fit, labels, _summary = model.fit(data, PROFILES)
    mix = report.mix_of(labels, report.named(PROFILES.codes))
    assert mix["afwachters"]["share"] < 0.03
    assert MIXED in mix and sum(c["share"] for c in mix.values()) == pytest.approx(1, abs=1e-3)
    present = data["true"] != "afwachters"
    assert adjusted_rand_score(data["true"][present], labels[present]) >= 0.8


def test_same_input_same_output_and_the_model_survives_json():
    data = synthetic.respondents(PROFILES, 800, missing=0.05, seed=6)
    first, labels, _ = model.fit(data, PROFILES)
    second, again, _ = model.fit(data.copy(), PROFILES)
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())
    assert labels.equals(again)
    restored = model.Model.from_json(json.loads(json.dumps(first.to_json())))
    assert restored.assign(data).equals(labels)


def test_a_single_area_and_sibling_suppression():
    labels = pd.Series(["kartrekkers"] * 12 + ["aanpakkers"] * 8)
    mixes = report.mixes(labels, pd.Series(["A"] * 20), PROFILES.codes)
    assert list(mixes) == ["A"] and mixes["A"]["n"] == 20
    assert mixes["A"]["mix"]["kartrekkers"]["share"] == 0.6
    assert report.suppress({"A": 20}, 20, 10) == set()
    assert report.suppress({"A": 50, "B": 5}, 55, 10) == {"A", "B"}
    assert report.suppress({"A": 50, "B": 40, "C": 5}, 95, 10) == {"B", "C"}
    assert report.suppress({"A": 50, "B": 40}, 95, 10) == {"B"}  # the 5 outside them
    assert report.suppress({"A": 50, "B": 40, "C": 0}, 90, 10) == set()


def test_wilson_interval():
    assert report.wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    low, high = report.wilson(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)
    assert report.wilson(0, 0) == (0.0, 1.0)


def test_gaps_and_recommendations_favour_the_under_reached():
    codes = PROFILES.codes
    labels = pd.Series(["aanpakkers"] * 150 + ["kartrekkers"] * 50)
    mix = report.mix_of(labels, codes)
    reference = report.normalise({c: 1 for c in codes}, codes)
    gaps = {g["code"]: g for g in report.gaps(mix, reference, codes)}
    assert gaps["rustige_buren"]["under"] and gaps["aanpakkers"]["over"]
    advice = report.recommend(mix, reference, PROFILES)
    assert sum(r["weight"] for r in advice) == pytest.approx(1, abs=0.01)
    under_reasons = [b for r in advice for b in r["because"] if b["under"]]
    assert under_reasons, advice
    without_reference = report.recommend(mix, None, PROFILES)
    assert without_reference[0]["instrument"] == "action_day"  # what the reached doers like
    assert report.recommend(None, None, PROFILES) == []
    assert report.gaps(None, reference, codes) == []


def test_a_municipality_can_supply_its_own_definitions(tmp_path):
    data = json.loads(DEFAULT_FILE.read_text())
    data["profiles"] = data["profiles"][:3]
    own = tmp_path / "profielen.json"
    own.write_text(json.dumps(data))
    assert load_profiles(own).codes == ["kartrekkers", "online_meedenkers", "aanpakkers"]
    broken = json.loads(json.dumps(data))
    broken["profiles"][0]["prototype"]["trust"] = 9
    with pytest.raises(DefinitionError, match="trust must be between 1 and 5"):
        parse_profiles(broken)
    broken["profiles"][0]["prototype"] = {"shoe_size": 3, "trust": 2}
    with pytest.raises(DefinitionError, match="unknown item"):
        parse_profiles(broken)
    with pytest.raises(DefinitionError, match="not valid JSON"):
        (tmp_path / "bad.json").write_text("{")
        load_profiles(tmp_path / "bad.json")
    with pytest.raises(DefinitionError, match="cannot read"):
        load_profiles(tmp_path / "missing.json")
