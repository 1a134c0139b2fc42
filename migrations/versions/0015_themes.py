"""themes in open answers: per open question the themes found, with officers' edits

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 16:00:00

- theme_set: one per open question; the number of themes an officer asked for (or none),
  the number chosen, and a fingerprint of the answers the themes were found in;
- theme: its top words, answers and representative answers as last found, and an
  officer's name, hidden and public flags, and the theme it was merged into.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "theme_set",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "question_id",
            sa.Integer(),
            sa.ForeignKey("question.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("k", sa.Integer(), nullable=True),
        sa.Column("chosen_k", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("chosen_by", sa.String(10), nullable=False, server_default="none"),
        sa.Column("answers", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("fingerprint", sa.String(64), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "theme_set_id",
            sa.Integer(),
            sa.ForeignKey("theme_set.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=True),
        sa.Column("top_words", sa.JSON(), nullable=False),
        sa.Column("answer_ids", sa.JSON(), nullable=False),
        sa.Column("representative_ids", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("public", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column(
            "merged_into_id",
            sa.Integer(),
            sa.ForeignKey("theme.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index("ix_theme_theme_set_id", "theme", ["theme_set_id"])


def downgrade():
    op.drop_index("ix_theme_theme_set_id", table_name="theme")
    op.drop_table("theme")
    op.drop_table("theme_set")
