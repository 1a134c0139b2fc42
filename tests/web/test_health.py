"""Health for load balancers, and a calm page when the database is away."""

from __future__ import annotations

import pytest

from survey import create_app
from survey.extensions import db, limiter

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/test",
    "sqlite": "sqlite:////nonexistent-directory/buurtpeiling.sqlite3",
}


def test_health_is_200_when_the_database_answers(app, client):
    result = client.get("/health")
    assert result.status_code == 200 and result.get_json() == {"status": "ok"}
    assert result.headers["Cache-Control"] == "no-store"


@pytest.fixture(params=sorted(UNREACHABLE))
def away(request):
    """An app whose database cannot be reached, as in production (no TESTING)."""
    saved = dict(limiter.__dict__)
    app = create_app(
        {
            "SECRET_KEY": "health-test",
            "SQLALCHEMY_DATABASE_URI": UNREACHABLE[request.param],
            "RATELIMIT_ENABLED": False,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()
    limiter.__dict__.update(saved)


def test_health_is_503_when_the_database_is_unreachable(away):
    result = away.test_client().get("/health")
    assert result.status_code == 503
    assert result.get_json() == {"status": "database unreachable"}


@pytest.mark.parametrize("path", ["/s/demo-peiling", "/r/demo-peiling"])
def test_residents_get_a_calm_page_not_a_stack_trace(away, path):
    result = away.test_client().get(path)
    html = result.get_data(as_text=True)
    assert result.status_code == 503 and result.headers["Retry-After"]
    assert "Probeer het zo nog eens" in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_an_answer_posted_while_the_database_is_away_gets_the_calm_page(away):
    result = away.test_client().post(
        "/s/demo-peiling/v/buurt", data={"response": "x", "value": "y"}
    )
    assert result.status_code in (400, 503)  # CSRF may refuse first; never a 500
    assert "Traceback" not in result.get_data(as_text=True)
