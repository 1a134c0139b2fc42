"""The lean answer path: few statements per answer, a cached question structure that follows
the builder, and with htmx the next screen in the answer's own response."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import event, func, select

from survey.extensions import db
from survey.features.accounts.service import create_officer
from survey.features.builder import questions
from survey.models import Answer, Response, Survey
from tests.web.test_dashboard import make_survey


def _statements(client, url: str, data: dict, **headers) -> tuple[object, list[str]]:
    """One POST of `data` to `url`, and the SQL statements it ran (from a cold session)."""
    statements: list[str] = []
    db.session.remove()

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = client.post(url, data=data, headers=headers)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return result, statements


def _begin(client, code: str) -> str:
    key = str(uuid.uuid4())
    assert client.post(f"/s/{code}/start", data={"response": key}).status_code == 303
    return key


def test_an_answer_post_runs_four_statements(app, client):
    survey = make_survey()
    code = survey.channels[0].code
    key = _begin(client, code)
    client.post(f"/s/{code}/v/kleur", data={"response": key, "value": "rood"})  # warm the cache
    result, statements = _statements(
        client, f"/s/{code}/v/hobby", {"response": key, "value": "lezen"}
    )
    assert result.status_code == 303
    assert result.headers["Location"].endswith(f"/s/{code}/v/cijfer")
    # The response with its channel and survey (held for the tallies), the response's stamp
    # that reads the answer it replaces, the upsert, the tallies' difference; the questions
    # are kept. Nothing else, however many responses there are.
    assert len(statements) == 4, "\n".join(statements)
    assert statements[-1].startswith("INSERT INTO tally")


HTMX = {"HX-Request": "true"}


def test_with_htmx_the_answer_comes_back_with_the_next_question(app, client):
    survey = make_survey()
    code = survey.channels[0].code
    key = _begin(client, code)
    result = client.post(
        f"/s/{code}/v/kleur", data={"response": key, "value": "rood"}, headers=HTMX
    )
    assert result.status_code == 200
    assert result.headers["HX-Push-Url"] == f"/s/{code}/v/hobby"
    assert "HX-Request" in result.headers["Vary"]
    page = result.get_data(as_text=True)
    assert page.lstrip().startswith('<div id="screen"')  # the fragment, not a whole page
    assert "Welke hobby&#39;s?" in page and "Vraag 2 van 4" in page
    # The language links and the back link belong to the screen shown, not to the POST.
    assert f'href="/s/{code}/v/hobby?lang=en"' in page
    assert f'href="/s/{code}/v/kleur"' in page
    # The same fragment a GET of the next step renders (its form carries fresh tokens).
    shown = client.get(f"/s/{code}/v/hobby", headers=HTMX)
    assert shown.headers["HX-Push-Url"] == f"/s/{code}/v/hobby"
    assert _without_tokens(shown.get_data(as_text=True)) == _without_tokens(page)
    answer = db.session.scalar(select(Answer).join(Response).where(Response.uuid == key))
    assert answer.value == "rood"


def _without_tokens(html: str) -> str:
    return re.sub(r'name="(csrf_token|screen_token)" value="[^"]*"', "", html)


def test_without_htmx_the_answer_is_a_303_to_the_next_question(app, client):
    survey = make_survey()
    code = survey.channels[0].code
    key = _begin(client, code)
    result = client.post(f"/s/{code}/v/kleur", data={"response": key, "value": "rood"})
    assert result.status_code == 303
    assert result.headers["Location"] == f"/s/{code}/v/hobby"
    assert "HX-Push-Url" not in result.headers


def test_with_htmx_start_offer_and_the_end_come_in_one_response_each(app, client):
    survey = make_survey()
    code = survey.channels[0].code
    key = str(uuid.uuid4())
    started = client.post(f"/s/{code}/start", data={"response": key}, headers=HTMX)
    assert started.status_code == 200 and started.headers["HX-Push-Url"] == f"/s/{code}/v/kleur"
    assert "Welke kleur?" in started.get_data(as_text=True)
    assert f"bp_r{survey.id}={key}" in started.headers["Set-Cookie"]
    for qcode, value in [("kleur", "rood"), ("hobby", "lezen"), ("cijfer", "3")]:
        client.post(f"/s/{code}/v/{qcode}", data={"response": key, "value": value}, headers=HTMX)
    offered = client.post(
        f"/s/{code}/v/idee", data={"response": key, "value": "Bankjes"}, headers=HTMX
    )
    assert offered.status_code == 200 and offered.headers["HX-Push-Url"] == f"/s/{code}/verdieping"
    deeper = client.post(
        f"/s/{code}/verdieping", data={"response": key, "choice": "yes"}, headers=HTMX
    )
    assert deeper.status_code == 200 and deeper.headers["HX-Push-Url"] == f"/s/{code}/v/jaren"
    assert "Hoeveel jaar?" in deeper.get_data(as_text=True)
    done = client.post(f"/s/{code}/v/jaren", data={"response": key, "value": "7"}, headers=HTMX)
    assert done.status_code == 200 and done.headers["HX-Push-Url"] == f"/s/{code}/klaar"
    assert "Bedankt" in done.get_data(as_text=True)
    response = db.session.scalar(select(Response).where(Response.uuid == key))
    assert response.completed_at is not None and response.layer == "deeper"
    # Answering again after the end (a replayed post): the same end, the answer overwritten.
    again = client.post(f"/s/{code}/v/jaren", data={"response": key, "value": "8"}, headers=HTMX)
    assert again.status_code == 200 and again.headers["HX-Push-Url"] == f"/s/{code}/klaar"
    count = db.session.scalar(
        select(func.count(Answer.id)).join(Response).where(Response.uuid == key)
    )
    assert count == 5
    # A reload on the pushed address shows the same screen as a whole page.
    page = client.get(f"/s/{code}/klaar")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)


def test_a_refused_answer_with_htmx_keeps_its_screen_and_message(app, client):
    survey = make_survey()
    code = survey.channels[0].code
    key = _begin(client, code)
    result = client.post(
        f"/s/{code}/v/kleur", data={"response": key, "value": "paars"}, headers=HTMX
    )
    assert result.status_code == 422
    assert "HX-Push-Url" not in result.headers
    assert "Kies een van de antwoorden uit de lijst." in result.get_data(as_text=True)
    lost = client.post(
        f"/s/{code}/v/kleur", data={"response": str(uuid.uuid4()), "value": "rood"}, headers=HTMX
    )
    assert lost.status_code == 400


def test_a_question_the_builder_changes_is_seen_by_the_next_answer(app, client):
    survey = make_survey()
    code, slug = survey.channels[0].code, survey.slug
    officer = create_officer("editor@voorbeeldstad.nl", "correct horse battery", "editor")
    key = _begin(client, code)
    assert (
        client.post(f"/s/{code}/v/kleur", data={"response": key, "value": "rood"})
        .headers["Location"]
        .endswith("/v/hobby")
    )  # the structure is now kept by this process
    version = _survey(slug).structure_version

    hobby = next(q for q in _survey(slug).questions if q.code == "hobby")
    questions.set_hidden(officer, hobby, True)
    assert _survey(slug).structure_version > version
    result = client.post(f"/s/{code}/v/kleur", data={"response": key, "value": "blauw"})
    assert result.headers["Location"].endswith("/v/cijfer")  # hobby is hidden now

    kleur = next(q for q in _survey(slug).questions if q.code == "kleur")
    assert (
        client.post(f"/s/{code}/v/kleur", data={"response": key, "value": "paars"}).status_code
        == 422
    )
    draft = questions.draft_of(kleur)
    draft["options"].append({"value": "paars", "text": {"nl": "Paars", "en": "Purple"}})
    questions.update_question(officer, kleur, draft)
    result = client.post(f"/s/{code}/v/kleur", data={"response": key, "value": "paars"})
    assert result.status_code == 303  # the new option is valid at once

    cijfer = next(q for q in _survey(slug).questions if q.code == "cijfer")
    questions.move_question(officer, cijfer, "up")  # past the hidden hobby,
    questions.move_question(officer, cijfer, "up")  # then before kleur
    result = client.post(f"/s/{code}/v/cijfer", data={"response": key, "value": "2"})
    assert result.headers["Location"].endswith("/v/kleur")


def _survey(slug: str) -> Survey:
    db.session.expire_all()
    return db.session.scalar(select(Survey).where(Survey.slug == slug))
