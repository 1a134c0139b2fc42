"""indexes for pages that must not grow: the suspect responses of a survey per area (Reacties
counts them beside the tallies), a survey's responses by id (the weighted dashboard's sample) and
open answers by question and review state (the home's queue)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 18:20:00
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_response_survey_suspect", "response", ["survey_id", "suspect", "area_id"]
    )
    op.create_index("ix_response_survey_id", "response", ["survey_id", "id"])
    op.create_index("ix_answer_question_moderation", "answer", ["question_id", "moderation"])


def downgrade():
    op.drop_index("ix_answer_question_moderation", table_name="answer")
    op.drop_index("ix_response_survey_id", table_name="response")
    op.drop_index("ix_response_survey_suspect", table_name="response")
