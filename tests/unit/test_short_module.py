"""The short engagement module: five items that give the profile the ten give.

`pytest -s tests/unit/test_short_module.py` prints the agreement figures of BENCHMARKS.md.
"""

from __future__ import annotations

import json
import random
from itertools import combinations
from math import comb

import pandas as pd
import pytest

from survey.features.demo.service import DATA_FILE, _engagement_answers
from survey.profiling import model, short, synthetic
from survey.profiling.profiles import (
    DEFAULT_FILE,
    ITEMS,
    SCALAR_ITEMS,
    DefinitionError,
    load_profiles,
    parse_profiles,
)

PROFILES = load_profiles()
SHIPPED = PROFILES.short_module


@pytest.fixture(scope="module")
def archetype_data():
    """Respondents of eight random archetypes unlike the prototypes, and a model fitted on them."""
    data = synthetic.respondents(PROFILES, 3000, archetypes=synthetic.archetypes(8, seed=0), seed=2)
    return data, model.fit(data, PROFILES)[0]


@pytest.fixture(scope="module")
def demo_data():
    """Residents of the demo's latent types (voorbeeldstad.json) answering all ten items."""
    types = json.loads(DATA_FILE.read_text(encoding="utf-8"))["synthetic"]["types"]
    rng = random.Random(7)
    rows = [_engagement_answers(rng, types[rng.choice(list(types))]) for _ in range(2000)]
    data = pd.DataFrame(rows)
    return data, model.fit(data, PROFILES)[0]


def test_the_shipped_module_is_what_the_engine_chooses_on_the_prototypes():
    derived = short.derive_default(PROFILES)
    shown = f"agreement {derived.agreement:.3f} (n={derived.n})"
    print(f"\nprototypes: chosen {derived.items}, {shown}")
    assert derived.items == SHIPPED and len(SHIPPED) == model.SHORT_SIZE
    assert derived.agreement >= 0.80


def test_the_shipped_module_agrees_on_new_synthetic_data_from_the_prototypes():
    data = synthetic.respondents(PROFILES, 3000, noise=0.6, seed=11)
    fitted = model.fit(data, PROFILES)[0]
    share = short.agreement(fitted, data, SHIPPED)
    print(f"\nprototypes, new draw: shipped module agreement {share:.3f}")
    assert share >= 0.80


def test_the_chosen_and_the_shipped_module_agree_on_archetype_data(archetype_data):
    data, fitted = archetype_data
    chosen = short.choose_items(fitted, data)
    shipped = short.agreement(fitted, data, SHIPPED)
    print(
        f"\narchetypes: chosen {chosen.items}, agreement {chosen.agreement:.3f} "
        f"(n={chosen.n}); shipped {shipped:.3f}"
    )
    assert chosen.agreement >= 0.80 and shipped >= 0.80
    assert chosen.n == data["channels"].map(bool).sum()  # all who answered all ten items


def test_the_chosen_and_the_shipped_module_agree_on_the_demos_residents(demo_data):
    data, fitted = demo_data
    chosen = short.choose_items(fitted, data)
    shipped = short.agreement(fitted, data, SHIPPED)
    print(
        f"\ndemo types: chosen {chosen.items}, agreement {chosen.agreement:.3f} "
        f"(n={chosen.n}); shipped {shipped:.3f}"
    )
    assert chosen.agreement >= 0.80 and shipped >= 0.80


def test_the_choice_is_the_best_of_all_252_subsets_and_the_same_every_time(archetype_data):
    data, fitted = archetype_data
    first, second = short.choose_items(fitted, data), short.choose_items(fitted, data)
    assert first == second
    shares = {items: short.agreement(fitted, data, items) for items in combinations(ITEMS, 5)}
    assert len(shares) == comb(10, 5) == 252
    best = max(shares.values())
    assert first.agreement == pytest.approx(best)
    assert first.items == next(items for items, share in shares.items() if share == best)
    assert short.agreement(fitted, data, ITEMS) == 1.0  # all ten items: the full profile


def test_a_tie_goes_to_the_first_subset_in_the_order_of_the_items():
    # Two clusters that differ on attachment only: every subset with it agrees fully.
    low = {item: low for item, (low, _high) in SCALAR_ITEMS.items()}
    rows = pd.DataFrame([low | {"attachment": 1 + 4 * (i % 2)} for i in range(20)])
    rows["channels"] = [["online"]] * 20
    offset, scale = model._scaling()
    centroids = (model.raw_features(rows.head(2))[0] - offset) / scale
    fitted = model.Model(offset, scale, centroids, ["a", "b"], [0.0, 0.0])
    chosen = short.choose_items(fitted, rows)
    assert chosen.items == ITEMS[:5] and chosen.agreement == 1.0
    assert short.agreement(fitted, rows, ITEMS[1:6]) == 0.5  # without it: all "a"


def test_channels_is_one_item_that_covers_its_four_features():
    mask = short.feature_mask(["channels"])
    assert mask.sum() == 4 and not mask[:9].any()
    assert short.feature_mask(["trust", "time"]).sum() == 2
    with pytest.raises(ValueError, match="unknown"):
        short.feature_mask(["age_band"])


def test_with_the_five_items_a_respondent_gets_a_profile_with_four_none(demo_data):
    data, fitted = demo_data
    five = data.head(20).copy()
    for item in ITEMS:
        if item not in SHIPPED:
            five[item] = None
    assert five["channels"].map(bool).all()
    assert fitted.assign(five).notna().all()
    four = five.copy()
    four[SHIPPED[0]] = None
    assert fitted.assign(four).isna().all()


def test_a_survey_of_only_the_short_module_can_be_fitted(demo_data):
    data, _fitted = demo_data
    only_short = data.copy()
    for item in ITEMS:
        if item not in SHIPPED:
            only_short[item] = None
    fitted, labels, summary = model.fit(only_short, PROFILES)
    assert summary["used"] == len(data) and labels.notna().all()
    assert model.stability(only_short, PROFILES, resamples=2, fitted=fitted) > 0
    with pytest.raises(short.NotMeasurable):  # nobody answered six items or more
        short.choose_items(fitted, only_short)


def test_too_few_full_respondents_fall_back_to_six_items_or_are_not_measurable(demo_data):
    data, fitted = demo_data
    six = data.head(60).copy()
    for item in ITEMS[:4]:
        six[item] = None
    assert short.choose_items(fitted, six).n == 60
    with pytest.raises(short.NotMeasurable):
        short.choose_items(fitted, data.head(fitted.k * model.PER_CLUSTER - 1))


def test_the_definitions_file_checks_its_short_module():
    base = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    assert parse_profiles({**base, "short_module": ["time", "trust"]}).short_module == (
        "trust",
        "time",
    )
    assert parse_profiles({k: v for k, v in base.items() if k != "short_module"}).short_module == ()
    for bad, message in (
        (["trust", "age_band"], "unknown items age_band"),
        (["trust", "trust"], "twice"),
        ("trust", "list of item codes"),
    ):
        with pytest.raises(DefinitionError, match=message):
            parse_profiles({**base, "short_module": bad})
