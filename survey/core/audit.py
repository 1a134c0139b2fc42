"""The audit log (Logboek): who exported, viewed volunteers, changed a survey."""

from __future__ import annotations

from survey.extensions import db
from survey.models import AuditEvent


def audit(officer, action: str, target: str = "", **detail) -> None:
    """Record an event in the use case's transaction; the use case commits it with the rest."""
    db.session.add(
        AuditEvent(
            officer_id=officer.id if officer else None, action=action, target=target, detail=detail
        )
    )
