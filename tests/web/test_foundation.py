"""The foundation: schema, constraints, configuration, the demo."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.features.demo.service import load_demo
from survey.models import (
    Answer,
    Area,
    Channel,
    Officer,
    Question,
    Response,
    Subscription,
    Survey,
    Volunteer,
)

ROOT = Path(__file__).resolve().parents[2]


def _survey() -> Survey:
    survey = Survey(slug=f"s-{uuid.uuid4().hex[:6]}", title={"nl": "T"})
    survey.questions.append(Question(code="q1", type="yesno", text={"nl": "Vraag?"}))
    db.session.add(survey)
    db.session.commit()
    return survey


def test_duplicate_client_uuid_is_rejected(app):
    survey = _survey()
    key = str(uuid.uuid4())
    db.session.add(Response(uuid=key, survey_id=survey.id))
    db.session.commit()
    db.session.add(Response(uuid=key, survey_id=survey.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count(Response.id))) == 1


def test_second_answer_to_the_same_question_is_rejected(app):
    survey = _survey()
    response = Response(uuid=str(uuid.uuid4()), survey_id=survey.id)
    db.session.add(response)
    db.session.commit()
    question = survey.questions[0]
    db.session.add(Answer(response_id=response.id, question_id=question.id, value="yes"))
    db.session.commit()
    db.session.add(Answer(response_id=response.id, question_id=question.id, value="no"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count(Answer.id))) == 1


def test_duplicate_channel_code_is_rejected(app):
    survey = _survey()
    db.session.add_all(
        [
            Channel(code="abc", survey_id=survey.id, label="a"),
            Channel(code="abc", survey_id=survey.id, label="b"),
        ]
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_contact_tables_have_no_link_to_responses(app):
    inspector = inspect(db.engine)
    for table in (Volunteer.__tablename__, Subscription.__tablename__, "outbox"):
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert not targets & {"response", "answer"}, table
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert not columns & {"response_id", "response_uuid", "uuid"}, table


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    from survey import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite3'}"})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


def test_demo_is_idempotent(app):
    first = load_demo()
    assert first["needs_responses"] >= 200
    counts = {
        m: db.session.scalar(select(func.count()).select_from(m))
        for m in (Area, Survey, Question, Channel, Response, Answer, Officer, Volunteer)
    }
    second = load_demo()
    assert second == {"needs_responses": 0, "swipe_responses": 0}
    again = {m: db.session.scalar(select(func.count()).select_from(m)) for m in counts}
    assert again == counts


# One engine: what the command leaves out in production does not depend on the database.
@pytest.mark.parametrize("engine_app", ["sqlite"], indirect=True)
def test_the_demo_in_production_has_no_officer_with_the_public_password(app):
    app.config["PRODUCTION"] = True
    try:
        result = app.test_cli_runner().invoke(args=["demo"])
    finally:
        app.config["PRODUCTION"] = False
    assert result.exit_code == 0 and "No demo officer in production" in result.output
    assert "voorbeeld-demo" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Officer)) == 0
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 2


def test_demo_has_the_promised_shape(demo):
    wijken = db.session.scalars(select(Area).where(Area.level == "wijk")).all()
    assert len(wijken) == 3
    assert all(2 <= len(w.children) <= 3 for w in wijken)
    needs = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    assert {"attachment", "trust", "influence", "time", "channels"} <= {
        q.item for q in needs.questions
    }
    assert len(needs.channels) >= 4
    used = db.session.execute(
        select(
            func.count(func.distinct(Response.channel_id)),
            func.count(func.distinct(Response.area_id)),
        ).where(Response.survey_id == needs.id)
    ).one()
    assert used[0] == len(needs.channels) and used[1] >= 7
    assert db.session.scalar(select(Channel).where(Channel.code == "demo-swipe")) is not None


def _flask(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize(
    "url",
    [
        "not-a-database://",
        "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "sqlite:////nonexistent-folder/x/y.sqlite3",
    ],
)
def test_bad_database_url_gives_one_clear_line(url, tmp_path):
    result = _flask("db", "upgrade", env={"DATABASE_URL": url, "SECRET_KEY": "x"})
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if "INFO" not in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error:") and "DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr


def test_secret_key_is_generated_once_and_kept(tmp_path):
    from survey.config import _secret_key

    env_key = os.environ.pop("SECRET_KEY", None)
    try:
        first = _secret_key(tmp_path)
        assert len(first) >= 40 and _secret_key(tmp_path) == first
        assert _secret_key(tmp_path / "elsewhere", production=True) is None  # never made up
    finally:
        if env_key is not None:
            os.environ["SECRET_KEY"] = env_key
