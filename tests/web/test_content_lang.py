"""Mixed-language pages (WCAG 3.1.2) and numbers and dates in the page's locale."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from flask import render_template_string
from flask_babel import refresh

from survey.extensions import db
from survey.models import Channel, Question, Survey, Update
from survey.models._types import text_and_lang


@pytest.fixture
def mixed(app):
    survey = Survey(
        slug="gemengd",
        kind="needs",
        status="open",
        languages=["nl", "tr"],
        title={"nl": "Onze straat", "tr": "Sokağımız"},
        intro={"nl": "Wat vind je van de straat?"},
    )
    survey.questions.append(
        Question(
            position=1,
            code="q1",
            type="single",
            text={"nl": "Hoe vaak kom je in het park?"},
            help={"nl": "Kies er één.", "tr": "Birini seçin."},
            options=[
                {"value": 1, "text": {"nl": "Vaak", "tr": "Sık sık"}},
                {"value": 2, "text": {"nl": "Nooit"}},
            ],
            required=False,
        )
    )
    survey.questions.append(
        Question(
            position=2,
            code="q2",
            type="yesno",
            text={"nl": "Is de straat schoon?", "tr": "Sokak temiz mi?"},
            required=False,
        )
    )
    db.session.add(survey)
    db.session.flush()
    db.session.add(Channel(survey_id=survey.id, code="gemengd-a", label="Poster", kind="poster"))
    db.session.commit()
    return survey


def test_text_and_lang_names_the_language_a_fallback_is_really_in():
    assert text_and_lang({"nl": "Hallo", "tr": "Merhaba"}, "tr") == ("Merhaba", "tr")
    assert text_and_lang({"nl": "Hallo", "tr": ""}, "tr") == ("Hallo", "nl")
    assert text_and_lang({"en": "Hello"}, "tr") == ("Hello", "en")
    assert text_and_lang(None, "tr") == ("", "tr")


def _question_page(client, qcode: str, lang: str = "tr") -> str:
    refresh()
    key = str(uuid.uuid4())
    client.post(f"/s/gemengd-a/start?lang={lang}", data={"response": key})
    return client.get(f"/s/gemengd-a/v/{qcode}?lang={lang}").get_data(as_text=True)


def test_a_dutch_fallback_in_a_turkish_page_carries_lang_nl(mixed, client):
    intro = client.get("/s/gemengd-a?lang=tr").get_data(as_text=True)
    assert '<html lang="tr"' in intro
    assert ">Sokağımız</h1>" in intro  # translated: no span
    assert '<span lang="nl">Wat vind je van de straat?</span>' in intro

    page = _question_page(client, "q1")
    assert '<span lang="nl">Hoe vaak kom je in het park?</span></h1>' in page
    assert '<span lang="nl">Nooit</span>' in page
    assert ">Sık sık</span>" in page and ">Birini seçin.</p>" in page
    # In an attribute the text stays plain.
    assert 'lang="nl">Hoe vaak' not in re.sub(r"<h1[^>]*>.*?</h1>", "", page, flags=re.S)

    refresh()
    translated = client.get("/s/gemengd-a/v/q2?lang=tr").get_data(as_text=True)
    assert ">Sokak temiz mi?</h1>" in translated
    assert 'lang="nl">Sokak' not in translated


def test_a_dutch_page_marks_nothing(mixed, client):
    dutch = _question_page(client, "q1", "nl")
    assert ">Hoe vaak kom je in het park?</h1>" in dutch and '<span lang="nl">' not in dutch


def _public(client, lang: str) -> str:
    refresh()  # the test's app context outlives requests, and with it Babel's cached locale
    return client.get(f"/r/gemengd-a?lang={lang}").get_data(as_text=True)


def test_the_timeline_dates_follow_the_locale_and_mark_untranslated_updates(mixed, client):
    db.session.add(
        Update(
            survey_id=mixed.id,
            status="gepland",
            heard="Meer bankjes in het park",
            translations={"tr": {}},
            published_at=datetime(2026, 3, 5, 12, tzinfo=UTC),
        )
    )
    db.session.commit()
    dutch = _public(client, "nl")
    assert "5 maart 2026" in dutch and "<h3>Meer bankjes in het park</h3>" in dutch
    turkish = _public(client, "tr")
    assert "5 Mart 2026" in turkish
    assert '<h3><span lang="nl">Meer bankjes in het park</span></h3>' in turkish
    arabic = _public(client, "ar")
    assert "مارس" in arabic
    assert '<span lang="nl" dir="ltr">Meer bankjes in het park</span>' in arabic


@pytest.mark.parametrize(("lang", "shown"), [("nl", "1.234"), ("en", "1,234"), ("tr", "1.234")])
def test_numbers_follow_the_locale(app, lang, shown):
    with app.test_request_context(f"/?lang={lang}"):
        assert render_template_string("{{ 1234|number }}") == shown


def test_a_result_bar_with_a_dutch_label_says_so(mixed, client):
    from tests.web.test_dashboard import add_response

    mixed.min_group_size = 1
    db.session.commit()
    for value in (1, 2, 2):
        add_response(mixed, {"q1": value})
    turkish = _public(client, "tr")
    assert '<th scope="row" lang="nl">Nooit</th>' in turkish  # no Turkish text: Dutch
    assert '<th scope="row">Sık sık</th>' in turkish
    assert 'lang="nl">Nooit' not in _public(client, "nl")
