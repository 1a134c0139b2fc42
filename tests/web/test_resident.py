"""The resident flow through the Flask test client: every step, retries, bad input."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Answer, Channel, Question, Response
from survey.models._types import utcnow


def _start(client, code="demo-peiling"):
    key = str(uuid.uuid4())
    result = client.post(f"/s/{code}/start", data={"response": key})
    assert result.status_code == 303
    return key, result.headers["Location"]


def _answers(key):
    db.session.expire_all()  # the test client's requests share this session: read fresh rows
    response = db.session.scalar(select(Response).where(Response.uuid == key))
    return {a.question.code: a.value for a in response.answers} if response else None


def test_intro_says_who_asks_and_how_long(demo, demo_client):
    scans = db.session.scalar(select(Channel.scans).where(Channel.code == "demo-peiling"))
    page = demo_client.get("/s/demo-peiling")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Gemeente Voorbeeldstad" in html and "minuten" in html and "anoniem" in html
    db.session.expire_all()
    after = db.session.scalar(select(Channel.scans).where(Channel.code == "demo-peiling"))
    assert after == scans + 1


def test_unknown_channel_is_404_with_a_message(demo, demo_client):
    page = demo_client.get("/s/does-not-exist")
    assert page.status_code == 404
    assert "QR-code" in page.get_data(as_text=True)


def test_answer_is_saved_and_next_question_follows(demo, demo_client):
    key, location = _start(demo_client)
    assert location.endswith("/v/buurt")
    result = demo_client.post(location, data={"response": key, "value": "BU09990202"})
    assert result.status_code == 303 and result.headers["Location"].endswith("/v/themes")
    assert _answers(key) == {
        "buurt": {"area": "BU09990202", "area_id": _answers(key)["buurt"]["area_id"]}
    }
    response = db.session.scalar(select(Response).where(Response.uuid == key))
    assert response.area.name == "Molenwijk" and response.completed_at is None


def test_replayed_post_stores_one_answer_with_the_last_value(demo, demo_client):
    key, location = _start(demo_client)
    demo_client.post(location, data={"response": key, "value": "BU09990202"})
    themes = location.replace("buurt", "themes")
    for value in (["groen"], ["groen"], ["spelen", "zorg"]):
        assert demo_client.post(themes, data={"response": key, "value": value}).status_code == 303
    response_id = db.session.scalar(select(Response.id).where(Response.uuid == key))
    count = db.session.scalar(
        select(func.count(Answer.id)).where(Answer.response_id == response_id)
    )
    assert count == 2
    assert _answers(key)["themes"] == ["spelen", "zorg"]


def test_a_retried_start_creates_one_response(demo, demo_client):
    key = str(uuid.uuid4())
    for _ in range(3):
        demo_client.post("/s/demo-peiling/start", data={"response": key})
    assert db.session.scalar(select(func.count(Response.id)).where(Response.uuid == key)) == 1


@pytest.mark.parametrize(
    ("question", "data", "message"),
    [
        ("themes", {"value": "nonsense"}, "Kies een van de antwoorden"),
        ("themes", {"value": ["groen", "spelen", "zorg", "verkeer"]}, "maximaal 3"),
        ("idee", {"value": "x" * 501}, "te lang"),
        ("woonplezier", {"value": "9"}, "Kies een van de antwoorden"),
        ("buurt", {"postcode": "12"}, "4 cijfers"),
        ("buurt", {"postcode": "1000"}, "kennen we niet"),
        ("buurt", {}, "moet je beantwoorden"),
    ],
)
def test_bad_input_gets_a_clear_message_and_a_4xx(demo, demo_client, question, data, message):
    key, _ = _start(demo_client)
    result = demo_client.post(f"/s/demo-peiling/v/{question}", data={"response": key, **data})
    assert result.status_code == 422
    assert message in result.get_data(as_text=True)
    assert question not in (_answers(key) or {})


def test_number_out_of_range_in_the_verdieping_is_refused(demo, demo_client):
    key, _ = _start(demo_client)
    demo_client.post("/s/demo-peiling/verdieping", data={"response": key, "choice": "yes"})
    for bad, message in (
        ("101", "tussen 0 en 100"),
        ("-1", "tussen 0 en 100"),
        ("tien", "heel getal"),
    ):
        result = demo_client.post("/s/demo-peiling/v/jaren", data={"response": key, "value": bad})
        assert result.status_code == 422
        assert message in result.get_data(as_text=True)
    assert "jaren" not in _answers(key)
    result = demo_client.post("/s/demo-peiling/v/jaren", data={"response": key, "value": "100"})
    assert result.status_code == 303 and _answers(key)["jaren"] == 100


def test_language_switch_is_not_counted_as_a_scan(demo, demo_client):
    demo_client.get("/s/demo-peiling")
    db.session.expire_all()
    scans = db.session.scalar(select(Channel.scans).where(Channel.code == "demo-peiling"))
    demo_client.get("/s/demo-peiling?lang=en")
    db.session.expire_all()
    assert db.session.scalar(select(Channel.scans).where(Channel.code == "demo-peiling")) == scans


def test_forged_question_and_response_ids_are_refused(demo, demo_client):
    key, _ = _start(demo_client)
    assert (
        demo_client.post(
            "/s/demo-peiling/v/forged", data={"response": key, "value": "1"}
        ).status_code
        == 404
    )
    result = demo_client.post(
        "/s/demo-peiling/v/themes", data={"response": "not-a-uuid", "value": "groen"}
    )
    assert result.status_code == 400
    assert "Begin opnieuw" in result.get_data(as_text=True)


def test_swipe_statement_is_not_reachable_through_another_survey(demo, demo_client):
    key, _ = _start(demo_client)
    swipe_code = db.session.scalar(
        select(Question.code).where(Question.type == "statement").limit(1)
    )
    result = demo_client.post(
        f"/s/demo-peiling/v/{swipe_code}", data={"response": key, "value": "agree"}
    )
    assert result.status_code == 404


def test_missing_csrf_token_is_refused(demo):
    before = db.session.scalar(select(func.count(Response.id)))
    demo.config["WTF_CSRF_ENABLED"] = True
    try:
        result = demo.test_client().post(
            "/s/demo-peiling/start", data={"response": str(uuid.uuid4())}
        )
    finally:
        demo.config["WTF_CSRF_ENABLED"] = False
    assert result.status_code == 400
    assert "verlopen" in result.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Response.id))) == before


def test_show_if_skips_a_question_whose_condition_fails(demo, demo_client):
    key, _ = _start(demo_client)
    demo_client.post("/s/demo-peiling/verdieping", data={"response": key, "choice": "yes"})
    for household, following in (("no_children", "/v/idee"), ("children", "/v/speelplek")):
        answer = {"response": key, "value": household}
        demo_client.post("/s/demo-peiling/v/household", data=answer)
        answer = {"response": key, "value": "3"}
        result = demo_client.post("/s/demo-peiling/v/woonplezier", data=answer)
        assert result.headers["Location"].endswith(following)


def test_htmx_gets_only_the_screen_fragment(demo, demo_client):
    key, location = _start(demo_client)
    page = demo_client.get(location, headers={"HX-Request": "true"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.lstrip().startswith('<div id="screen"')
    assert "<html" not in html and page.headers["HX-Push-Url"] == location
    assert "HX-Request" in page.headers["Vary"]


def test_resume_continues_where_the_resident_left_off(demo, demo_client):
    key, location = _start(demo_client)
    demo_client.post(location, data={"response": key, "value": "BU09990101"})
    page = demo_client.get("/s/demo-peiling").get_data(as_text=True)
    assert re.search(r'href="/s/demo-peiling/v/themes"', page)


def test_a_closed_survey_takes_no_new_responses_but_keeps_begun_ones_for_a_day(demo, demo_client):
    from survey.models import Survey

    key, location = _start(demo_client)
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    survey.status, survey.closes_at = "closed", utcnow()
    db.session.commit()
    try:
        late = demo_client.post(location, data={"response": key, "value": "BU09990101"})
        assert late.status_code == 303  # begun before closing, queued offline: still counts
        survey.closes_at = utcnow() - timedelta(days=1, minutes=1)
        db.session.commit()
        later = demo_client.post(location, data={"response": key, "value": "BU09990102"})
        assert later.status_code == 410 and "gesloten" in later.get_data(as_text=True)
        choice = {"response": key, "choice": "no"}
        assert demo_client.post("/s/demo-peiling/verdieping", data=choice).status_code == 410
        db.session.expire_all()
        stored = db.session.scalar(select(Response).where(Response.uuid == key))
        assert stored.completed_at is None and stored.area.cbs_code == "BU09990101"
        new = demo_client.post("/s/demo-peiling/start", data={"response": str(uuid.uuid4())})
        assert new.status_code == 410 and "gesloten" in new.get_data(as_text=True)
        entry = demo_client.get("/s/demo-peiling")
        assert entry.status_code == 303 and entry.headers["Location"].endswith("/r/demo-peiling")
    finally:
        survey.status, survey.closes_at = "open", None
        db.session.commit()


def test_opening_the_thank_you_page_changes_nothing(demo, demo_client):
    key, location = _start(demo_client)
    demo_client.post(location, data={"response": key, "value": "BU09990101"})
    result = demo_client.get("/s/demo-peiling/klaar")
    assert result.status_code == 303 and result.headers["Location"].endswith("/v/themes")
    db.session.expire_all()
    response = db.session.scalar(select(Response).where(Response.uuid == key))
    assert response.completed_at is None
    demo_client.post("/s/demo-peiling/verdieping", data={"response": key, "choice": "no"})
    db.session.expire_all()
    assert db.session.scalar(select(Response).where(Response.uuid == key)).completed_at
