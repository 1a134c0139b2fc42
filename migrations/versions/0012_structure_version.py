"""structure version: a number that changes whenever a survey's questions change

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survey") as batch:
        batch.add_column(
            sa.Column("structure_version", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade():
    with op.batch_alter_table("survey") as batch:
        batch.drop_column("structure_version")
