"""The engagement module in the builder: full or short at creation, added later, never twice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.features.builder import service as builder
from survey.features.builder.engagement import ABOUT_YOU_CODES, ITEM_CODES
from survey.models import AuditEvent, ProfileModel, Survey
from survey.profiling.characteristics import CHARACTERISTICS
from survey.profiling.profiles import load_profiles
from tests.web.test_builder import HX, _new

SHIPPED_SHORT = load_profiles().short_module


@pytest.fixture
def editor(app, client, sign_in):
    officer = sign_in(client, "editor")
    with app.test_request_context():
        yield officer


def _module(survey: Survey) -> tuple[list[str], list[str]]:
    """The survey's engagement items and its "over jou" questions, in order."""
    db.session.expire_all()
    questions = sorted(survey.questions, key=builder.order_key)
    items = [q.code for q in questions if q.item in ITEM_CODES]
    about = [q.code for q in questions if q.item in CHARACTERISTICS]
    return items, about


def test_a_template_with_the_short_module_gives_five_items_and_three_about_you(editor, client):
    survey = _new(client, start="template:behoeftepeiling", module="short")
    items, about = _module(survey)
    assert tuple(items) == SHIPPED_SHORT and len(items) == 5
    assert about == list(ABOUT_YOU_CODES) == ["age_band", "household", "tenure"]
    by_code = {q.code: q for q in survey.questions}
    for code, values in CHARACTERISTICS.items():
        question = by_code[code]
        assert question.type == "single" and not question.required and question.layer == "core"
        assert [o["value"] for o in question.options] == list(values)
        assert question.text["nl"] and question.text["en"]
        assert "niet" in question.help["nl"] and "bereiken" in question.help["nl"]


def test_the_full_module_is_the_default_of_the_template_and_has_ten_items(editor, client):
    items, about = _module(_new(client, start="template:behoeftepeiling"))
    assert items == list(ITEM_CODES) and about == list(ABOUT_YOU_CODES)
    items, about = _module(_new(client, start="template:behoeftepeiling", module="none"))
    assert items == [] and about == []


def test_an_empty_survey_gets_the_module_only_when_asked(editor, client):
    assert _module(_new(client, start="needs", title="Leeg")) == ([], [])
    items, about = _module(_new(client, start="needs", title="Kort", module="short"))
    assert len(items) == 5 and len(about) == 3
    swipe = _new(client, start="swipe", title="Deck", module="short")
    assert _module(swipe) == ([], [])


def test_an_unknown_module_choice_is_refused_and_nothing_is_stored(editor, client):
    result = client.post(
        "/officer/surveys/new", data={"start": "needs", "title": "X", "module": "half"}
    )
    assert result.status_code == 422
    assert "korte module" in result.get_data(as_text=True)
    assert db.session.scalar(select(Survey.id)) is None


def test_a_template_may_say_short_in_its_json():
    spec = {"engagement_module": {"layer": "core", "short": True}}
    assert builder.module_of(spec) == ("core", True)
    assert builder.module_of({"engagement_module": "deeper"}) == ("deeper", False)
    assert builder.module_of(spec, "full") == ("core", False)
    assert builder.module_of(None) == ("", False)
    assert builder.module_of(None, "short") == ("core", True)


def test_the_short_items_come_from_the_latest_fitted_model(editor, client):
    chosen = ["attachment", "trust", "heard", "think_along", "time"]
    db.session.add(
        ProfileModel(scope="x", version=1, k=8, n=100, data_summary={"short_items": chosen})
    )
    db.session.commit()
    items, _about = _module(_new(client, start="needs", title="Kort", module="short"))
    assert items == chosen


def test_the_questions_page_adds_the_module_once(editor, client):
    survey = _new(client, start="needs", title="Later")
    page = client.get(f"/officer/surveys/{survey.id}/questions").get_data(as_text=True)
    assert "Korte module (5 vragen)" in page and "Volledige module (10 vragen)" in page
    url = f"/officer/surveys/{survey.id}/engagement-module"
    result = client.post(url, data={"variant": "short"}, headers=HX)
    assert result.status_code == 200
    html = result.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="questions"')
    assert "Korte module (5 vragen)" not in html  # the button is gone once the module is there
    items, about = _module(survey)
    assert len(items) == 5 and len(about) == 3
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "add_engagement_module"))
    again = client.post(url, data={"variant": "full"})
    assert again.status_code == 422
    assert "heeft de module" in again.get_data(as_text=True)
    assert _module(survey) == (items, about)


def test_adding_the_full_module_without_htmx_goes_back_to_the_questions(editor, client):
    survey = _new(client, start="needs", title="Vol")
    url = f"/officer/surveys/{survey.id}/engagement-module"
    result = client.post(url, data={"variant": "full"})
    assert result.status_code == 303
    assert _module(survey) == (list(ITEM_CODES), list(ABOUT_YOU_CODES))


def test_a_bad_variant_and_a_swipe_survey_are_refused(editor, client):
    survey = _new(client, start="needs", title="Fout")
    url = f"/officer/surveys/{survey.id}/engagement-module"
    assert client.post(url, data={"variant": "half"}).status_code == 422
    swipe = _new(client, start="template:jongeren-swipe")
    swipe_url = f"/officer/surveys/{swipe.id}/engagement-module"
    result = client.post(swipe_url, data={"variant": "full"})
    assert result.status_code == 422
    assert _module(survey) == ([], []) and _module(swipe) == ([], [])


# --- the demo: short module, over-jou questions, a model fitted by `flask demo` ------------


def _demo_survey() -> Survey:
    return db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))


def test_the_demo_core_takes_at_most_two_minutes_by_its_own_estimate(demo):
    from survey.features.answering import service as answering
    from survey.models import visible_to_residents

    survey = _demo_survey()
    core = [q for q in survey.questions if q.layer == "core" and visible_to_residents(q)]
    longest = answering.path(survey, {q.code: None for q in core}, "core")  # every branch
    assert len(core) == len(longest) == 10  # no show-if in the core
    seconds = len(core) * answering.seconds_per_question(survey)
    print(f"\ndemo core: {len(core)} questions, {seconds} s")
    assert seconds <= 120 and answering.core_minutes(survey) <= 2
    items, about = _module(survey)
    assert items[:5] == list(SHIPPED_SHORT) and len(items) == 10  # five more in the verdieping
    assert about == list(ABOUT_YOU_CODES)
    layers = {q.code: q.layer for q in survey.questions}
    assert {layers[c] for c in SHIPPED_SHORT} == {"core"} == {layers[c] for c in about}
    assert "kinderen" not in layers and survey_shows_if(survey) == {"speelplek": "household"}


def survey_shows_if(survey: Survey) -> dict:
    return {q.code: q.show_if["question"] for q in survey.questions if q.show_if}


# One engine: `flask demo` on PostgreSQL runs in tests/web/test_foundation.py and tests/deploy.
@pytest.mark.parametrize("engine_app", ["sqlite"], indirect=True)
def test_flask_demo_fits_a_model_once_and_inzichten_shows_the_short_module(app, sign_in):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Profile model version 1 fitted" in result.output
    stored = db.session.scalar(select(ProfileModel))
    summary = stored.data_summary
    print(
        f"\ndemo survey: {summary['short_items']} {summary['short_agreement']} "
        f"(n={summary['short_n']})"
    )
    assert summary["short_agreement"] >= 0.8 and summary["short_n"] >= 40
    assert len(summary["short_items"]) == 5
    again = app.test_cli_runner().invoke(args=["demo"])
    assert again.exit_code == 0 and "Profile model" not in again.output
    assert len(db.session.scalars(select(ProfileModel)).all()) == 1

    client = app.test_client()
    sign_in(client, "analyst")
    page = client.get(f"/officer/surveys/{_demo_survey().id}/insights").get_data(as_text=True)
    percent = round(summary["short_agreement"] * 100)
    assert f"De korte module (5 vragen) geeft in {percent}% van de gevallen" in page
    assert f"gemeten bij {summary['short_n']} mensen" in page


def test_profiles_fit_prints_the_short_modules_agreement(demo):
    result = demo.test_cli_runner().invoke(args=["profiles", "fit", "--survey", "demo-peiling"])
    assert result.exit_code == 0, result.output
    stored = db.session.scalars(select(ProfileModel).order_by(ProfileModel.id.desc())).first()
    summary = stored.data_summary
    line = (
        f"Korte module: {', '.join(summary['short_items'])}, komt in "
        f"{round(summary['short_agreement'] * 100)}% overeen met de volledige module "
        f"(n={summary['short_n']})."
    )
    assert line in result.output


def test_the_demos_over_jou_answers_follow_the_residents_type(demo):
    from survey.features.insights.service import current_model, fit_model, responses_frame

    survey = _demo_survey()
    with demo.test_request_context():
        fit_model([survey])
    frame = responses_frame([survey])
    frame["profile"] = current_model([survey])[1].assign(frame)
    older = frame[frame["profile"].isin(["tevreden_volgers", "rustige_buren"])]
    newer = frame[frame["profile"] == "nieuwe_buren"]

    def share(rows, item, value):
        answered = rows[rows[item].notna()]
        return (answered[item] == value).mean()

    assert share(older, "age_band", "65+") > share(newer, "age_band", "65+") + 0.2
    assert share(newer, "tenure", "rent") > share(older, "tenure", "rent") + 0.2
    assert frame["household"].notna().mean() > 0.8  # optional, and most answer it
