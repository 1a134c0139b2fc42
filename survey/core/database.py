"""Engine settings, clear messages when the database is wrong or away, and upserts."""

from __future__ import annotations

import re
import sys
from functools import cache

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError

from survey.config import ConfigError
from survey.extensions import db

MAX_ID = 2**31 - 1  # the largest integer id the database holds (PostgreSQL integer)
_ID = re.compile(r"[0-9]{1,10}")


def parse_id(raw) -> int | None:
    """A record id from a URL or query string: ASCII digits within the database's integers,
    else None (so '²', '-1', '١' or 30 digits are simply no id, never an error)."""
    text = str(raw or "").strip()
    if not _ID.fullmatch(text) or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


class DatabaseConfigError(RuntimeError):
    """DATABASE_URL cannot be used."""


def check_url(url: str) -> None:
    """Refuse a DATABASE_URL that SQLAlchemy cannot parse or has no driver for."""
    try:
        parsed = make_url(url)
        parsed.get_dialect()
    except (ArgumentError, ValueError) as exc:
        raise DatabaseConfigError(f"DATABASE_URL is not a valid database address ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - NoSuchModuleError and friends
        raise DatabaseConfigError(
            f"DATABASE_URL names a database this app cannot use: {parsed.drivername} ({exc})"
        ) from None


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def reachable() -> bool:
    """Whether the database answers a trivial query (for the health check)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def one_line(exc: BaseException) -> str | None:
    """The one line to print for a database failure, or None if it is something else."""
    if isinstance(exc, DatabaseConfigError | ConfigError):
        return f"Error: {exc}"
    if isinstance(exc, OperationalError | DBAPIError):
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        return f"Error: cannot reach the database ({reason}). Check DATABASE_URL."
    return None


def excepthook(kind, exc, tb) -> None:
    """Print one clear line instead of a stack trace for configuration or database trouble."""
    line = one_line(exc)
    if line is None:
        sys.__excepthook__(kind, exc, tb)
    else:
        print(line, file=sys.stderr)


# INSERT ... ON CONFLICT for SQLite and PostgreSQL, so a retried write lands once.
def insert_for(table):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_ignore(table, values: dict, keys: list[str]) -> None:
    db.session.execute(
        insert_for(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    )


@cache
def _kept_upsert(dialect: str, table, keys: tuple[str, ...], update: tuple[str, ...]):
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={name: stmt.excluded[name] for name in update}
    )


def upsert(table, values: dict, keys: tuple[str, ...], update: tuple[str, ...]) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE the `update` columns to the new values: one
    statement built once per table and kept, sent with the values as parameters (a hot path
    builds nothing per call)."""
    stmt = _kept_upsert(db.session.get_bind().dialect.name, table, keys, update)
    db.session.connection().execute(stmt, values)


def insert_or_update(table, values: dict, keys: list[str], update: dict) -> None:
    stmt = insert_for(table).values(**values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update))
