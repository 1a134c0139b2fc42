"""day keys: a random key per day for hashing client addresses, deleted the next day

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "day_key",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
    )


def downgrade():
    op.drop_table("day_key")
