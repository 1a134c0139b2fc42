"""indexes for dashboards and public results at scale

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 14:25:00

- response (survey_id, started_at): the dashboard's date filters and figures per day, and the
  responses table (newest first) without sorting every response of a survey;
- answer (moderation): the open answers approved for the public results page, and the
  moderation list per state, without reading every answer.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_response_survey_started", "response", ["survey_id", "started_at"])
    op.create_index("ix_answer_moderation", "answer", ["moderation"])


def downgrade():
    op.drop_index("ix_answer_moderation", table_name="answer")
    op.drop_index("ix_response_survey_started", table_name="response")
