"""Suspect responses grouped by burst (one address, one channel, one day), and the decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from survey.core.audit import audit
from survey.extensions import db
from survey.features.tallies import service as tallies
from survey.models import Answer, Channel, Officer, Response, Survey

DECISIONS = ("accept", "keep")
KEPT, ACCEPTED = "kept", "accepted"  # suspect_reason after an officer's decision


@dataclass
class Burst:
    """Suspect responses of one hashed address through one channel on one day."""

    key: str  # client_key:channel_id:day, what the decision form sends back
    day: str
    first: datetime
    last: datetime
    channel: str
    count: int
    completed: int
    patterns: int  # distinct sets of answers: 1 for a script that sends the same every time
    reasons: list[str]
    kept: bool


def _key(response: Response) -> str:
    return f"{response.client_key or '-'}:{response.channel_id or 0}:{response.started_at.date()}"


def bursts(survey: Survey) -> list[Burst]:
    """The survey's suspect responses by burst, newest first; kept ones after those to judge."""
    rows = db.session.execute(
        select(Response, Channel.label)
        .outerjoin(Channel, Channel.id == Response.channel_id)
        .where(Response.survey_id == survey.id, Response.suspect.is_(True))
        .order_by(Response.started_at)
    ).all()
    answers: dict[int, set] = {}
    ids = [r.id for r, _ in rows]
    for chunk in range(0, len(ids), 500):
        found = db.session.execute(
            select(Answer.response_id, Answer.question_id, Answer.value).where(
                Answer.response_id.in_(ids[chunk : chunk + 500])
            )
        )
        for response_id, question_id, value in found:
            answers.setdefault(response_id, set()).add((question_id, repr(value)))
    groups: dict[str, list] = {}
    for response, label in rows:
        groups.setdefault(_key(response), []).append((response, label))
    found_bursts = [_burst(key, members, answers) for key, members in groups.items()]
    return sorted(found_bursts, key=lambda b: (b.kept, -b.last.timestamp()))


def _burst(key: str, members: list, answers: dict) -> Burst:
    responses = [r for r, _ in members]
    return Burst(
        key=key,
        day=key.rsplit(":", 1)[1],
        first=responses[0].started_at,
        last=responses[-1].started_at,
        channel=members[0][1] or "",
        count=len(responses),
        completed=sum(r.completed_at is not None for r in responses),
        patterns=len({frozenset(answers.get(r.id, ())) for r in responses}),
        reasons=sorted({r.suspect_reason or "" for r in responses} - {KEPT}),
        kept=all(r.suspect_reason == KEPT for r in responses),
    )


def decide_burst(survey: Survey, officer: Officer, key: str, decision: str) -> int:
    """Accept a burst (its responses count from now on) or keep it out; returns how many."""
    members = [
        r
        for r in db.session.scalars(
            select(Response).where(Response.survey_id == survey.id, Response.suspect.is_(True))
        )
        if _key(r) == key
    ]
    if not members:
        return 0
    ids = [r.id for r in members]
    accept = decision == "accept"
    with tallies.tracking(ids):
        db.session.execute(
            update(Response)
            .where(Response.id.in_(ids))
            .values(suspect=not accept, suspect_reason=ACCEPTED if accept else KEPT)
        )
    action = "accept_suspect_responses" if accept else "keep_suspect_responses"
    audit(officer, action, survey.slug, count=len(ids), day=key.rsplit(":", 1)[1])
    db.session.commit()
    return len(ids)
