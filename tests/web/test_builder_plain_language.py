"""The B1 check beside the builder's Dutch texts: after a save and while typing (htmx)."""

from __future__ import annotations

import pytest

from survey.extensions import db
from survey.models import Question, Survey

HX = {"HX-Request": "true"}
OFFICIALESE = "Ten behoeve van de participatie: welke plek kies je?"


@pytest.fixture
def editor(app, client, sign_in):
    sign_in(client, "editor")
    return client


def _question(client, qtype="single") -> Question:
    result = client.post("/officer/surveys/new", data={"start": "needs", "title": "Taal"})
    assert result.status_code == 303
    survey = db.session.get(Survey, int(result.location.split("/")[-2]))
    result = client.post(
        f"/officer/surveys/{survey.id}/questions",
        data={"type": qtype, "text": "Vraag?", "layer": "core"},
        headers=HX,
    )
    assert result.status_code == 200, result.get_data(as_text=True)
    db.session.expire_all()
    return sorted(survey.questions, key=lambda q: q.id)[-1]


def _form(q: Question, text: str, **extra) -> dict:
    return {
        "code": q.code,
        "layer": q.layer,
        "text_nl": text,
        "opt_value": ["a", "b"],
        "opt_text_nl": ["Het park", "Middels de bus"],
        **extra,
    }


def test_typing_shows_the_check_of_the_draft(editor):
    q = _question(editor)
    url = f"/officer/surveys/{q.survey_id}/questions/{q.id}/language"
    result = editor.post(url, data=_form(q, OFFICIALESE), headers=HX)
    html = result.get_data(as_text=True)
    assert result.status_code == 200
    assert html.lstrip().startswith(f'<div id="plain-e{q.id}"')
    assert "Ambtelijk: „Ten behoeve van”. Schrijf liever: voor." in html
    assert "Ambtelijk: „participatie”. Schrijf liever: meedoen." in html
    assert "Ambtelijk: „Middels”. Schrijf liever: met, door." in html  # an option
    assert "3 punten om eenvoudiger te schrijven." in html
    db.session.expire_all()
    assert db.session.get(Question, q.id).text.get("nl") != OFFICIALESE  # nothing saved


def test_a_plain_draft_gets_a_calm_summary(editor):
    q = _question(editor)
    url = f"/officer/surveys/{q.survey_id}/questions/{q.id}/language"
    form = _form(q, "Welke plek kies je?", opt_text_nl=["Het park", "Het plein"])
    html = editor.post(url, data=form, headers=HX).get_data(as_text=True)
    assert "alles is eenvoudig genoeg." in html and "Ambtelijk" not in html
    assert "leesgemak" in html


def test_the_edit_form_carries_the_check_and_its_trigger(editor):
    q = _question(editor)
    html = editor.get(f"/officer/surveys/{q.survey_id}/questions/{q.id}/edit", headers=HX).get_data(
        as_text=True
    )
    assert f'id="plain-e{q.id}"' in html
    assert f'hx-post="/officer/surveys/{q.survey_id}/questions/{q.id}/language"' in html
    assert "delay:600ms" in html


def test_after_saving_the_points_show_beside_the_question(editor):
    q = _question(editor)
    url = f"/officer/surveys/{q.survey_id}/questions/{q.id}"
    long = (
        "Wij willen graag van alle bewoners van de wijk weten wat zij van de nieuwe plannen "
        "voor het park vinden?"
    )
    result = editor.post(url, data=_form(q, long), headers=HX)
    html = result.get_data(as_text=True)
    assert result.status_code == 200 and "Opgeslagen." in html
    assert f'id="plain-q{q.id}"' in html
    assert "Lange zin (20 woorden). Maak er twee zinnen van." in html


def test_after_saving_a_plain_question_shows_no_check(editor):
    q = _question(editor)
    url = f"/officer/surveys/{q.survey_id}/questions/{q.id}"
    form = _form(q, "Welke plek kies je?", opt_text_nl=["Het park", "Het plein"])
    html = editor.post(url, data=form, headers=HX).get_data(as_text=True)
    assert "Opgeslagen." in html and "plain-q" not in html


def test_the_settings_page_checks_title_intro_and_expectations(editor):
    q = _question(editor)
    url = f"/officer/surveys/{q.survey_id}/settings"
    form = {
        "languages": ["nl"],
        "title_nl": "Taal",
        "intro_nl": "De gemeente wil de leefbaarheid in de wijk optimaliseren.",
        "expectations_nl": "We bellen je.",
        "min_group_size": "10",
    }
    assert editor.post(url, data=form).status_code == 303
    html = editor.get(url + "?saved=1").get_data(as_text=True)
    assert 'id="plain-settings"' in html
    assert "Ambtelijk: „leefbaarheid”" in html and "Ambtelijk: „optimaliseren”" in html

    typed = {**form, "intro_nl": "Wat vind jij belangrijk in je buurt?"}
    live = editor.post(url + "/language", data=typed, headers=HX).get_data(as_text=True)
    assert live.lstrip().startswith('<div id="plain-settings"')
    assert "alles is eenvoudig genoeg." in live


@pytest.mark.parametrize("path", ["questions/{q}/language", "settings/language"])
def test_only_editors_may_check(app, client, sign_in, path):
    sign_in(client, "editor")
    q = _question(client)
    client.post("/officer/logout")
    sign_in(client, "analyst")
    url = f"/officer/surveys/{q.survey_id}/" + path.format(q=q.id)
    assert client.post(url, data={"text_nl": "x"}, headers=HX).status_code == 403
