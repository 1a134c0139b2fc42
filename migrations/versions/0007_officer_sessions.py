"""officer sessions: server-side session records, so signing out ends a session for good

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 06:50:00

- officer_session: one row per sign-in; the session cookie holds only its id (a random token).
  Signing out, disabling the account or a new password sets ended_at.
- officer.must_change_password: an admin asked for a new password at the next sign-in.
- officer.totp_secret / totp_last_step: the optional second factor (TOTP) and its last step.
- officer_invite: an invitation by e-mail; only the sha256 of its one-time token is stored.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
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
    with op.batch_alter_table("officer") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.create_table(
        "officer_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["officer.id"], name=op.f("fk_officer_invite_invited_by_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_invite")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_officer_invite_token_hash")),
    )


def downgrade():
    op.drop_table("officer_invite")
    with op.batch_alter_table("officer") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")
        batch.drop_column("must_change_password")
    op.drop_index(op.f("ix_officer_session_officer_id"), table_name="officer_session")
    op.drop_table("officer_session")
