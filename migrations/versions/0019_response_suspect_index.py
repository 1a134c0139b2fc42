"""an index on the suspect responses of a survey: the Reacties page counts them beside the tallies

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
    op.create_index("ix_response_survey_suspect", "response", ["survey_id", "suspect"])


def downgrade():
    op.drop_index("ix_response_survey_suspect", table_name="response")
