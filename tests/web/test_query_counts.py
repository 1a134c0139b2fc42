"""The public results page and the done screen's "how others answered" run a fixed number of
queries, however many responses a survey has (the figures are SQL aggregates)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import event, select

from survey.extensions import db
from survey.models import Response, Survey
from tests.web.test_dashboard import DAY, add_response, areas_by_name, make_survey


def _add(survey_id: int, start: int, stop: int) -> None:
    """Responses number start..stop-1, spread over both buurten, channels and days."""
    survey = db.session.get(Survey, survey_id)
    areas = areas_by_name()
    buurten = [areas["Aabuurt"], areas["Beebuurt"]]
    colours = ["rood", "blauw", "groen"]
    for i in range(start, stop):
        add_response(
            survey,
            {
                "kleur": colours[i % 3],
                "hobby": ["lezen", "sport"][: 1 + i % 2],
                "cijfer": 1 + i % 5,
                "idee": f"Idee {i}",
                "jaren": i % 90,
            },
            survey.channels[i % 2],
            buurten[i % 2],
            when=DAY + timedelta(days=i % 4),
            moderation={"idee": "approved"},
        )


def _queries(client, url: str) -> list[str]:
    """The SQL statements one GET of `url` runs."""
    statements: list[str] = []
    db.session.remove()  # the request shares the test's session: start it cold, as in production

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert result.status_code == 200, result.status_code
    return statements


def test_the_results_page_runs_as_many_queries_for_200_responses_as_for_20(app, client):
    survey = make_survey(min_group=5)
    survey_id, code = survey.id, survey.channels[0].code
    _add(survey_id, 0, 20)
    few = _queries(client, f"/r/{code}")
    _add(survey_id, 20, 200)
    many = _queries(client, f"/r/{code}")
    page = client.get(f"/r/{code}").get_data(as_text=True)
    assert "Idee 199" in page  # the figures and texts really grew with the responses
    assert len(few) == len(many), "\n".join(many)
    assert len(many) < 18  # the page's own area section reads its updates and figures too


def test_the_done_screen_runs_as_many_queries_for_200_responses_as_for_20(app, client):
    survey = make_survey(min_group=5)
    survey_id, code = survey.id, survey.channels[0].code  # the poster in Aabuurt
    _add(survey_id, 0, 20)
    key = str(uuid.uuid4())
    assert client.post(f"/s/{code}/start", data={"response": key}).status_code == 303
    mine = db.session.scalar(select(Response).where(Response.uuid == key))
    mine.completed_at = mine.started_at
    db.session.commit()
    client.get(f"/s/{code}/klaar")  # the first visit may still store that it is complete
    few = _queries(client, f"/s/{code}/klaar")
    _add(survey_id, 20, 200)
    many = _queries(client, f"/s/{code}/klaar")
    assert len(few) == len(many), "\n".join(many)
    assert len(many) < 20
