"""Fixtures: the app on SQLite and on PostgreSQL, each run isolated; a client; an officer."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.exc import OperationalError

from survey import create_app
from survey.extensions import db
from survey.models import Answer, Response

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
RUN_ID = uuid.uuid4().hex[:10]


def _postgres_schema(label: str):
    """A schema of this test run's own on PostgreSQL, or a reason why there is none."""
    schema = f"bp_test_{RUN_ID}_{label}"
    try:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except OperationalError as exc:
        return None, f"PostgreSQL not reachable at {PG_URL}: {str(exc.orig).strip()[:200]}"
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", schema


def _drop_schema(schema: str) -> None:
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _make_app(url: str, tmp: Path, **extra):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "HUMAN_MIN_SECONDS": 0,  # the flood guard's timing is tested in test_limits.py
            # Every test client shares one address: the cap and bursts are tested in
            # tests/web/test_stuffing.py.
            "RESPONSES_PER_ADDRESS_PER_DAY": 1_000_000,
            "BURST_STARTS": 1_000_000,
            "SERVER_NAME": None,
            **extra,
        }
    )


def _engine_app(kind: str, tmp: Path, label: str):
    """An app on its own SQLite file or PostgreSQL schema, built by the migrations."""
    schema = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp / f'{label}.sqlite3'}"
    else:
        url, schema = _postgres_schema(label)
        if url is None:
            if REQUIRE_POSTGRES:
                pytest.fail(schema)
            pytest.skip(schema)
    app = _make_app(url, tmp)
    with app.app_context():
        upgrade(directory=str(Path(app.root_path) / "migrations"))
    return app, schema


def _dispose(app, schema) -> None:
    with app.app_context():
        db.engine.dispose()
    if schema:
        _drop_schema(schema)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine_app(request, tmp_path_factory):
    """One app per database engine for the whole run; tests empty its tables."""
    app, schema = _engine_app(request.param, tmp_path_factory.mktemp(request.param), "main")
    yield app
    _dispose(app, schema)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def demo_app(request, tmp_path_factory):
    """One app per engine with the demo loaded once; tests add to it and never empty it."""
    app, schema = _engine_app(request.param, tmp_path_factory.mktemp(request.param), "demo")
    with app.app_context():
        from survey.features.demo.service import load_demo

        load_demo()
    yield app
    _dispose(app, schema)


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()
        return
    db.session.remove()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for table in tables:
            conn.execute(table.delete())
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")


@pytest.fixture
def app(engine_app):
    """The app with empty tables, inside an app context."""
    with engine_app.app_context():
        _empty_tables()
        yield engine_app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo(demo_app):
    """The demo municipality (shared by the run: assert on what a test adds, not on totals).

    Responses a test adds are taken out again afterwards, so that a test's figures do not
    depend on which tests ran before it in the same worker.
    """
    with demo_app.app_context():
        last = db.session.scalar(select(func.max(Response.id))) or 0
        db.session.remove()
        yield demo_app
        db.session.rollback()
        db.session.execute(delete(Answer).where(Answer.response_id > last))
        db.session.execute(delete(Response).where(Response.id > last))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def demo_client(demo):
    return demo.test_client()


@pytest.fixture
def sign_in():
    """sign_in(client, role) creates an officer with that role and signs the client in."""
    from survey.features.accounts.service import create_officer

    def _sign_in(client, role: str = "admin"):
        email = f"{role}-{uuid.uuid4().hex[:8]}@voorbeeldstad.nl"
        officer = create_officer(email, "correct horse battery", role)
        result = client.post(
            "/officer/login", data={"email": email, "password": "correct horse battery"}
        )
        assert result.status_code == 303, result.get_data(as_text=True)
        return officer

    return _sign_in
