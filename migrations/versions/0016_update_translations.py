"""update translations: the texts of an update in the survey's other languages

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("update") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))


def downgrade():
    with op.batch_alter_table("update") as batch:
        batch.drop_column("translations")
