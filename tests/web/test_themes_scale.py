"""Thema's at scale (issue 16): a view of Open antwoorden with nothing changed reads one
aggregate of the open answers and only the answers it quotes; every change that matters to
the themes (a new, edited or erased answer, moderation, a personal-data decision, an accepted
suspect response, the number of themes) finds them again."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import event, func, select

from survey.core.query import PAGE_SIZE
from survey.extensions import db
from survey.features.answering import service as answering
from survey.features.responses import service as moderation
from survey.features.responses import themes
from survey.features.retention.service import run_retention
from survey.features.suspects import service as suspects
from survey.models import Answer, AuditEvent, Response, Survey, ThemeSet
from survey.models._types import utcnow
from survey.profiling.synthetic_texts import planted_answers
from tests.web.test_dashboard import DAY, add_response
from tests.web.test_query_counts import _queries
from tests.web.test_themes import _themed_survey


@dataclass
class Seen:
    fingerprint: str
    computed_at: object
    loaded: list[int]  # ids of the Answer rows the view loaded
    quoted: set[int]  # ids of the representatives the view may quote
    statements: list[str]
    themes: int


@contextmanager
def _answers_loaded(loaded: list[int]):
    """Collect the ids of the Answer rows loaded meanwhile."""

    def load(answer, context):
        loaded.append(answer.id)

    event.listen(Answer, "load", load)
    try:
        yield loaded
    finally:
        event.remove(Answer, "load", load)


def _view(app, survey_id: int) -> Seen:
    """One view of the themes, started cold as in production, with what it read."""
    db.session.remove()
    statements: list[str] = []
    loaded: list[int] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with app.test_request_context(), _answers_loaded(loaded):
            (view,) = themes.refresh_themes(db.session.get(Survey, survey_id))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    quoted = {i for t in view.theme_set.themes for i in t.representative_ids}
    theme_set = view.theme_set
    return Seen(
        theme_set.fingerprint, theme_set.computed_at, loaded, quoted, statements, len(view.themes)
    )


def _unchanged(app, survey_id: int, before: Seen) -> Seen:
    """A second view: same fingerprint, nothing found again, only quoted answers loaded."""
    again = _view(app, survey_id)
    assert again.fingerprint == before.fingerprint
    assert again.computed_at == before.computed_at
    assert set(again.loaded) <= again.quoted and len(again.loaded) <= 3 * again.themes
    return again


def _changed(app, survey_id: int, before: Seen) -> Seen:
    """A view after a change that matters: a new fingerprint, the themes found again; the
    view after it is unchanged again."""
    after = _view(app, survey_id)
    assert after.fingerprint != before.fingerprint
    assert after.computed_at != before.computed_at
    _unchanged(app, survey_id, after)
    return after


def test_a_second_view_with_nothing_changed_finds_nothing_again_and_reads_no_answers(app):
    survey, _topic_of = _themed_survey()
    first = _view(app, survey.id)
    assert first.themes == 4 and len(first.loaded) == 60  # the first view found the themes
    again = _unchanged(app, survey.id, first)
    assert 0 < len(again.loaded) <= 12
    assert not any("ORDER BY answer.id" in s for s in again.statements)
    assert len(_unchanged(app, survey.id, again).statements) == len(again.statements)


def test_an_unchanged_view_runs_as_many_queries_and_loads_as_few_answers_at_any_size(app):
    survey, _topic_of = _themed_survey()
    _view(app, survey.id)
    few = _unchanged(app, survey.id, _view(app, survey.id))
    for _i, _topic, text in planted_answers(4, 40, seed=5):
        add_response(db.session.get(Survey, survey.id), {"idee": text})
    grown = _changed(app, survey.id, few)
    assert len(grown.loaded) == 220  # found again from all the answers once
    many = _unchanged(app, survey.id, grown)
    assert len(many.statements) == len(few.statements), "\n".join(many.statements)
    assert len(many.loaded) <= 12


def test_the_open_answers_page_runs_as_many_queries_for_220_answers_as_for_60(app, client, sign_in):
    survey, _topic_of = _themed_survey()
    survey_id = survey.id
    sign_in(client, "analyst")
    url = f"/officer/surveys/{survey_id}/open-answers"
    _queries(client, url)  # finds the themes
    few = _queries(client, url)
    for _i, _topic, text in planted_answers(4, 40, seed=5):
        add_response(db.session.get(Survey, survey_id), {"idee": text})
    _queries(client, url)
    loaded: list[int] = []
    with _answers_loaded(loaded):
        many = _queries(client, url)
    assert len(few) == len(many), "\n".join(many)
    assert len(set(loaded)) <= PAGE_SIZE + 12  # the page of answers listed, and the quotes


def test_new_edited_and_erased_answers_find_the_themes_again(app):
    survey, topic_of = _themed_survey()
    seen = _unchanged(app, survey.id, _view(app, survey.id))

    add_response(db.session.get(Survey, survey.id), {"idee": "Meer bomen in het park graag"})
    seen = _changed(app, survey.id, seen)

    answer = db.session.get(
        Answer, min(topic_of)
    )  # the resident changes it, as the answering path stores it
    response, question = answer.response, answer.question
    answering.save_answer(response, question, "Liever een speeltuin dan een boom")
    seen = _changed(app, survey.id, seen)
    answering.save_answer(response, question, "Liever een speeltuin dan een bank")  # same length
    seen = _changed(app, survey.id, seen)
    # an edit whose stamp did not move (another server's clock behind): its length still tells
    db.session.get(Answer, answer.id).value = "Liever bomen"
    db.session.commit()
    seen = _changed(app, survey.id, seen)

    closed = db.session.get(Survey, survey.id)
    closed.status, closed.closes_at = "closed", DAY
    db.session.commit()
    assert run_retention(now=utcnow() + timedelta(days=3650))["open_answers"] == 61
    seen = _changed(app, survey.id, seen)
    assert db.session.scalar(select(ThemeSet.answers)) == 0


def test_moderation_and_personal_data_decisions_find_the_themes_again(app):
    survey, topic_of = _themed_survey()
    seen = _unchanged(app, survey.id, _view(app, survey.id))
    answer_id = min(topic_of)

    moderation.moderate_answer(db.session.get(Survey, survey.id), answer_id, "approved", None)
    seen = _unchanged(app, survey.id, seen)  # approved or visible: quoted alike
    for state in ("hidden", "approved", "personal", "visible"):
        moderation.moderate_answer(db.session.get(Survey, survey.id), answer_id, state, None)
        seen = _changed(app, survey.id, seen)

    db.session.get(Answer, answer_id).personal_data = "found"  # as on arrival
    db.session.commit()
    seen = _changed(app, survey.id, seen)
    decide = moderation.decide_personal_data
    decide(db.session.get(Survey, survey.id), answer_id, "confirmed", None)
    seen = _unchanged(app, survey.id, seen)  # masked and not quoted, before and after
    decide(db.session.get(Survey, survey.id), answer_id, "cleared", None)
    seen = _changed(app, survey.id, seen)


def test_an_accepted_suspect_response_and_the_number_of_themes_find_them_again(app):
    survey, _topic_of = _themed_survey()
    seen = _unchanged(app, survey.id, _view(app, survey.id))

    suspect = add_response(db.session.get(Survey, survey.id), {"idee": "Meer bomen en groen"})
    suspect.suspect, suspect.suspect_reason, suspect.client_key = True, "burst", "k" * 64
    db.session.commit()
    suspect_id = suspect.id
    seen = _unchanged(app, survey.id, seen)  # left out of every figure, the themes too
    (burst,) = suspects.bursts(db.session.get(Survey, survey.id))
    assert suspects.decide_burst(db.session.get(Survey, survey.id), None, burst.key, "accept")
    assert db.session.scalar(select(Response.suspect).where(Response.id == suspect_id)) is False
    seen = _changed(app, survey.id, seen)

    question_id = db.session.scalar(select(ThemeSet.question_id))
    with app.test_request_context():
        themes.set_theme_count(db.session.get(Survey, survey.id), question_id, 3, None)
    seen = _changed(app, survey.id, seen)
    assert seen.themes == 3
    with app.test_request_context():  # the same k again: nothing found again, the log kept
        themes.set_theme_count(db.session.get(Survey, survey.id), question_id, 3, None)
    _unchanged(app, survey.id, seen)
    logged = select(func.count()).where(AuditEvent.action == "set_theme_count")
    assert db.session.scalar(logged) == 2
