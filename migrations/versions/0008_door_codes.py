"""door codes: one-per-household codes on door flyers, usable once

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 07:30:00

- channel.needs_code: a door flyer channel that asks for one of its codes to start;
- door_code: the hash of each code and the day it was used (no address, no response).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("channel") as batch:
        batch.add_column(
            sa.Column("needs_code", sa.Boolean(), nullable=False, server_default="0")
        )
    op.create_table(
        "door_code",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "channel_id",
            sa.Integer(),
            sa.ForeignKey("channel.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_on", sa.Date(), nullable=True),
        sa.UniqueConstraint("channel_id", "code_hash"),
    )


def downgrade():
    op.drop_table("door_code")
    with op.batch_alter_table("channel") as batch:
        batch.drop_column("needs_code")
