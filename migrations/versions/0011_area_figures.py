"""area figures: the CBS "Kerncijfers wijken en buurten" of an area, and their year

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("area") as batch:
        batch.add_column(sa.Column("figures", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("figures_year", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("area") as batch:
        batch.drop_column("figures_year")
        batch.drop_column("figures")
