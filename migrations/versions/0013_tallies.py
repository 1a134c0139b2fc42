"""tallies: running counts per survey, question, value, buurt, channel, day, layer, language;
and when a survey's public figures were last renewed

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 16:00:00

An existing database gets an empty table: run `flask --app app tallies rebuild` once after
this upgrade (the README says so), and the dashboard shows its figures again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survey") as batch:
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("grain", sa.SmallInteger(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("layer", sa.String(length=10), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ux_tally_key",
        "tally",
        ["survey_id", "grain", "question_id", "value", "area_id", "channel_id", "day", "layer", "lang"],
        unique=True,
    )


def downgrade():
    op.drop_index("ux_tally_key", table_name="tally")
    op.drop_table("tally")
    with op.batch_alter_table("survey") as batch:
        batch.drop_column("published_at")
