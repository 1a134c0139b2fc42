"""Fixtures of the tests that serve the app with gunicorn (bench/load_bench.py's helpers)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.exc import OperationalError

from bench import load_bench


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database of the test's own: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield load_bench.sqlite_url(tmp_path)
        return
    try:
        url, schema = load_bench.postgres_url()
    except OperationalError as exc:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL not reachable: {exc.orig}")
        pytest.skip(f"PostgreSQL not reachable: {exc.orig}")
    yield url
    load_bench.drop_schema(schema)
