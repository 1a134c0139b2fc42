"""personal data in open answers: the mark set on arrival, confirmed or cleared by an officer

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 06:50:00

- answer.personal_data: "found" when an open answer arrives with personal data in it,
  "confirmed" or "cleared" once an officer looked; NULL when nothing was found. Exports and
  pages show the text masked unless it is "cleared". (A resident's swipe statement keeps
  its mark in question.settings["personal_data"]: no column needed.)
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("answer") as batch:
        batch.add_column(sa.Column("personal_data", sa.String(10), nullable=True))


def downgrade():
    with op.batch_alter_table("answer") as batch:
        batch.drop_column("personal_data")
