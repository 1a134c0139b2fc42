"""INSERT ... ON CONFLICT for SQLite and PostgreSQL, so a retried write lands once."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from survey.extensions import db


def insert_for(table):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_ignore(table, values: dict, keys: list[str]) -> None:
    db.session.execute(
        insert_for(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    )


def insert_or_update(table, values: dict, keys: list[str], update: dict) -> None:
    stmt = insert_for(table).values(**values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update))
