"""Personal data in open answers and residents' statements: marked on arrival, masked in
exports, on Open antwoorden before review and on every public page; confirmed or cleared."""

from __future__ import annotations

import io
import uuid

import pandas as pd
import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, AuditEvent, Question, Response, Survey
from tests.web.test_dashboard import add_response, make_survey
from tests.web.test_results import _fixture as results_fixture
from tests.web.test_swipe import _deck, _start, _vote_through

ADDRESS = "jan.jansen@example.nl"
WRITTEN = f"Mail me op {ADDRESS} over de speeltuin"
MASKED = "Mail me op [e-mail] over de speeltuin"
BADGE = '<span class="badge badge-warn">mogelijk persoonsgegevens</span>'


def _export(client, survey, fmt: str) -> tuple[pd.DataFrame, bytes]:
    result = client.get(f"/officer/surveys/{survey.id}/export.{fmt}")
    assert result.status_code == 200, result.get_data(as_text=True)
    if fmt == "csv":
        frame = pd.read_csv(io.BytesIO(result.data), dtype=str, keep_default_na=False)
    else:
        frame = pd.read_excel(
            io.BytesIO(result.data), sheet_name="Reacties", dtype=str, keep_default_na=False
        )
    return frame, result.data


def _answer(response: Response, code: str = "idee") -> Answer:
    db.session.expire_all()
    return next(a for a in db.session.get(Response, response.id).answers if a.question.code == code)


def _mark(response: Response, mark: str | None) -> Answer:
    answer = _answer(response)
    answer.personal_data = mark
    db.session.commit()
    return answer


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_open_answer_shows_the_mask_not_the_address(app, client, sign_in, fmt):
    survey = make_survey()
    found = add_response(survey, {"kleur": "rood", "idee": WRITTEN})
    _mark(found, "found")
    unmarked = add_response(survey, {"idee": "Of bel 06-12345678"})  # stored before detection
    cleared = add_response(survey, {"idee": "Bel de wijkagent op 0900-8844"})
    _mark(cleared, "cleared")
    confirmed = add_response(survey, {"idee": "Ik ben Anna, mail anna@example.org"})
    _mark(confirmed, "confirmed")
    sign_in(client, "analyst")
    frame, raw = _export(client, survey, fmt)
    ideas = dict(zip(frame["response"].astype(int), frame["idee"], strict=True))
    assert ideas[found.id] == MASKED and frame.iloc[0]["kleur"] == "Rood"
    assert ideas[unmarked.id] == "Of bel [telefoon]"
    assert ideas[confirmed.id] == "Ik ben [naam], mail [e-mail]"
    assert ideas[cleared.id] == "Bel de wijkagent op 0900-8844"
    for secret in (ADDRESS, "06-12345678", "anna@example.org"):
        assert secret not in frame.to_csv()
        assert secret.encode() not in raw


def _post_answer(client, text: str) -> Response:
    key, _ = _start(client, "demo-peiling")
    result = client.post("/s/demo-peiling/v/idee", data={"response": key, "value": text})
    assert result.status_code == 303, result.get_data(as_text=True)
    db.session.expire_all()
    return db.session.scalar(select(Response).where(Response.uuid == key))


def test_the_mark_is_set_on_arrival_through_the_residents_form(demo, demo_client):
    response = _post_answer(demo_client, "Bel mij op 06-12345678 voor de moestuin")
    answer = _answer(response)
    assert answer.value == "Bel mij op 06-12345678 voor de moestuin"  # stored as written
    assert answer.personal_data == "found"
    assert answer.shown_value == "Bel mij op [telefoon] voor de moestuin"
    clean = _post_answer(demo.test_client(), "Meer bankjes in 2025, en 10 bomen")
    assert _answer(clean).personal_data is None


def test_a_changed_answer_is_marked_afresh(demo, demo_client):
    key, _ = _start(demo_client, "demo-peiling")
    url = "/s/demo-peiling/v/idee"
    demo_client.post(url, data={"response": key, "value": f"Mail {ADDRESS}"})
    response = db.session.scalar(select(Response).where(Response.uuid == key))
    assert _answer(response).personal_data == "found"
    demo_client.post(url, data={"response": key, "value": "Liever toch niet"})
    assert _answer(response).personal_data is None


def _open_answers(client, survey) -> str:
    page = client.get(f"/officer/surveys/{survey.id}/open-answers")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _decide(client, survey, answer, decision, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/officer/surveys/{survey.id}/answers/{answer.id}/personal-data",
        data={"decision": decision},
        headers=headers,
    )


def test_open_answers_shows_the_badge_and_the_masked_text(app, client, sign_in):
    survey = make_survey()
    answer = _mark(add_response(survey, {"idee": WRITTEN}), "found")
    sign_in(client, "analyst")
    html = _open_answers(client, survey)
    assert BADGE in html and MASKED in html
    assert ADDRESS not in html
    assert f'/answers/{answer.id}/personal-data"' in html and 'value="cleared"' in html


def test_clear_shows_the_text_as_written_and_confirm_keeps_it_masked(app, client, sign_in):
    survey = make_survey()
    answer = _mark(add_response(survey, {"idee": WRITTEN}), "found")
    officer = sign_in(client, "analyst")

    cleared = _decide(client, survey, answer, "cleared")
    assert cleared.status_code == 303
    assert _answer(answer.response).personal_data == "cleared"
    html = _open_answers(client, survey)
    assert WRITTEN in html and BADGE not in html
    frame, _raw = _export(client, survey, "csv")
    assert frame.iloc[0]["idee"] == WRITTEN

    fragment = _decide(client, survey, answer, "confirmed", htmx=True)
    assert fragment.status_code == 200
    text = fragment.get_data(as_text=True)
    assert text.startswith(f'<li id="answer-{answer.id}"') and MASKED in text
    assert ADDRESS not in text
    assert _answer(answer.response).personal_data == "confirmed"
    assert ADDRESS not in _open_answers(client, survey)
    frame, _raw = _export(client, survey, "csv")
    assert frame.iloc[0]["idee"] == MASKED

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "decide_personal_data")
    ).all()
    assert [(e.officer_id, e.detail["decision"], e.detail["before"]) for e in events] == [
        (officer.id, "cleared", "found"),
        (officer.id, "confirmed", "cleared"),
    ]


def test_a_decision_needs_a_mark_a_known_answer_and_a_known_choice(app, client, sign_in):
    survey = make_survey()
    plain = add_response(survey, {"idee": "Meer bomen"})
    marked = _mark(add_response(survey, {"idee": WRITTEN}), "found")
    other = make_survey(slug="andere-peiling")
    sign_in(client, "analyst")
    assert _decide(client, survey, _answer(plain), "cleared").status_code == 400
    assert _decide(client, survey, marked, "maybe").status_code == 400
    assert _decide(client, other, marked, "cleared").status_code == 400
    assert _answer(marked.response).personal_data == "found"


def test_a_volunteer_coordinator_may_not_decide(app, client, sign_in):
    survey = make_survey()
    marked = _mark(add_response(survey, {"idee": WRITTEN}), "found")
    sign_in(client, "coordinator")
    assert _decide(client, survey, marked, "cleared").status_code == 403
    assert _answer(marked.response).personal_data == "found"


def test_public_results_never_show_the_address(app, client, sign_in):
    survey, _buurten = results_fixture()
    idee = next(q for q in survey.questions if q.code == "idee")
    first, second = db.session.scalars(
        select(Response.id).where(Response.survey_id == survey.id).limit(2)
    ).all()
    found = Answer(response_id=first, question_id=idee.id, value=WRITTEN, moderation="approved")
    unmarked = Answer(
        response_id=second,
        question_id=idee.id,
        value="Buurman Piet de Vries op 1234 AB 12 helpt",
        moderation="approved",
    )
    found.personal_data = "found"
    db.session.add_all([found, unmarked])
    db.session.commit()
    url = f"/r/{survey.channels[0].code}"
    html = client.get(url).get_data(as_text=True)
    assert MASKED in html and ADDRESS not in html
    assert "Buurman [naam] op [adres] helpt" in html and "1234 AB" not in html
    # Confirmed: still masked. Cleared by an officer: as written.
    found.personal_data = "confirmed"
    db.session.commit()
    assert ADDRESS not in client.get(url).get_data(as_text=True)
    found.personal_data = "cleared"
    db.session.commit()
    assert WRITTEN in client.get(url).get_data(as_text=True)


def test_a_swipe_statement_with_a_phone_number_is_masked_for_residents(app, client, sign_in):
    survey = _deck(min_group_size=1)
    key, _ = _vote_through(client, "deck")
    text = "Bel 06-12345678 voor een skatebaan"
    assert client.post("/s/deck/uitspraak", data={"response": key, "text": text}).status_code == 303
    added = db.session.scalar(select(Question).where(Question.review == "pending"))
    assert added.text == {"nl": text}  # stored as written, marked
    assert added.settings == {"author": "resident", "personal_data": "found"}

    officer = app.test_client()
    sign_in(officer, "editor")
    pending = officer.get(f"/officer/surveys/{survey.id}/opinions").get_data(as_text=True)
    assert "Bel [telefoon] voor een skatebaan" in pending and "06-12345678" not in pending
    officer.post(
        f"/officer/surveys/{survey.id}/opinions/statements/{added.id}",
        data={"decision": "approved"},
    )

    resident = app.test_client()
    other, _ = _start(resident, "deck")
    card = resident.get(f"/s/deck/v/{added.code}?response={other}")
    assert card.status_code == 200
    html = card.get_data(as_text=True)
    assert "Bel [telefoon] voor een skatebaan" in html and "06-12345678" not in html
    _vote_through(resident, "deck")
    done = resident.get("/s/deck/klaar").get_data(as_text=True)
    assert "Bel [telefoon] voor een skatebaan" in done and "06-12345678" not in done


def test_a_clean_statement_is_not_marked(app, client):
    _deck()
    key, _ = _vote_through(client, "deck")
    client.post("/s/deck/uitspraak", data={"response": key, "text": "Meer plekken om te chillen"})
    added = db.session.scalar(select(Question).where(Question.review == "pending"))
    assert added.settings == {"author": "resident"}
    assert added.text_in("nl") == "Meer plekken om te chillen"


def test_officer_statements_are_never_masked(app):
    survey = Survey(slug=f"s-{uuid.uuid4().hex[:6]}", kind="swipe", title={"nl": "S"})
    question = Question(code="s1", type="statement", text={"nl": "Bel 112 of 06-12345678"})
    survey.questions.append(question)
    db.session.add(survey)
    db.session.commit()
    assert question.text_in("nl") == "Bel 112 of 06-12345678"


def test_an_editor_confirms_or_clears_a_statements_mark_on_meningen(app, client, sign_in):
    survey = _deck(min_group_size=1)
    key, _ = _vote_through(client, "deck")
    text = "Mijn buurvrouw Els wil een moestuin"
    client.post("/s/deck/uitspraak", data={"response": key, "text": text})
    clean = "Meer plekken om te chillen"
    client.post("/s/deck/uitspraak", data={"response": key, "text": clean})
    added, plain = db.session.scalars(
        select(Question).where(Question.review == "pending").order_by(Question.id)
    ).all()
    url = f"/officer/surveys/{survey.id}/opinions/statements/{added.id}/personal-data"

    analyst = app.test_client()
    sign_in(analyst, "analyst")
    assert analyst.post(url, data={"decision": "cleared"}).status_code == 403
    editor = app.test_client()
    officer = sign_in(editor, "editor")
    page = editor.get(f"/officer/surveys/{survey.id}/opinions").get_data(as_text=True)
    assert BADGE in page and "Mijn buurvrouw [naam] wil een moestuin" in page
    assert editor.post(url, data={"decision": "maybe"}).status_code == 400
    plain_url = url.replace(f"/{added.id}/", f"/{plain.id}/")
    assert editor.post(plain_url, data={"decision": "cleared"}).status_code == 400

    assert editor.post(url, data={"decision": "confirmed"}).status_code == 303
    db.session.expire_all()
    assert added.personal_data == "confirmed" and added.text_in("nl") != text
    assert editor.post(url, data={"decision": "cleared"}).status_code == 303
    db.session.expire_all()
    assert added.settings == {"author": "resident", "personal_data": "cleared"}
    assert added.text_in("nl") == text
    page = editor.get(f"/officer/surveys/{survey.id}/opinions").get_data(as_text=True)
    assert text in page
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "decide_personal_data")
    ).all()
    assert [(e.officer_id, e.detail["statement"], e.detail["decision"]) for e in events] == [
        (officer.id, added.id, "confirmed"),
        (officer.id, added.id, "cleared"),
    ]


def test_open_answers_can_show_only_those_waiting_for_a_look(app, client, sign_in):
    survey = make_survey()
    _mark(add_response(survey, {"idee": WRITTEN}), "found")
    _mark(add_response(survey, {"idee": "Bel 06-12345678"}), "confirmed")
    add_response(survey, {"idee": "Meer bomen"})
    sign_in(client, "analyst")
    page = client.get(f"/officer/surveys/{survey.id}/open-answers?state=found")
    html = page.get_data(as_text=True)
    assert MASKED in html and "1 open antwoord." in html
    assert "Bel [telefoon]" not in html and "Meer bomen" not in html
    assert '<option value="found" selected>' in html


def test_mark_personal_data_marks_what_was_stored_before(app):
    survey = make_survey()
    old = add_response(survey, {"idee": WRITTEN, "kleur": "rood"})
    clean = add_response(survey, {"idee": "Meer bomen"})
    cleared = _mark(add_response(survey, {"idee": "Bel 06-12345678"}), "cleared")
    deck = _deck(code="oud")
    statement = Question(
        survey_id=deck.id,
        code="r1",
        type="statement",
        text={"nl": "Mail ideeen naar x@example.nl"},
        settings={"author": "resident"},
    )
    db.session.add(statement)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["responses", "mark-personal-data"])
    assert result.exit_code == 0, result.output
    assert "1 open answers and 1 statements marked." in result.output
    assert _answer(old).personal_data == "found"
    assert _answer(clean).personal_data is None
    assert _answer(cleared.response).personal_data == "cleared"  # an officer's look stays
    assert db.session.get(Question, statement.id).personal_data == "found"
    again = runner.invoke(args=["responses", "mark-personal-data"])
    assert "0 open answers and 0 statements marked." in again.output
