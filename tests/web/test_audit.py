"""The audit log records inside the use case's transaction: what is undone leaves no trace."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.builder import service as builder
from survey.models import AuditEvent


def _events(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def test_audit_records_but_never_commits(app):
    audit(None, "something_tried", "x", detail="y")
    assert _events("something_tried") == 1  # visible inside the transaction
    db.session.rollback()
    assert _events("something_tried") == 0  # and gone with it


def test_a_refused_change_leaves_neither_the_change_nor_an_audit_event(app, sign_in, client):
    officer = sign_in(client, "editor")
    survey = builder.create_survey(officer, "Leeg", "needs")
    assert _events("create_survey") == 1  # the use case committed its own event
    with pytest.raises(UserError):
        builder.publish_survey(officer, survey)  # no questions yet
    db.session.rollback()
    db.session.refresh(survey)
    assert survey.status == "draft" and _events("publish_survey") == 0
