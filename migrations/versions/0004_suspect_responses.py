"""suspect responses: the daily cap per client address, bursts, statements per response

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 20:10:00

- response.suspect / suspect_reason: stored but left out of every figure until accepted;
- response.client_key: HMAC of the client address under that day's key (never the address);
- response.statements: statements of one's own proposed from this response (the cap of 3);
- channel.daily_cap: a higher cap per address for a school or event channel.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("response") as batch:
        batch.add_column(sa.Column("suspect", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("suspect_reason", sa.String(10), nullable=True))
        batch.add_column(sa.Column("client_key", sa.String(64), nullable=True))
        batch.add_column(sa.Column("statements", sa.Integer(), nullable=False, server_default="0"))
    op.create_index(
        "ix_response_survey_client", "response", ["survey_id", "client_key", "started_at"]
    )
    with op.batch_alter_table("channel") as batch:
        batch.add_column(sa.Column("daily_cap", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("channel") as batch:
        batch.drop_column("daily_cap")
    op.drop_index("ix_response_survey_client", table_name="response")
    with op.batch_alter_table("response") as batch:
        batch.drop_column("statements")
        batch.drop_column("client_key")
        batch.drop_column("suspect_reason")
        batch.drop_column("suspect")
