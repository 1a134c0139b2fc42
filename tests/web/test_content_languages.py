"""The demo and the shipped templates reach the database in five languages, with the
translation status of their texts kept for the builder."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey.config import LANGUAGES
from survey.extensions import db
from survey.features.builder import service as builder
from survey.features.demo.service import load_demo
from survey.models import Survey
from tests.web.test_builder import _new

UNCHECKED = ["tr", "pl", "ar"]


def _assert_complete(survey: Survey) -> None:
    assert survey.languages == list(LANGUAGES)
    for texts in (survey.title, survey.intro):
        assert set(texts) == set(LANGUAGES)
    for q in survey.questions:
        assert set(q.text) == set(LANGUAGES), q.code
        assert all(set(o["text"]) == set(LANGUAGES) for o in q.options), q.code
        assert q.unchecked_languages == UNCHECKED, q.code
        for end in ("low", "high"):
            if end in q.settings:
                assert set(q.settings[end]) == set(LANGUAGES), q.code


def test_the_demo_surveys_are_offered_and_filled_in_five_languages(app):
    load_demo(with_officer=False)
    surveys = db.session.scalars(select(Survey).order_by(Survey.slug)).all()
    assert [s.slug for s in surveys] == ["demo-peiling", "demo-swipe"]
    for survey in surveys:
        _assert_complete(survey)
    needs = surveys[0]
    assert set(needs.expectations) == set(LANGUAGES)
    assert {q.code for q in needs.questions} >= {"attachment", "age_band", "buurthuis"}
    woonplezier = next(q for q in needs.questions if q.code == "woonplezier")
    assert woonplezier.settings["max"] == 5  # the question's own settings stay
    assert woonplezier.settings["translation_status"]["nl"] == "source"


@pytest.mark.parametrize("template", [t["key"] for t in builder.shipped_templates()])
def test_a_survey_from_a_shipped_template_is_in_five_languages(app, client, sign_in, template):
    sign_in(client, "editor")
    survey = _new(client, start=f"template:{template}", module="full")
    _assert_complete(survey)


def test_the_builder_names_the_languages_still_to_check(app, client, sign_in):
    sign_in(client, "editor")
    survey = _new(client, start="template:behoeftepeiling", module="short")
    page = client.get(f"/officer/surveys/{survey.id}/questions").get_data(as_text=True)
    assert "Laat de vertaling nog nakijken door iemand met die moedertaal: tr, pl, ar" in page
