"""follow an area: a follower who signed up on an area's public page hears about that area

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("subscription") as batch:
        batch.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_subscription_area_id_area", "area", ["area_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("subscription") as batch:
        batch.drop_constraint("fk_subscription_area_id_area", type_="foreignkey")
        batch.drop_column("area_id")
