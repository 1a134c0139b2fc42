"""Swipe decks through the Flask test client: cards, votes, results, own statements, 16+."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from survey.extensions import db
from survey.features.swipe.service import MAX_PER_RESPONSE
from survey.models import Answer, Channel, Question, Response, Survey


def _start(client, code):
    key = str(uuid.uuid4())
    result = client.post(f"/s/{code}/start", data={"response": key})
    assert result.status_code == 303
    return key, result.headers["Location"]


def _vote_through(client, code, votes=("agree", "disagree", "skip")):
    """Vote on every card with plain form posts; return the response key and the cards seen."""
    key, location = _start(client, code)
    seen = []
    while "/v/" in location:
        seen.append(location.rsplit("/", 1)[1])
        result = client.post(location, data={"response": key, "value": votes[len(seen) % 3]})
        assert result.status_code == 303, result.get_data(as_text=True)
        location = result.headers["Location"]
    assert location.endswith(f"/s/{code}/klaar")
    return key, seen


def _deck(min_group_size=2, statements=8, code="deck"):
    """A swipe survey of our own on empty tables."""
    survey = Survey(slug=code, kind="swipe", status="open", title={"nl": "Test"})
    survey.min_group_size = min_group_size
    for i in range(1, statements + 1):
        survey.questions.append(
            Question(position=i, code=f"s{i}", type="statement", text={"nl": f"Uitspraak {i}"})
        )
    db.session.add(survey)
    db.session.flush()
    db.session.add(Channel(survey_id=survey.id, code=code, label="Poster", kind="poster"))
    db.session.commit()
    return survey


def test_a_swipe_question_is_a_card_with_three_buttons(demo, demo_client):
    _, location = _start(demo_client, "demo-swipe")
    html = demo_client.get(location).get_data(as_text=True)
    assert "data-deck" in html and 'class="card"' in html
    assert re.findall(r'name="value" value="(\w+)"', html) == ["disagree", "skip", "agree"]
    assert 'aria-keyshortcuts="ArrowLeft"' in html and 'aria-keyshortcuts="ArrowRight"' in html
    assert "Uitspraak 1 van 10" in html and "Volgende" not in html


def test_needs_questions_keep_their_own_screen(demo, demo_client):
    _, location = _start(demo_client, "demo-peiling")
    html = demo_client.get(location).get_data(as_text=True)
    assert "data-deck" not in html and "Volgende" in html


def test_plain_form_votes_are_stored_once_and_lead_to_the_results(demo, demo_client):
    key, seen = _vote_through(demo_client, "demo-swipe")
    assert len(seen) == 10
    response = db.session.scalar(select(Response).where(Response.uuid == key))
    values = {a.question.code: a.value for a in response.answers}
    assert values["s1"] == "disagree" and values["s2"] == "skip" and values["s3"] == "agree"
    again = demo_client.post(
        f"/s/demo-swipe/v/{seen[0]}", data={"response": key, "value": "agree"}
    )  # a retried or changed vote replaces the first, never adds one
    assert again.status_code == 303
    count = db.session.scalar(
        select(func.count(Answer.id)).where(Answer.response_id == response.id)
    )
    assert count == 10
    html = demo_client.get("/s/demo-swipe/klaar").get_data(as_text=True)
    assert "Zo stemden anderen" in html
    assert re.search(r"Eens \d+% · Oneens \d+% · Sla over \d+%", html)
    assert re.search(r"\(\d+ stemmen\)", html)
    assert "Jij:" in html
    assert "/verdieping" not in html  # no verdieping offer after a deck
    db.session.refresh(response)
    assert response.completed_at is not None


def test_results_appear_only_when_enough_people_voted(app, client):
    _deck(min_group_size=3)
    _vote_through(client, "deck")
    first = client.get("/s/deck/klaar").get_data(as_text=True)
    assert "Nog te weinig stemmen" in first and "Sla over 0%" not in first
    for _ in range(2):
        _vote_through(app.test_client(), "deck")
    third = client.get("/s/deck/klaar").get_data(as_text=True)
    assert "Nog te weinig stemmen" not in third
    assert "(3 stemmen)" in third


def test_a_residents_statement_enters_other_decks_only_after_approval(app, client, sign_in):
    survey = _deck()
    key, _ = _vote_through(client, "deck")
    result = client.post(
        "/s/deck/uitspraak", data={"response": key, "text": "Meer plekken om te chillen"}
    )
    assert result.status_code == 303 and result.headers["Location"].endswith("/s/deck/klaar")
    assert "kijken eerst naar je uitspraak" in client.get("/s/deck/klaar").get_data(as_text=True)
    added = db.session.scalar(select(Question).where(Question.review == "pending"))
    assert added.type == "statement" and added.settings == {"author": "resident"}
    assert added.text == {"nl": "Meer plekken om te chillen"} and added.survey_id == survey.id

    _, before = _vote_through(app.test_client(), "deck")
    assert added.code not in before and len(before) == 8
    # Not even by its address: an unreviewed statement is shown to no one, nor voted on.
    assert client.get(f"/s/deck/v/{added.code}").status_code == 404
    voted = client.post(f"/s/deck/v/{added.code}", data={"response": key, "value": "agree"})
    assert voted.status_code == 404

    officer = app.test_client()
    sign_in(officer, "editor")
    page = officer.get(f"/officer/surveys/{survey.id}/opinions").get_data(as_text=True)
    assert "Meer plekken om te chillen" in page and 'name="csrf_token"' in page
    decided = officer.post(
        f"/officer/surveys/{survey.id}/opinions/statements/{added.id}",
        data={"decision": "approved"},
    )
    assert decided.status_code == 303
    _, after = _vote_through(app.test_client(), "deck")
    assert after[-1] == added.code and len(after) == 9


def test_a_rejected_statement_stays_out(app, client, sign_in):
    survey = _deck()
    key, _ = _vote_through(client, "deck")
    client.post("/s/deck/uitspraak", data={"response": key, "text": "Iets wat niet mag hier"})
    added = db.session.scalar(select(Question).where(Question.review == "pending"))
    officer = app.test_client()
    sign_in(officer, "editor")
    url = f"/officer/surveys/{survey.id}/opinions/statements/{added.id}"
    assert officer.post(url, data={"decision": "maybe"}).status_code == 400
    assert officer.post(url, data={"decision": "rejected"}).status_code == 303
    db.session.refresh(added)
    assert added.review == "rejected"
    _, cards = _vote_through(app.test_client(), "deck")
    assert added.code not in cards


def test_bad_statements_are_refused_with_a_clear_message(app, client):
    _deck()
    key, _ = _vote_through(client, "deck")
    for text, message in [
        ("", "Schrijf eerst je uitspraak."),
        ("kort", "te kort"),
        ("x" * 201, "te lang"),
    ]:
        result = client.post("/s/deck/uitspraak", data={"response": key, "text": text})
        assert result.status_code == 422
        assert message in result.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(Question.review == "pending")) == 0
    for i in range(MAX_PER_RESPONSE):
        client.post(
            "/s/deck/uitspraak", data={"response": key, "text": f"Een goed idee nummer {i}"}
        )
    refused = client.post("/s/deck/uitspraak", data={"response": key, "text": "Nog een idee erbij"})
    assert refused.status_code == 429 and "Dank je wel" in refused.get_data(as_text=True)
    pending = db.session.scalar(select(func.count()).where(Question.review == "pending"))
    assert pending == MAX_PER_RESPONSE


def test_nothing_personal_is_asked_before_16_plus_is_confirmed(app, client):
    survey = _deck()
    _vote_through(client, "deck")
    html = client.get("/s/deck/klaar").get_data(as_text=True)
    assert "Ik ben 16 of ouder" in html
    assert 'type="email"' not in html and 'type="tel"' not in html
    assert "laten weten dat je 16 of ouder bent" not in html
    unticked = client.post("/s/deck/leeftijd", data={})
    assert unticked.status_code == 303
    assert "Zet een vinkje" in client.get("/s/deck/klaar").get_data(as_text=True)
    with client.session_transaction() as session:
        assert not session.get("adult_confirmed")
    client.post("/s/deck/leeftijd", data={"adult": "yes"})
    with client.session_transaction() as session:
        assert session["adult_confirmed"] == [survey.id]
    html = client.get("/s/deck/klaar").get_data(as_text=True)
    assert "laten weten dat je 16 of ouder bent" in html
    assert 'name="adult"' not in html


def test_officers_see_votes_groups_consensus_and_the_map(demo, sign_in):
    client = demo.test_client()
    sign_in(client, "analyst")
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-swipe"))
    page = client.get(f"/officer/surveys/{survey.id}/opinions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Stemmen per uitspraak" in html and "Meningsgroepen" in html
    assert "Groep 1" in html and "Groep 2" in html
    assert "Wat deze groep anders maakt" in html
    assert "Waar (bijna) iedereen het over eens is" in html
    assert 'role="img"' in html and html.count("<circle") >= 10
    assert "Goedkeuren" not in html  # analysts read; editors review
    needs = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    other = client.get(f"/officer/surveys/{needs.id}/opinions").get_data(as_text=True)
    assert "alleen bij een swipe-peiling" in other


def test_coordinators_do_not_see_opinions(demo, sign_in):
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-swipe"))
    client = demo.test_client()
    sign_in(client, "coordinator")
    assert client.get(f"/officer/surveys/{survey.id}/opinions").status_code == 403


def test_analysts_cannot_review_statements(demo, sign_in):
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-swipe"))
    client = demo.test_client()
    sign_in(client, "analyst")
    url = f"/officer/surveys/{survey.id}/opinions/statements/{survey.questions[0].id}"
    assert client.post(url, data={"decision": "rejected"}).status_code == 403
    db.session.refresh(survey.questions[0])
    assert survey.questions[0].review == "approved"


def _votes(survey, per_statement):
    """Responses with the given votes: {statement code: [vote, ...]}, one response per column."""
    questions = {q.code: q for q in survey.questions}
    voters = max(len(votes) for votes in per_statement.values())
    for i in range(voters):
        response = Response(uuid=str(uuid.uuid4()), survey_id=survey.id)
        response.answers = [
            Answer(question_id=questions[code].id, value=votes[i])
            for code, votes in per_statement.items()
            if i < len(votes)
        ]
        db.session.add(response)
    db.session.commit()


def test_officers_do_not_see_small_vote_counts_or_what_gives_them_away(app, client, sign_in):
    survey = _deck(min_group_size=3, statements=2)
    _votes(
        survey,
        {
            "s1": ["agree"] * 6 + ["disagree"] * 2 + ["skip"] * 4,  # 2 disagree: too few
            "s2": ["agree"] * 6 + ["disagree"] * 6,
        },
    )
    sign_in(client, "analyst")
    page = client.get(f"/officer/surveys/{survey.id}/opinions").get_data(as_text=True)
    first = page.split('<th scope="row">Uitspraak 1</th>', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="num">(.*?)</td>', first, re.S)
    # The 2 who disagreed are hidden, and the 4 who skipped: else 12 - 6 - 4 gives the 2.
    assert [c.strip() for c in cells[:1]] == ["50%"] and "12" in cells[3]
    assert all("te weinig" in c for c in cells[1:3]) and "17%" not in first and "33%" not in first
    second = page.split('<th scope="row">Uitspraak 2</th>', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">(.*?)</td>', second, re.S) == ["50%", "50%", "0%", "12"]
    assert 'id="votes-too-few"' in page and "uitrekenen" in page
