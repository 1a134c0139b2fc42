"""officer sessions: server-side session records, so signing out ends a session for good

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-03 06:50:00

- officer_session: one row per sign-in; the session cookie holds only its id (a random token).
  Signing out, disabling the account or a new password sets ended_at.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"  # the lead re-chains
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "officer_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_officer_session_officer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_session")),
    )
    op.create_index(
        op.f("ix_officer_session_officer_id"), "officer_session", ["officer_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_officer_session_officer_id"), table_name="officer_session")
    op.drop_table("officer_session")
