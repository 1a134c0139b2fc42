"""Public results: SQL aggregates, small groups hidden, also against subtraction."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from survey.extensions import db
from survey.features.results import counts
from survey.features.results import service as results
from survey.features.tallies import read as tally_read
from survey.models import Answer, Area, Channel, Question, Response, Survey
from survey.models._types import utcnow
from survey.profiling import disclosure

K = 10
OPTIONS = [{"value": v, "text": {"nl": v.upper()}} for v in ("a", "b", "c", "d")]
# buurt -> answers to the single-choice question; C is a group under the minimum, and B's
# "d" (3) and the unknown area's answers (4) may only be published where nobody can subtract.
GROUPS = {
    "A": ["a"] * 14 + ["b"] * 11 + ["c"] * 3,
    "B": ["a"] * 10 + ["b"] * 12 + ["d"] * 3,
    "C": ["a"] * 2 + ["c"] * 1,
    None: ["a"] * 3 + ["b"] * 1,
}
MULTI = {"A": [["a", "b"]] * 12 + [["a"]] * 13 + [["c"]] * 3, "B": [["a"]] * 24 + [["b"]] * 1}


def _fixture() -> tuple[Survey, dict]:
    gemeente = Area(level="gemeente", name="Kleindorp")
    buurten = {name: Area(level="buurt", name=f"Buurt {name}", parent=gemeente) for name in "ABC"}
    survey = Survey(slug=f"r-{uuid.uuid4().hex[:6]}", status="open", title={"nl": "R"})
    survey.area = gemeente
    survey.min_group_size = K
    single = Question(code="keuze", type="single", options=OPTIONS, text={"nl": "Keuze?"})
    multi = Question(
        code="meer", type="multiple", options=OPTIONS, text={"nl": "Meer?"}, position=2
    )
    idee = Question(code="idee", type="text", text={"nl": "Idee?"}, position=3)
    survey.questions.extend([single, multi, idee])
    db.session.add_all([gemeente, *buurten.values(), survey])
    db.session.flush()
    channel = Channel(code=f"r-{uuid.uuid4().hex[:6]}", survey_id=survey.id, label="web")
    db.session.add(channel)
    for name, values in GROUPS.items():
        for i, value in enumerate(values):
            response = Response(
                uuid=str(uuid.uuid4()),
                survey_id=survey.id,
                channel=channel,
                area_id=buurten[name].id if name else None,
                completed_at=utcnow(),  # public figures count completed responses
            )
            response.answers.append(Answer(question_id=single.id, value=value))
            extra = MULTI.get(name, [])
            if i < len(extra):
                response.answers.append(Answer(question_id=multi.id, value=extra[i]))
            db.session.add(response)
    db.session.commit()
    return survey, {name: a.id for name, a in buurten.items()}


def _ok(count) -> bool:
    return count is None or count == 0 or count >= K


def _assert_nothing_small(table, partition: bool) -> None:
    """No published number, nor any difference a reader can take, is a group under K."""
    rows = [table.whole, *table.areas.values()]
    for row in rows:
        assert _ok(row.total)
        for count in row.cells.values():
            assert _ok(count)
            if row.total is not None and count is not None and not partition:
                assert _ok(row.total - count)  # those who did not pick it
        if partition and row.total is not None:
            assert _ok(row.total - sum(c for c in row.cells.values() if c is not None))
    if table.whole.total is not None:
        assert _ok(table.whole.total - sum(r.total for r in table.areas.values()))
        for key, total in table.whole.cells.items():
            if total is not None:
                shown = sum(r.cells[key] for r in table.areas.values() if r.cells[key] is not None)
                assert _ok(total - shown), key
            else:
                assert all(r.cells[key] is None for r in table.areas.values()), key


def test_no_published_number_reveals_a_small_group(app):
    survey, buurten = _fixture()
    tables = counts.tables(survey)
    single, multi = (survey.questions[0], survey.questions[1])
    keuze = tables[single.id]
    assert keuze.whole.total == 60  # the whole survey is published...
    assert buurten["C"] not in keuze.areas  # ...a buurt of 3 is not
    assert keuze.whole.cells["a"] == 29
    assert keuze.whole.cells["c"] is None and keuze.whole.cells["d"] is None  # 4 and 3
    assert keuze.whole.cells["b"] is None  # else 60 - 29 - 24 = 7 people chose c or d
    _assert_nothing_small(keuze, partition=True)
    _assert_nothing_small(tables[multi.id], partition=False)
    assert tables[multi.id].whole.cells["b"] == 13 and tables[multi.id].whole.cells["c"] is None


def test_the_public_page_shows_only_protected_numbers(app, client):
    survey, _buurten = _fixture()
    page = client.get(f"/r/{survey.channels[0].code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "60 antwoorden" in html and "verborgen" in html
    # 29 and 13 are printed rounded to fives: 30 and 15 (percentages from the exact counts)
    assert '48% <span class="bar-count">(30)</span>' in html and "(15)" in html
    for small in ("(3)", "(4)", "(7)", "(1)", "(2)", "(24)", "(29)", "(13)"):
        assert small not in html


def test_open_answers_appear_only_when_approved(app, client):
    survey, _buurten = _fixture()
    idee = survey.questions[2]
    response_ids = db.session.scalars(select(Response.id).where(Response.survey_id == survey.id))
    ids = list(response_ids)[:4]
    for rid, (text, state) in zip(
        ids,
        [
            ("Meer bankjes bij de vijver", "approved"),
            ("Jan de Vries op nummer 4 is lastig", "personal"),
            ("Verborgen tekst", "hidden"),
            ("Nog niet bekeken", "visible"),
        ],
        strict=True,
    ):
        db.session.add(Answer(response_id=rid, question_id=idee.id, value=text, moderation=state))
    db.session.commit()
    html = client.get(f"/r/{survey.channels[0].code}").get_data(as_text=True)
    assert "Meer bankjes bij de vijver" in html
    for text in ("Jan de Vries", "Verborgen tekst", "Nog niet bekeken"):
        assert text not in html


def test_a_buurt_sees_its_own_figures_only_when_safe(app):
    survey, buurten = _fixture()
    with app.test_request_context():
        own = results.area_results(survey, buurten["A"], "nl")
        small = results.area_results(survey, buurten["C"], "nl")
    assert own[0].scope == "Buurt A" and own[0].n == 30  # 28, rounded to fives
    assert small[0].scope == "Kleindorp" and small[0].n == 60


def test_a_survey_with_too_few_answers_shows_nothing(app, client):
    survey = Survey(slug="leeg", status="open", title={"nl": "Leeg"}, min_group_size=K)
    survey.questions.append(Question(code="q", type="yesno", text={"nl": "Ja?"}))
    db.session.add(survey)
    db.session.flush()
    db.session.add(Channel(code="leeg", survey_id=survey.id, label="web"))
    for value in ["yes"] * 6:
        response = Response(uuid=str(uuid.uuid4()), survey_id=survey.id)
        response.answers.append(Answer(question_id=survey.questions[0].id, value=value))
        db.session.add(response)
    db.session.commit()
    html = client.get("/r/leeg").get_data(as_text=True)
    assert "te weinig antwoorden" in html and "(6)" not in html


def test_closed_survey_entry_leads_to_the_public_page(demo, demo_client):
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    survey.status = "closed"
    db.session.commit()
    try:
        entry = demo_client.get("/s/demo-peiling")
        assert entry.status_code == 303 and entry.headers["Location"].endswith("/r/demo-peiling")
        page = demo_client.get("/r/demo-peiling").get_data(as_text=True)
        assert "Wat we doen" in page and "twaalf bomen" in page
    finally:
        survey.status = "open"
        db.session.commit()


def _uitkomsten(client, code: str) -> str:
    html = client.get(f"/r/{code}").get_data(as_text=True)
    return html[html.index('aria-labelledby="uitkomsten"') : html.index('aria-labelledby="volgen"')]


def test_two_loads_around_one_neighbours_answer_show_the_same_figures(demo):
    """Before and after one neighbour in Oude Haven answers, /r/ prints the same figures; they
    move when k completed responses more are in, all at once."""
    from tests.web.test_dashboard import add_response

    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    k = survey.min_group_size
    oude_haven = db.session.scalar(select(Area).where(Area.name == "Oude Haven"))
    keuze = next(q for q in survey.questions if q.type == "single" and q.options)
    answer = {keuze.code: keuze.options[-1]["value"]}
    shown = tally_read.published_completed(survey.id)
    for _ in range(k):  # to the start of a batch: until the figures are renewed once
        add_response(survey, answer, area=oude_haven, when=utcnow())
        if tally_read.published_completed(survey.id) != shown:
            break
    assert tally_read.published_completed(survey.id) != shown
    client = demo.test_client()
    before = _uitkomsten(client, "demo-peiling")
    add_response(survey, answer, area=oude_haven, when=utcnow())  # the neighbour
    assert _uitkomsten(client, "demo-peiling") == before
    for _ in range(k - 2):
        add_response(survey, answer, area=oude_haven, when=utcnow())
    assert _uitkomsten(client, "demo-peiling") == before
    add_response(
        survey, answer, area=oude_haven, when=utcnow()
    )  # the k-th: a new batch is published
    assert _uitkomsten(client, "demo-peiling") != before


def test_public_counts_are_rounded_to_fives():
    assert [disclosure.rounded(n) for n in (None, 0, 1, 3, 7, 8, 12, 13, 29, 1002)] == [
        None,
        0,
        5,
        5,
        5,
        10,
        10,
        15,
        30,
        1000,
    ]
