"""channel language: the language a channel's poster and flyer are printed in by default

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("channel") as batch:
        batch.add_column(sa.Column("lang", sa.String(5), nullable=True))


def downgrade():
    with op.batch_alter_table("channel") as batch:
        batch.drop_column("lang")
