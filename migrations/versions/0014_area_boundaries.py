"""area boundaries: the outline of a buurt or wijk, a GeoJSON geometry in WGS84

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("area") as batch:
        batch.add_column(sa.Column("boundary", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("area") as batch:
        batch.drop_column("boundary")
