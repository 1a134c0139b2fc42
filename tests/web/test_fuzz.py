"""Hostile input on the resident and import endpoints: never a 500, never stored garbage.

Hypothesis throws random and hostile forms (huge strings, NUL bytes, unicode, SQL and script
fragments, forged response UUIDs, wrong and repeated field names) at the resident flow of the
demo surveys and at the officer's paper import. Every reply is 2xx/3xx/4xx, a 4xx says in Dutch
what is wrong, an answer is stored only when it keeps the question's rules, and after a 4xx
nothing is stored. The demo is shared, so each check looks only at what its own request touched.
"""

from __future__ import annotations

import csv
import html
import io
import uuid

import pytest
from flask import current_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from survey.core import limits
from survey.extensions import db
from survey.features.answering import service as answering
from survey.features.answering import validation
from survey.features.swipe import service as swipe
from survey.models import LAYERS, Answer, Area, Channel, Question, Response, Survey

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NEEDS, SWIPE = "demo-peiling", "demo-swipe"
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "BU09990101\x00",
    "' OR '1'='1",
    "1; DROP TABLE answers; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "%(max)s %s %d",
    '=HYPERLINK("http://x")',
    "../../etc/passwd",
    "\u202eevil",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🏘️ مرحبا",
    "\ud7ff\ufffd\uffff",
    "x" * 501,
    "é" * 5001,
    "9" * 40,
    "-1",
    "1e3",
    " 3 ",
    "0x10",
    "null",
    "[]",
    '{"area_id": 1}',
    "9911",
    "9911 AB",
    "0000",
    "BU09990101",
    "bu09990202",
    "WK099901",
    "GM0999",
    "yes",
    "no",
    "agree",
    "disagree",
    "skip",
    "groen",
    "bomen",
    "vaak",
]
FIELDS = ["value", "rank1", "rank2", "rank3", "rank4", "rank5", "postcode", "skip", "response"]
FIELDS += ["choice", "text", "lang", "csrf_token", limits.TIME_FIELD, "value[]", "VALUE", ""]


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


def fields(values: st.SearchStrategy[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """A form as (name, value) pairs: names repeat, some are unknown."""
    name = st.one_of(st.sampled_from(FIELDS), st.text(min_size=1, max_size=12))
    return st.lists(st.tuples(name, values), max_size=8)


def response_keys(forged: list[str]) -> st.SearchStrategy[str]:
    """A fresh UUID (most of the time), odd spellings of one, or forged and hostile keys."""
    fresh = st.uuids(version=4).map(str)
    odd = st.uuids().map(lambda u: "{" + str(u).upper() + "}")
    return st.one_of(fresh, fresh, fresh, odd, st.sampled_from(forged), hostile_text())


def dutch_messages() -> list[str]:
    """Every message a refused resident or import request may show (the part before params)."""
    texts = [
        *validation.MESSAGES.values(),
        *limits.MESSAGES.values(),
        *swipe.MESSAGES.values(),
        "Dit verzoek begrijpen we niet.",
        "Deze pagina bestaat niet.",
        "Wat je stuurde is te groot.",
    ]
    return [str(t).split("%(")[0].split("{")[0].strip() for t in texts]


def assert_refusal_in_dutch(result) -> None:
    body = html.unescape(result.get_data(as_text=True))
    assert 'lang="nl"' in body
    assert any(m in body for m in dutch_messages()), body[:2000]


def assert_no_500(result) -> None:
    assert result.status_code < 500, result.get_data(as_text=True)[:2000]
    assert result.status_code in (200, 303, 400, 404, 405, 410, 413, 422, 429), result.status_code


def assert_valid(question: Question, value) -> None:
    """The stored value keeps the question's rules (checked here, not by the parser)."""
    if value is None:
        assert not question.required, question.code
        return
    options = [str(o["value"]) for o in question.options or []]
    kind, s = question.type, question.settings or {}
    if kind == "single":
        assert value in options
    elif kind == "multiple":
        assert isinstance(value, list) and value and len(set(value)) == len(value)
        assert set(value) <= set(options)
        assert len(value) <= int(s.get("max") or len(options))
    elif kind in ("scale", "number"):
        assert isinstance(value, int) and not isinstance(value, bool)
        low = int(s.get("min", 1 if kind == "scale" else 0))
        high = int(s.get("max", 5 if kind == "scale" else 1_000_000))
        assert low <= value <= high
    elif kind == "text":
        assert isinstance(value, str) and value == value.strip() and value
        assert "\x00" not in value and len(value) <= int(s.get("maxlength", 500))
    elif kind == "yesno":
        assert value in ("yes", "no")
    elif kind == "ranking":
        assert isinstance(value, list) and 1 <= len(value) <= int(s.get("pick", 3))
        assert len(set(value)) == len(value) and set(value) <= set(options)
    elif kind == "area":
        area = db.session.get(Area, value["area_id"])
        assert area is not None and area.level == "buurt" and area.cbs_code == value["area"]
        if "postcode" in value:
            assert value["postcode"] in area.postcodes
    elif kind == "statement":
        assert value in ("agree", "disagree", "skip")
    else:
        pytest.fail(f"no rule check for question type {kind}")


def _survey(slug: str) -> Survey:
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def _response(key: str) -> Response | None:
    parsed = answering.parse_uuid(key)
    if parsed is None:
        return None
    return db.session.scalar(select(Response).where(Response.uuid == parsed))


def _answers(response: Response | None) -> dict[int, object]:
    if response is None:
        return {}
    rows = db.session.execute(
        select(Answer.question_id, Answer.value).where(Answer.response_id == response.id)
    )
    return dict(rows.all())


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(Response.id))),
        db.session.scalar(select(func.count(Answer.id))),
        db.session.scalar(select(func.count(Question.id))),
    )


@pytest.fixture
def forged(demo):
    """Keys that exist but belong elsewhere: a swipe response, a needs response, a nil UUID."""
    keys = []
    for slug in (NEEDS, SWIPE):
        survey = _survey(slug)
        keys.append(
            db.session.scalar(select(Response.uuid).where(Response.survey_id == survey.id).limit(1))
        )
    return [*keys, str(uuid.UUID(int=0)), keys[0].upper(), keys[0][:-1]]


TYPES = ["single", "multiple", "scale", "text", "number", "yesno", "ranking", "area", "statement"]


@pytest.fixture
def questions(demo):
    """(channel code, question code) by question type, over the two demo surveys."""
    by_type: dict[str, list[tuple[str, str]]] = {}
    for slug in (NEEDS, SWIPE):
        for q in _survey(slug).questions:
            if not q.hidden:
                by_type.setdefault(q.type, []).append((slug, q.code))
    assert set(TYPES) == set(by_type), "every question type of the demo is fuzzed"
    return by_type


def _values_for(question: Question) -> st.SearchStrategy[str]:
    """Values that fit the question, the same with a NUL byte inside, and hostile text."""
    valid = [str(o["value"]) for o in question.options or []]
    if question.type in ("scale", "number"):
        low, high = validation.scale_bounds(question) if question.type == "scale" else (0, 100)
        valid += [str(n) for n in range(low - 1, high + 2)]
    elif question.type == "area":
        valid += [a.cbs_code for a in db.session.scalars(select(Area))]
        valid += ["9901", "9912 AB", "9999", "99O1"]
    elif question.type in ("yesno", "statement"):
        valid += ["yes", "no", "agree", "disagree", "skip"]
    valid = valid or ["Meer bomen in de straat", "Een bankje bij de speeltuin"]
    nul = st.sampled_from(valid).map(lambda v: v[:2] + "\x00" + v[2:])
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), nul, hostile_text())


@FUZZ
@given(data=st.data())
def test_start_never_fails_and_stores_only_a_valid_response(demo_client, forged, data):
    code = data.draw(st.sampled_from([NEEDS, SWIPE, "demo-bieb", "onbekend", "\x00", "x" * 300]))
    key = data.draw(response_keys(forged))
    form = MultiDict(data.draw(fields(hostile_text())))
    form.setlist("response", [key, *form.getlist("response")])
    if data.draw(st.booleans()):
        form.setlist(limits.HONEYPOT_FIELD, [data.draw(hostile_text())])
    before = _counts()
    existing = _response(key)

    result = demo_client.post(f"/s/{code}/start", data=form)
    db.session.expire_all()

    assert_no_500(result)
    if result.status_code >= 400:
        assert_refusal_in_dutch(result)
        assert _counts() == before
        return
    assert result.status_code == 303
    response = _response(key)
    assert response is not None
    assert response.survey_id == db.session.scalar(
        select(Channel.survey_id).where(Channel.code == code)
    )
    assert response.layer in LAYERS and response.source == "web"
    assert _counts()[1:] == before[1:]  # a start stores no answers
    assert _counts()[0] == before[0] + (0 if existing else 1)


@pytest.mark.parametrize("kind", TYPES)
@settings(FUZZ, max_examples=20)
@given(data=st.data())
def test_an_answer_is_stored_only_when_it_keeps_the_question_rules(
    demo_client, forged, questions, kind, data
):
    slug, qcode = data.draw(st.sampled_from(questions[kind]))
    survey = _survey(slug)
    question = next(q for q in survey.questions if q.code == qcode)
    if data.draw(st.integers(0, 9)) == 0:
        qcode = data.draw(hostile_text().filter(lambda c: "/" not in c and "?" not in c))
    key = data.draw(response_keys(forged))
    names = {"ranking": ["rank1", "rank2", "rank3", "rank4"], "area": ["value", "postcode"]}
    named = st.tuples(st.sampled_from(names.get(kind, ["value"])), _values_for(question))
    form = MultiDict(data.draw(st.lists(named, max_size=5)) + data.draw(fields(hostile_text())))
    form.setlist("response", [key])
    if data.draw(st.integers(0, 4)) == 0:
        form.setlist(limits.HONEYPOT_FIELD, [data.draw(hostile_text().filter(str.strip))])
    response_before = _response(key)
    answers_before = _answers(response_before)
    before = _counts()

    result = demo_client.post(f"/s/{slug}/v/{qcode}", data=form)
    db.session.expire_all()

    assert_no_500(result)
    response = _response(key)
    if result.status_code >= 400:
        assert_refusal_in_dutch(result)
        assert _answers(response) == answers_before
        assert _counts() == before  # a refused answer begins no response either
        assert (response is None) == (response_before is None)
        return
    assert result.status_code == 303
    assert qcode == question.code and not form.get(limits.HONEYPOT_FIELD)
    assert response is not None and response.survey_id == survey.id
    stored = _answers(response)
    assert question.id in stored
    for question_id, value in stored.items():
        assert_valid(db.session.get(Question, question_id), value)


@FUZZ
@given(data=st.data())
def test_the_verdieping_choice_never_fails(demo_client, forged, data):
    key = str(uuid.uuid4())
    started = demo_client.post(f"/s/{NEEDS}/start", data={"response": key})
    assert started.status_code == 303
    posted_key = data.draw(st.one_of(st.just(key), response_keys(forged)))
    form = MultiDict(data.draw(fields(hostile_text())))
    form.setlist("response", [posted_key])
    form.add("choice", data.draw(st.sampled_from(["yes", "no", "YES", "ja", "\x00"])))
    if data.draw(st.booleans()):
        demo_client.delete_cookie(f"bp_r{_survey(NEEDS).id}", path="/s/")
    code = data.draw(st.sampled_from([NEEDS, NEEDS, SWIPE, "onbekend"]))
    before = _counts()

    result = demo_client.post(f"/s/{code}/verdieping", data=form)
    db.session.expire_all()

    assert_no_500(result)
    if result.status_code >= 400:
        assert_refusal_in_dutch(result)
    assert _counts() == before
    response = _response(key)
    assert response.layer in LAYERS and _answers(response) == {}


@FUZZ
@given(data=st.data())
def test_a_resident_statement_is_stored_only_when_acceptable(demo, forged, data):
    client = demo.test_client()  # a session of its own: the per-session limit starts at 0
    key = str(uuid.uuid4())
    assert client.post(f"/s/{SWIPE}/start", data={"response": key}).status_code == 303
    form = MultiDict(data.draw(fields(hostile_text())))
    form.setlist("response", [data.draw(st.one_of(st.just(key), response_keys(forged)))])
    text = data.draw(
        st.one_of(
            hostile_text(),
            st.text(min_size=10, max_size=250),
            st.sampled_from(["Meer bankjes in het park graag", "Meer\x00bankjes in het park"]),
        )
    )
    form.setlist("text", [text])
    code = data.draw(st.sampled_from([SWIPE, SWIPE, NEEDS]))
    survey = _survey(code)
    before = _counts()

    result = client.post(f"/s/{code}/uitspraak", data=form)
    db.session.expire_all()

    assert_no_500(result)
    if result.status_code >= 400:
        assert_refusal_in_dutch(result)
        assert _counts() == before
        return
    added = db.session.scalars(
        select(Question).where(Question.survey_id == survey.id, Question.id > 0)
    ).all()
    after = _counts()
    assert after[:2] == before[:2]
    if after[2] == before[2]:  # no statement added: only the redirect to the intro
        assert "/klaar" not in result.location
        return
    assert after[2] == before[2] + 1 and code == SWIPE
    newest = max(added, key=lambda q: q.id)
    stored = next(iter(newest.text.values()))
    assert newest.review == "pending" and newest.type == "statement"
    assert stored == " ".join(text.replace("\x00", "").split()) and stored.strip()
    assert "\x00" not in stored and len(stored) <= swipe.MAX_LENGTH


def _csv(data) -> bytes:
    """A CSV of paper forms: known, unknown and repeated columns; hostile and valid cells."""
    survey = _survey(NEEDS)
    known = ["ref", "area", "channel", "lang", *(q.code for q in survey.questions)]
    known += [q.item for q in survey.questions if q.item]
    header = data.draw(
        st.lists(
            st.one_of(st.sampled_from(known), st.sampled_from(known), hostile_text()),
            min_size=1,
            max_size=8,
        )
    )
    cell_values = ["P-1", "P-2", "nl", "en", "xx", "demo-bieb", "Oude Haven", "1", "3", "5"]
    cell_values += ["groen;spelen", "bomen;speeltuin;verlichting", "bomen;bomen"]
    cell_values += [v[:2] + "\x00" + v[2:] for v in cell_values]
    cell = st.one_of(st.sampled_from(cell_values), hostile_text())
    rows = data.draw(st.lists(st.lists(cell, max_size=len(header) + 1), max_size=5))
    delimiter = data.draw(st.sampled_from([",", ";"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    raw = out.getvalue().encode(encoding, errors="surrogatepass")
    return data.draw(st.one_of(st.just(raw), st.just(raw), st.binary(max_size=300)))


@pytest.fixture
def editor_client(demo_client, sign_in):
    sign_in(demo_client, "editor")
    return demo_client


@FUZZ
@given(data=st.data())
def test_the_paper_import_stores_only_valid_rows(editor_client, data):
    survey = _survey(NEEDS)
    payload = _csv(data)
    filename = data.draw(st.one_of(st.just("papier.csv"), hostile_text().filter(str.strip)))
    last = db.session.scalar(select(func.max(Response.id)))
    before = _counts()

    result = editor_client.post(
        f"/officer/surveys/{survey.id}/import",
        data={"file": (io.BytesIO(payload), filename), "extra": "x"},
        content_type="multipart/form-data",
    )
    db.session.expire_all()

    assert_no_500(result)
    assert result.status_code == 303
    page = editor_client.get(result.location)
    assert page.status_code == 200
    assert _counts()[2] == before[2]
    added = db.session.scalars(select(Response).where(Response.id > last)).all()
    for response in added:
        assert response.survey_id == survey.id and response.source == "paper"
        assert response.lang == "nl" or response.lang in survey.languages
        assert response.ref is None or (0 < len(response.ref) <= 40 and "\x00" not in response.ref)
        answers = _answers(response)
        assert answers
        for question_id, value in answers.items():
            assert_valid(db.session.get(Question, question_id), value)


def test_a_hostile_import_is_refused_in_dutch_and_stores_nothing(editor_client):
    survey = _survey(NEEDS)
    before = _counts()
    payload = b"ref,'; DROP TABLE responses; --\nP-1,x\n"
    result = editor_client.post(
        f"/officer/surveys/{survey.id}/import",
        data={"file": (io.BytesIO(payload), "a\x00b.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert result.status_code == 200
    assert "Onbekende kolommen" in html.unescape(result.get_data(as_text=True))
    assert _counts() == before
    assert current_app.config["HUMAN_MIN_SECONDS"] == 0


# Bugs the fuzzing found: a NUL byte reached PostgreSQL (a 500) or was stored on SQLite.


@pytest.mark.parametrize("url", ["/s/%00", "/s/demo-peiling/v/%00", "/r/a%00b", "/v/%00"])
def test_a_nul_byte_in_the_url_is_not_found(demo_client, url):
    result = demo_client.get(url)
    assert result.status_code == 404
    assert_refusal_in_dutch(result)


def test_a_nul_byte_in_a_chosen_buurt_is_refused(demo_client):
    key = str(uuid.uuid4())
    assert demo_client.post(f"/s/{NEEDS}/start", data={"response": key}).status_code == 303
    before = _counts()
    result = demo_client.post(
        f"/s/{NEEDS}/v/buurt", data={"response": key, "value": "BU09990101\x00"}
    )
    assert result.status_code in (400, 422)
    assert "Kies een van de antwoorden uit de lijst." in html.unescape(
        result.get_data(as_text=True)
    )
    assert _counts() == before


def test_nul_bytes_in_an_import_never_reach_the_database(editor_client):
    survey = _survey(NEEDS)
    ref = f"N{uuid.uuid4().hex[:8]}"
    payload = (
        "ref,area,buurt,themes,woonplezier,idee\n"
        f"{ref}\x00,Oude Haven\x00,BU0999\x000101,gr\x00oen,4,Meer\x00 bomen\n"
    )
    result = editor_client.post(
        f"/officer/surveys/{survey.id}/import",
        data={"file": (io.BytesIO(payload.encode()), "papier.csv")},
        content_type="multipart/form-data",
    )
    assert result.status_code == 303
    response = db.session.scalar(select(Response).where(Response.ref == ref))
    assert response is not None and response.area.name == "Oude Haven"
    assert "Meer bomen" in _answers(response).values()


def test_a_nul_byte_never_reaches_a_resident_statement(demo):
    client = demo.test_client()
    key = str(uuid.uuid4())
    assert client.post(f"/s/{SWIPE}/start", data={"response": key}).status_code == 303
    result = client.post(
        f"/s/{SWIPE}/uitspraak", data={"response": key, "text": "Meer\x00 sportveldjes graag"}
    )
    assert result.status_code == 303
    survey = _survey(SWIPE)
    newest = db.session.scalars(
        select(Question).where(Question.survey_id == survey.id).order_by(Question.id.desc())
    ).first()
    assert newest.text == {"nl": "Meer sportveldjes graag"}


def test_an_answer_without_a_started_response_begins_none(demo_client):
    """Every response begins at /start, where its own rate limit applies: a POST straight to
    a question with a made-up key stores nothing."""
    before = _counts()
    result = demo_client.post(
        f"/s/{NEEDS}/v/buurt", data={"response": str(uuid.uuid4()), "value": "BU09990101"}
    )
    assert result.status_code == 400
    assert "Begin opnieuw via de QR-code" in result.get_data(as_text=True)
    assert _counts() == before


def test_a_text_of_only_nul_bytes_and_spaces_is_no_answer(demo_client):
    key = str(uuid.uuid4())
    assert demo_client.post(f"/s/{NEEDS}/start", data={"response": key}).status_code == 303
    result = demo_client.post(f"/s/{NEEDS}/v/idee", data={"response": key, "value": "\x00 \x00"})
    assert result.status_code == 303  # idee is optional: stored as skipped, not as ""
    idee = next(q for q in _survey(NEEDS).questions if q.code == "idee")
    assert _answers(_response(key)) == {idee.id: None}
    demo_client.post(f"/s/{NEEDS}/v/idee", data={"response": key, "value": " Meer\x00 bomen "})
    db.session.expire_all()
    assert _answers(_response(key)) == {idee.id: "Meer bomen"}
