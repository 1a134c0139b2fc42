"""Against ballot stuffing: the daily cap per address, bursts, "verdacht", quick swipers."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.features.responses import dashboard
from survey.features.responses.filters import Filters
from survey.features.tallies import read as tally_read
from survey.models import Answer, Channel, Question, Response, Survey, counted

TOKEN = re.compile(r'name="screen_token" value="([^"]+)"')
SCRIPT_ADDRESS = "203.0.113.66"
SCHOOL_ADDRESS = "198.51.100.40"


@pytest.fixture
def guarded(app):
    """The app with the production settings of the guards (the test default switches them off)."""
    names = ("RESPONSES_PER_ADDRESS_PER_DAY", "BURST_STARTS", "BURST_MINUTES", "HUMAN_MIN_SECONDS")
    saved = {name: app.config.get(name) for name in names}
    app.config.update(
        RESPONSES_PER_ADDRESS_PER_DAY=25, BURST_STARTS=10, BURST_MINUTES=10, HUMAN_MIN_SECONDS=0.5
    )
    yield app
    app.config.update(saved)


def _survey(kind="needs", code="peil", channel_kind="poster", daily_cap=None, questions=2):
    survey = Survey(slug=code, kind=kind, status="open", title={"nl": "Test"})
    survey.min_group_size = 2
    for i in range(1, questions + 1):
        if kind == "swipe":
            q = Question(position=i, code=f"s{i}", type="statement", text={"nl": f"Uitspraak {i}"})
        else:
            q = Question(
                position=i,
                code=f"q{i}",
                type="yesno",
                text={"nl": f"Vraag {i}"},
                required=False,
            )
        survey.questions.append(q)
    db.session.add(survey)
    db.session.flush()
    channel = Channel(
        survey_id=survey.id, code=code, label="Ingang", kind=channel_kind, daily_cap=daily_cap
    )
    db.session.add(channel)
    db.session.commit()
    return survey


def _published(survey):
    """How many responses the public figures count (before rounding): the counted ones, in
    whole batches of the minimum group size."""
    return tally_read.published_completed(survey.id)


def _phone(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _token(client, url):
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def _respond(client, code, value="yes"):
    """One complete response as a script or a phone would post it; returns its key."""
    key = str(uuid.uuid4())
    start = client.post(
        f"/s/{code}/start", data={"response": key, "screen_token": _token(client, f"/s/{code}")}
    )
    assert start.status_code == 303, start.get_data(as_text=True)
    location = start.headers["Location"]
    while "/v/" in location:
        data = {"response": key, "value": value, "screen_token": _token(client, location)}
        answer = client.post(location, data=data)
        assert answer.status_code == 303, answer.get_data(as_text=True)
        location = answer.headers["Location"]
    return key


def _counted(survey) -> int:
    where = [Response.survey_id == survey.id, counted()]
    return db.session.scalar(select(func.count(Response.id)).where(*where))


def _stored(survey) -> int:
    return db.session.scalar(select(func.count(Response.id)).where(Response.survey_id == survey.id))


def test_the_80_response_stuffing_script_from_one_address_counts_at_most_the_cap(guarded):
    survey = _survey()
    script = _phone(guarded, SCRIPT_ADDRESS)
    for _ in range(80):
        _respond(script, "peil")
    neighbour = _respond(_phone(guarded, "192.0.2.7"), "peil", value="no")
    _respond(_phone(guarded, "192.0.2.8"), "peil", value="no")
    assert _stored(survey) == 82  # nothing is lost: every response is stored
    assert _counted(survey) <= 25 + 2
    reasons = dict(
        db.session.execute(
            select(Response.suspect_reason, func.count())
            .where(Response.survey_id == survey.id)
            .group_by(Response.suspect_reason)
        ).all()
    )
    assert reasons["burst"] >= 55  # the burst is flagged
    assert db.session.scalar(select(Response.suspect).where(Response.uuid == neighbour)) is False
    # The address is never stored in the clear, only as its HMAC of the day.
    keys = set(
        db.session.scalars(select(Response.client_key).where(Response.survey_id == survey.id))
    )
    assert len(keys) == 3 and all(len(k) == 64 and SCRIPT_ADDRESS not in k for k in keys)
    counted_now = _counted(survey)
    assert _published(survey) == counted_now - counted_now % survey.min_group_size
    figures = dashboard.build_dashboard(survey, Filters(), "nl")
    assert figures.started == counted_now
    bars = {b.label: b.count for b in figures.charts[0].bars}
    assert bars["Ja"] == counted_now - 2 and bars["Nee"] == 2, bars  # the neighbours said no


def test_past_the_daily_cap_responses_are_stored_but_suspect(guarded):
    guarded.config["BURST_STARTS"] = 1000  # a slow script: the cap alone
    survey = _survey()
    script = _phone(guarded, SCRIPT_ADDRESS)
    keys = [_respond(script, "peil") for _ in range(30)]
    assert _stored(survey) == 30 and _counted(survey) == 25
    last = db.session.scalar(select(Response).where(Response.uuid == keys[-1]))
    assert last.suspect and last.suspect_reason == "cap"
    # The resident is not refused nor told: the done screen thanks them as anyone.
    assert "Bedankt" in script.get("/s/peil/klaar").get_data(as_text=True)


def test_a_class_of_40_phones_behind_one_school_address_is_counted_in_full(guarded):
    survey = _survey(code="school", channel_kind="school", daily_cap=60)
    for _ in range(40):
        _respond(_phone(guarded, SCHOOL_ADDRESS), "school")
    assert _stored(survey) == 40 and _counted(survey) == 40


def test_a_raised_cap_on_a_poster_channel_does_not_count(guarded):
    survey = _survey(code="poster", channel_kind="poster", daily_cap=60)
    guarded.config["BURST_STARTS"] = 1000
    for _ in range(40):
        _respond(_phone(guarded, SCHOOL_ADDRESS), "poster")
    assert _counted(survey) == 25


def test_suspect_votes_are_left_out_of_the_opinion_figures(guarded):
    from survey.features.opinions import service as opinions

    survey = _survey(kind="swipe", code="deck", questions=3)
    for _ in range(15):
        _respond(_phone(guarded, SCRIPT_ADDRESS), "deck", value="agree")
    frame = opinions.votes_frame(survey)
    assert frame["participant"].nunique() == _counted(survey) == 10


def test_a_quick_swiper_moves_the_deck_one_card_per_tap(guarded):
    survey = _survey(kind="swipe", code="snel", questions=14)
    phone = _phone(guarded, "192.0.2.50")
    key = str(uuid.uuid4())
    location = phone.post(
        "/s/snel/start", data={"response": key, "screen_token": _token(phone, "/s/snel")}
    ).headers["Location"]
    taps = 0
    while "/v/" in location:
        token = _token(phone, location)  # the card appears ...
        time.sleep(0.25 + 0.01 * (taps % 15))  # ... and 250-400 ms later the tap on "Eens"
        result = phone.post(
            location, data={"response": key, "value": "agree", "screen_token": token}
        )
        assert result.status_code == 303
        assert result.headers["Location"] != location  # never the same card again
        location = result.headers["Location"]
        taps += 1
    assert taps == 14
    votes = db.session.scalar(
        select(func.count(Answer.id)).join(Response).where(Response.survey_id == survey.id)
    )
    assert votes == 14


def test_a_replayed_cookie_and_100_posts_add_at_most_3_statements(guarded):
    _survey(kind="swipe", code="idee", questions=2)
    phone = _phone(guarded, "192.0.2.60")
    key = _respond(phone, "idee", value="agree")
    cookies = {c.key: c.value for c in phone._cookies.values()}
    token = _token(phone, "/s/idee/klaar")
    statuses = []
    for i in range(100):
        replay = _phone(guarded, "192.0.2.60")
        for name, value in cookies.items():  # the cookie as it was before any statement
            replay.set_cookie(name, value, path="/s/")
        data = {"response": key, "text": f"Idee nummer {i}", "screen_token": token}
        result = replay.post("/s/idee/uitspraak", data=data)
        statuses.append(result.status_code)
    pending = db.session.scalar(select(func.count(Question.id)).where(Question.review == "pending"))
    assert pending == 3, statuses[:5]
    assert statuses[:3] == [303, 303, 303] and set(statuses[3:]) == {429}
    data = {"response": key, "text": "Nog een idee erbij", "screen_token": token}
    refused = replay.post("/s/idee/uitspraak", data=data)
    assert "Je hebt al 3 uitspraken ingestuurd" in refused.get_data(as_text=True)


def test_an_analyst_reviews_a_burst_and_accepting_it_counts_it_with_an_audit_event(
    guarded, sign_in
):
    from survey.models import AuditEvent

    survey = _survey()
    for _ in range(14):
        _respond(_phone(guarded, SCRIPT_ADDRESS), "peil")
    assert _counted(survey) == 10
    officer = guarded.test_client()
    sign_in(officer, "analyst")
    page = officer.get(f"/officer/surveys/{survey.id}/verdacht")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Verdachte reacties" in html
    assert "veel kort na elkaar" in html and "1 verschillend antwoordpatroon" in html
    burst = re.search(r'name="burst" value="([^"]+)"', html).group(1)
    assert SCRIPT_ADDRESS not in html
    url = f"/officer/surveys/{survey.id}/verdacht"
    kept = officer.post(url, data={"burst": burst, "decision": "keep"})
    assert kept.status_code == 303 and _counted(survey) == 10
    assert "Telt niet mee (besloten)" in officer.get(url).get_data(as_text=True)
    accepted = officer.post(url, data={"burst": burst, "decision": "accept"})
    assert accepted.status_code == 303 and _counted(survey) == 14
    assert _published(survey) == 14
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["keep_suspect_responses", "accept_suspect_responses"]
    assert "geen verdachte reacties" in officer.get(url).get_data(as_text=True)
    odd = officer.post(url, data={"burst": "x" * 500, "decision": "accept"})
    assert odd.status_code == 400
    wrong = officer.post(url, data={"burst": burst, "decision": "delete"})
    assert wrong.status_code == 400


def test_an_editor_or_coordinator_may_not_review_suspects(guarded, sign_in):
    survey = _survey()
    for role in ("editor", "coordinator"):
        officer = guarded.test_client()
        sign_in(officer, role)
        assert officer.get(f"/officer/surveys/{survey.id}/verdacht").status_code == 403


def test_the_row_export_shows_the_flag(guarded, sign_in):
    survey = _survey()
    for _ in range(12):
        _respond(_phone(guarded, SCRIPT_ADDRESS), "peil")
    officer = guarded.test_client()
    sign_in(officer, "admin")
    csv = officer.get(f"/officer/surveys/{survey.id}/export.csv")
    text = csv.get_data(as_text=True)
    assert csv.status_code == 200, text[:300]
    assert "verdacht" in text.splitlines()[0]
    assert text.count(",ja,") + text.count(";ja;") == 2


def test_addresses_are_hashed_under_a_random_key_of_the_day_that_is_gone_the_next_day(
    guarded, monkeypatch
):
    import hashlib
    import hmac
    from datetime import timedelta

    from survey.core import limits
    from survey.models import DayKey

    survey = _survey()
    limits._keys.clear()
    first = _respond(_phone(guarded, SCRIPT_ADDRESS), "peil")
    (day, key), *more = db.session.execute(select(DayKey.day, DayKey.key)).all()
    assert not more and day == limits.today() and len(key) == 64
    stored = db.session.scalar(select(Response.client_key).where(Response.uuid == first))
    expected = hmac.new(
        bytes.fromhex(key), f"survey:{survey.id}:{SCRIPT_ADDRESS}".encode(), hashlib.sha256
    )
    assert stored == expected.hexdigest()
    limits._keys.clear()  # another app server, on the same database, uses the same key
    with guarded.test_request_context(environ_base={"REMOTE_ADDR": SCRIPT_ADDRESS}):
        assert limits.client_key(f"survey:{survey.id}") == stored
    tomorrow = limits.today() + timedelta(days=1)
    monkeypatch.setattr(limits, "today", lambda: tomorrow)
    second = _respond(_phone(guarded, SCRIPT_ADDRESS), "peil")
    assert db.session.execute(select(DayKey.day)).scalars().all() == [tomorrow]  # yesterday's gone
    later = db.session.scalar(select(Response.client_key).where(Response.uuid == second))
    assert later != stored  # the same address, not to be matched across days
