"""The profiling engine on synthetic respondents drawn from the eight prototypes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from survey.profiling import disclosure, model, report, synthetic
from survey.profiling.disclosure import PARTITION, Linked
from survey.profiling.profiles import (
    CHANNEL_CODES,
    DEFAULT_FILE,
    FEATURES,
    MIXED,
    SCALAR_ITEMS,
    DefinitionError,
    load_profiles,
    parse_profiles,
)
from tests.unit.test_disclosure import check_linked

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


def test_missing_answers_leave_out_those_with_fewer_than_five_items():
    data = synthetic.respondents(PROFILES, 1200, missing=0.3, seed=3)
    _raw, answered = model.raw_features(data)
    fit, labels, summary = model.fit(data, PROFILES)
    # Five items are enough: as many as the short module asks (see test_short_module.py).
    assert summary["left_out"] == int((answered < model.SHORT_SIZE).sum()) > 0
    assert labels.isna().sum() == summary["left_out"]
    kept = labels.notna()
    assert adjusted_rand_score(data["true"][kept], labels[kept]) >= 0.6
    odd = pd.DataFrame({"trust": [3, None, "x"], "channels": [[], None, ["print"]]})
    assert fit.assign(odd).isna().all()  # nobody here answered five items


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
    mix = report.mix_of(labels, report.named(PROFILES.codes, fit.names))
    assert mix["afwachters"]["share"] < 0.03
    assert f"{MIXED}-a" in mix and MIXED not in mix
    assert sum(c["share"] for c in mix.values()) == pytest.approx(1, abs=1e-3)
    present = data["true"] != "afwachters"
    assert adjusted_rand_score(data["true"][present], labels[present]) >= 0.8


def _complete(data: pd.DataFrame) -> pd.DataFrame:
    """Only the respondents who chose a channel (an empty choice counts as missing)."""
    return data[[bool(c) for c in data["channels"]]].reset_index(drop=True)


@pytest.mark.parametrize("seed", [3, 4])
def test_on_archetypes_unlike_the_prototypes_the_engine_does_as_well_as_plain_kmeans(seed):
    archetypes = synthetic.archetypes(8, seed=seed)
    data = synthetic.respondents(PROFILES, 2400, noise=1.0, seed=100 + seed, archetypes=archetypes)
    data = _complete(data)
    fit, labels, _summary = model.fit(data, PROFILES)
    raw, _answered = model.raw_features(data)
    scaled = fit.scaled(raw)
    assert not np.isnan(scaled).any()
    plain = KMeans(8, n_init=10, random_state=0).fit_predict(scaled)
    engine_ari = adjusted_rand_score(data["true"], labels)
    plain_ari = adjusted_rand_score(data["true"], plain)
    print(f"archetypes seed {seed}: engine ARI {engine_ari:.3f}, plain k-means ARI {plain_ari:.3f}")
    assert engine_ari >= plain_ari - 0.01
    assert engine_ari > 0.75  # the groups are there to be found
    assert len(set(fit.names)) == 8  # no two clusters share a name


def test_clusters_that_match_no_prototype_keep_codes_and_names_of_their_own():
    data = _complete(
        synthetic.respondents(PROFILES, 1600, seed=7, archetypes=synthetic.archetypes(8, seed=0))
    )
    fit, labels, summary = model.fit(data, PROFILES)
    mixed = [c for c in fit.names if c.startswith(MIXED)]
    assert len(mixed) >= 2 and mixed[:2] == [f"{MIXED}-a", f"{MIXED}-b"]
    assert len(set(mixed)) == len(mixed)
    for code in mixed:
        i = fit.names.index(code)
        assert fit.distances[i] > model.MIXED_DISTANCE
        assert summary["clusters"][code] == (labels == code).sum() > 0
    codes = report.named(PROFILES.codes, fit.names)
    assert codes[: len(PROFILES.codes)] == PROFILES.codes and codes[len(PROFILES.codes) :] == mixed
    mix = report.mix_of(labels, codes)
    assert sum(c["count"] for c in mix.values()) == len(data)
    assert PROFILES.get(f"{MIXED}-a").name_in("nl") == "Gemengd A"
    assert PROFILES.get(f"{MIXED}-b").name_in("nl") == "Gemengd B"
    assert PROFILES.get(f"{MIXED}-b").name_in("en") == "Mixed B"
    assert PROFILES.get(f"{MIXED}-b").code == f"{MIXED}-b"
    assert PROFILES.get(MIXED).name_in("nl") == "Gemengd"
    assert PROFILES.get("kartrekkers").name_in("nl") == PROFILES.by_code["kartrekkers"].name["nl"]
    assert report.named(PROFILES.codes, PROFILES.codes) == [*PROFILES.codes, MIXED]


def _uniform(n: int, seed: int) -> pd.DataFrame:
    """Answers without structure: every item uniform on its scale, every channel a coin."""
    rng = np.random.default_rng(seed)
    columns: dict = {
        item: rng.integers(low, high + 1, n).astype(float)
        for item, (low, high) in SCALAR_ITEMS.items()
    }
    columns["channels"] = [[c for c in CHANNEL_CODES if rng.random() < 0.5] for _ in range(n)]
    return pd.DataFrame(columns)


def test_stability_is_high_with_structure_and_low_without():
    structured = synthetic.respondents(PROFILES, 400, seed=11)
    unlike = synthetic.respondents(PROFILES, 400, seed=12, archetypes=synthetic.archetypes(8, 5))
    figures = {
        "prototypes": model.stability(structured, PROFILES, seed=1),
        "archetypes": model.stability(unlike, PROFILES, seed=1),
        "uniform": model.stability(_uniform(400, seed=13), PROFILES, seed=1),
    }
    print("stability:", {name: round(value, 3) for name, value in figures.items()})
    assert figures["prototypes"] > 0.9 and figures["archetypes"] > 0.9
    assert 0 <= figures["uniform"] < 0.4
    assert model.stability(structured, PROFILES, seed=1) == figures["prototypes"]  # seeded
    with pytest.raises(model.TooFewRespondents):
        model.stability(structured.head(20), PROFILES)


def test_a_mixed_group_is_described_by_the_items_that_set_it_apart():
    offset, scale = model._scaling()
    centroids = np.full((3, len(FEATURES)), 0.5)
    trust, time = FEATURES.index("trust"), FEATURES.index("time")
    centroids[0, trust], centroids[0, time] = 0.95, 0.2  # trusting, little time
    centroids[1, time] = 0.7
    names = [f"{MIXED}-a", "kartrekkers", f"{MIXED}-b"]
    fit = model.Model(offset, scale, centroids, names, [0.5, 0.1, 0.4])
    first = model.distinctive(fit)[0]
    assert [(d["item"], d["direction"]) for d in first] == [("trust", "higher"), ("time", "lower")]
    assert first[0]["difference"] == pytest.approx((0.95 - 0.65) * 4, abs=0.01)
    # Weighted by size, the mean is nearly the big cluster's (time 0.499, not 0.467).
    weighted = model.distinctive(fit, {f"{MIXED}-a": 10, "kartrekkers": 10, f"{MIXED}-b": 980})
    assert [d["item"] for d in weighted[0]] == ["trust", "time"]
    assert weighted[0][1]["difference"] == pytest.approx((0.2 - 0.499) * 3, abs=0.01)
    assert model.distinctive(fit)[2] != []  # a cluster at the mean on most items still gets two
    rows = model.compare(fit, PROFILES)
    assert rows[0]["distinctive"] == first and rows[0]["code"] == f"{MIXED}-a"


def test_same_input_same_output_and_the_model_survives_json():
    data = synthetic.respondents(PROFILES, 800, missing=0.05, seed=6)
    first, labels, _ = model.fit(data, PROFILES)
    second, again, _ = model.fit(data.copy(), PROFILES)
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())
    assert labels.equals(again)
    restored = model.Model.from_json(json.loads(json.dumps(first.to_json())))
    assert restored.assign(data).equals(labels)


def test_a_single_area_gives_its_mix():
    labels = pd.Series(["kartrekkers"] * 12 + ["aanpakkers"] * 8)
    mixes = report.mixes(labels, pd.Series(["A"] * 20), PROFILES.codes)
    assert list(mixes) == ["A"] and mixes["A"]["n"] == 20
    assert mixes["A"]["mix"]["kartrekkers"]["share"] == 0.6


def _tree(people: np.ndarray):
    """Rows and splits of protect_mixes from counts per (buurt, channel, profile)."""
    buurten, channels, profiles = people.shape
    codes = [f"p{i}" for i in range(profiles)]

    def row(block):
        counts = block.reshape(-1, profiles).sum(axis=0)
        return {c: int(n) for c, n in zip(codes, counts, strict=True)}, int(counts.sum())

    rows = {"all": row(people)}
    rows |= {("b", b): row(people[b]) for b in range(buurten)}
    rows |= {("c", c): row(people[:, c]) for c in range(channels)}
    half = buurten // 2
    rows |= {("w", w): row(people[w * half : (w + 1) * half]) for w in range(2)}
    splits = {
        "all": [[("w", 0), ("w", 1)], [("c", c) for c in range(channels)]],
        ("w", 0): [[("b", b) for b in range(half)]],
        ("w", 1): [[("b", b) for b in range(half, buurten)]],
    }
    return rows, splits


def test_mixes_hide_small_shares_and_what_gives_them_away():
    people = np.full((4, 2, 3), 6)  # 4 buurten, 2 channels, 3 profiles
    people[0, :, 2] = (1, 1)  # buurt 0 has 2 of profile p2
    rows, splits = _tree(people)
    shown = report.protect_mixes(rows, splits, "all", 10)
    # The 2, a 12 that would give it away (26 - 12 - 12), and the last cell as well.
    assert shown[("b", 0)].total == 26 and shown[("b", 0)].hidden == {"p0", "p1", "p2"}
    # Buurt 1's cells would give them away through the wijk's column (24 - 12, 14 - 12).
    assert shown[("b", 1)].total == 36 and shown[("b", 1)].hidden == {"p0", "p1", "p2"}
    assert shown[("b", 2)].cells == {"p0": 12, "p1": 12, "p2": 12}
    assert shown[("w", 0)].cells == {"p0": 24, "p1": 24, "p2": 14}
    assert shown[("c", 0)].cells == {"p0": 24, "p1": 24, "p2": 19}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=24, max_size=24), st.integers(3, 12))
def test_no_level_of_the_mixes_gives_a_small_share_away(counts, k):
    rows, splits = _tree(np.array(counts).reshape(4, 2, 3))
    shown = report.protect_mixes(rows, splits, "all", k)
    for parent, lists in splits.items():
        for kids in lists:
            result = Linked(shown[parent], {c: shown[c] for c in kids})
            check_linked(*rows[parent], {c: rows[c] for c in kids}, k, PARTITION, result)


def test_a_hidden_share_has_no_interval_gap_or_flag_and_the_advice_does_not_name_it():
    codes = PROFILES.codes
    labels = pd.Series(["aanpakkers"] * 150 + ["kartrekkers"] * 50 + ["rustige_buren"] * 3)
    entry = {"n": 203, "mix": report.mix_of(labels, codes)}
    counts = report.counts_of(entry, codes)
    row = disclosure.protect(*counts, 10)
    mix = report.shown_mix(entry, row)
    assert mix["rustige_buren"] == {"share": None, "low": None, "high": None}
    assert mix["aanpakkers"]["share"] == pytest.approx(150 / 203, abs=1e-4)
    reference = report.normalise({c: 1 for c in codes}, codes)
    gaps = {g["code"]: g for g in report.gaps(mix, reference, codes)}
    assert gaps["rustige_buren"]["gap"] is None and not gaps["rustige_buren"]["under"]
    advice = report.recommend(entry["mix"], reference, PROFILES, hidden=row.hidden)
    named = [b for r in advice for b in r["because"] if b["profile"] in row.hidden]
    assert named and all(b["share"] is None and not b["under"] for b in named)
    assert report.shown_mix(entry, disclosure.hidden_row(codes)) is None


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
