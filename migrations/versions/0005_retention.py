"""retention: a survey's own shorter terms; consent and sign-up times kept as a day

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 07:00:00

- survey.volunteer_retention_days / open_text_retention_days: a survey's own, shorter terms;
- volunteer.consent_at / created_at, subscription.confirmed_at / created_at: a date instead of
  a moment, so they cannot be matched to a response by its time.

The date columns are rebuilt (new column, filled, old one dropped, new one renamed) rather than
altered in place: SQLite's batch mode would CAST the old text to DATE, which SQLite reads as a
number ("2026-12-03 ..." becomes 2026).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DAY_COLUMNS = (
    ("volunteer", "consent_at", False),
    ("volunteer", "created_at", False),
    ("subscription", "confirmed_at", True),
    ("subscription", "created_at", False),
)
SPARE = "_retyped"


def _as_day(column: str) -> str:
    """SQL for the UTC day of a stored moment."""
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(({column} AT TIME ZONE 'UTC') AS DATE)"
    return f"substr({column}, 1, 10)"  # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff"


def _as_moment(column: str) -> str:
    """SQL for the start (UTC) of a stored day."""
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST({column} AS TIMESTAMP) AT TIME ZONE 'UTC'"
    return f"{column} || ' 00:00:00.000000'"


def _retype(table: str, column: str, nullable: bool, new_type, fill) -> None:
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column(column + SPARE, new_type, nullable=True))
    op.execute(f"UPDATE {table} SET {column}{SPARE} = {fill(column)}")
    with op.batch_alter_table(table) as batch:
        batch.drop_column(column)
        batch.alter_column(
            column + SPARE, new_column_name=column, existing_type=new_type, nullable=nullable
        )


def upgrade():
    with op.batch_alter_table("survey") as batch:
        batch.add_column(sa.Column("volunteer_retention_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("open_text_retention_days", sa.Integer(), nullable=True))
    for table, column, nullable in DAY_COLUMNS:
        _retype(table, column, nullable, sa.Date(), _as_day)


def downgrade():
    for table, column, nullable in DAY_COLUMNS:
        _retype(table, column, nullable, sa.DateTime(timezone=True), _as_moment)
    for column in ("open_text_retention_days", "volunteer_retention_days"):
        # Not batch mode: on SQLite it rebuilds survey, and dropping the old table would delete
        # every question, response and volunteer through ON DELETE CASCADE.
        op.execute(f"ALTER TABLE survey DROP COLUMN {column}")
