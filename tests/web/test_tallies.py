"""Running tallies: every writer keeps them equal to a recount from the answers, on both
engines, under concurrent writers, and `tallies check|rebuild` say and put right the rest."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

from sqlalchemy import select, update

from survey.extensions import db
from survey.features.responses import service as responses
from survey.features.suspects import service as suspects
from survey.features.tallies import read as tally_read
from survey.features.tallies import recount
from survey.features.tallies.keys import AREA, RESPONSE
from survey.models import Answer, Response, Survey, Tally
from tests.web.test_dashboard import DAY, add_response, areas_by_name, make_survey


def _begin(client, code: str, lang: str = "nl") -> str:
    key = str(uuid.uuid4())
    started = client.post(f"/s/{code}/start?lang={lang}", data={"response": key})
    assert started.status_code == 303
    return key


def _answer(client, code: str, key: str, qcode: str, **form) -> int:
    return client.post(f"/s/{code}/v/{qcode}", data={"response": key, **form}).status_code


def _no_drift(survey: Survey) -> None:
    db.session.expire_all()
    assert recount.differences(survey) == []


def _area_row(survey: Survey, question: str, value: str) -> int:
    qid = 0 if question == "" else next(q.id for q in survey.questions if q.code == question)
    total = db.session.scalars(
        select(Tally.n).where(
            Tally.survey_id == survey.id,
            Tally.grain == AREA,
            Tally.question_id == qid,
            Tally.value == value,
        )
    ).all()
    return sum(total)


def test_answers_through_the_web_keep_the_tallies_exact(app, client):
    survey = make_survey(min_group=1)
    code = survey.channels[0].code
    key = _begin(client, code)
    assert _area_row(survey, "", "started") == 1
    assert _answer(client, code, key, "kleur", value="rood") == 303
    assert _answer(client, code, key, "kleur", value="blauw") == 303  # changed: moved
    assert _answer(client, code, key, "hobby", value=["lezen", "sport"]) == 303
    assert _answer(client, code, key, "hobby", value=["sport"]) == 303
    assert _answer(client, code, key, "cijfer", skip="1") == 303  # skipped: not answered
    assert _answer(client, code, key, "idee", value="Meer bankjes") == 303
    assert (_area_row(survey, "kleur", "rood"), _area_row(survey, "kleur", "blauw")) == (0, 1)
    assert (_area_row(survey, "hobby", "lezen"), _area_row(survey, "hobby", "sport")) == (0, 1)
    assert _area_row(survey, "cijfer", "") == 0
    _no_drift(survey)
    # Taking the verdieping completes the core and moves the response to "deeper".
    taken = client.post(f"/s/{code}/verdieping", data={"response": key, "choice": "yes"})
    assert taken.status_code == 303
    assert db.session.scalar(select(Response.completed_at).where(Response.uuid == key))
    _no_drift(survey)
    assert _answer(client, code, key, "jaren", value="12") == 303
    _no_drift(survey)
    assert _area_row(survey, "", "completed") == 1
    assert tally_read.published_completed(survey.id) == 1  # k = 1: published at once


def test_a_double_tap_and_parallel_answers_never_count_twice(app):
    """Eight phones answer at once, each tapping twice, on the same questions and values."""
    survey = make_survey(min_group=1)
    code = survey.channels[0].code
    clients = [app.test_client() for _ in range(8)]
    keys = [_begin(c, code) for c in clients]
    barrier = threading.Barrier(16)
    failures = []

    def tap(client, key, value):
        with app.app_context():
            barrier.wait()
            for qcode, form in (("kleur", {"value": value}), ("hobby", {"value": ["lezen"]})):
                status = _answer(client, code, key, qcode, **form)
                if status != 303:
                    failures.append(status)

    threads = [
        threading.Thread(target=tap, args=(c, k, v))
        for c, k in zip(clients, keys, strict=True)
        for v in ("rood", "groen")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    db.session.expire_all()
    assert _area_row(survey, "kleur", "rood") + _area_row(survey, "kleur", "groen") == 8
    assert _area_row(survey, "hobby", "lezen") == 8
    _no_drift(survey)


def test_moderation_erasure_suspects_and_imports_keep_them_exact(app, sign_in):
    survey = make_survey(min_group=3)
    areas = areas_by_name()
    poster, web = survey.channels
    for i in range(4):
        add_response(survey, {"kleur": "rood", "idee": f"Idee {i}"}, poster, areas["Aabuurt"])
    kept = add_response(survey, {"kleur": "blauw", "hobby": ["lezen"]}, web, None)
    _no_drift(survey)
    officer = sign_in(app.test_client())
    responses.erase_answer(survey, db.session.get(Answer, kept.answers[0].id), officer)
    _no_drift(survey)
    responses.erase_response(survey, db.session.get(Response, kept.id), officer)
    _no_drift(survey)
    # Suspect responses count nowhere until accepted.
    odd = add_response(survey, {"kleur": "groen"}, web, areas["Beebuurt"])
    db.session.execute(
        update(Response).where(Response.id == odd.id).values(suspect=True, suspect_reason="cap")
    )
    db.session.commit()
    assert recount.differences(survey) != []  # a change the tallies were not told of...
    recount.rebuild(survey)
    _no_drift(survey)  # ...is put right by a rebuild
    assert _area_row(survey, "kleur", "groen") == 0
    for burst in suspects.bursts(survey):
        suspects.decide_burst(survey, officer, burst.key, "accept")
    _no_drift(survey)
    assert _area_row(survey, "kleur", "groen") == 1
    # A paper import adds its responses in bulk.
    data = b"kleur,cijfer\nrood,4\nblauw,5\n"
    from survey.features.responses import imports

    report = imports.import_responses(survey, data)
    assert report.added == 2
    _no_drift(survey)


def test_retention_erasing_open_answers_keeps_them_exact(app):
    from survey.features.retention import service as retention

    survey = make_survey(min_group=1)
    for i in range(3):
        add_response(survey, {"idee": f"Idee {i}", "kleur": "rood"}, when=DAY)
    survey.status = "closed"
    survey.closes_at = DAY + timedelta(days=1)
    survey.open_text_retention_days = 1
    db.session.commit()
    retention.run_retention(now=DAY + timedelta(days=30))
    assert _area_row(survey, "idee", "") == 0
    _no_drift(survey)


def test_the_cli_reports_a_difference_and_rebuild_puts_it_right(app):
    survey = make_survey(min_group=1)
    for _ in range(3):
        add_response(survey, {"kleur": "rood"}, survey.channels[0])
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["tallies", "check", "--survey", survey.slug])
    assert ok.exit_code == 0, ok.output
    assert f"{survey.slug}: OK" in ok.output
    db.session.execute(
        update(Tally)
        .where(Tally.survey_id == survey.id, Tally.question_id != RESPONSE)
        .values(n=Tally.n + 1)
    )
    db.session.commit()
    wrong = runner.invoke(args=["tallies", "check"])
    assert wrong.exit_code == 1
    assert "differences" in wrong.output and "tally 4, answers 3" in wrong.output
    rebuilt = runner.invoke(args=["tallies", "rebuild", "--survey", survey.slug])
    assert rebuilt.exit_code == 0 and "rows" in rebuilt.output
    assert runner.invoke(args=["tallies", "check"]).exit_code == 0
    unknown = runner.invoke(args=["tallies", "check", "--survey", "nope"])
    assert unknown.exit_code == 2 and "No survey" in unknown.output
