"""workspace settings: what admins switch on a page, such as a second factor for admins

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "workspace_setting",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Boolean(), nullable=False, server_default="0"),
    )


def downgrade():
    op.drop_table("workspace_setting")
