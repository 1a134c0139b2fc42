"""Door codes: make them for a door flyer channel, require them, use one to start.

A code is eight letters and digits that cannot be mistaken for each other, printed on one
flyer per household. The database keeps only its hash and the day it was used: a code is
linked to no address and to no response, so it tells no one who answered what.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from survey.core import links
from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.models import Channel, DoorCode, Officer

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0 or 1
LENGTH = 8
MAX_PER_BATCH = 5000
MAX_PER_CHANNEL = 50_000
QUERY_FIELD = "deurcode"  # the code in the flyer's QR link: /s/<channel>?deurcode=ABCD-EFGH
MESSAGES = {
    "bad_door_code": _l(
        "Deze code klopt niet of is al gebruikt. De code staat op je flyer, onder de QR-code."
    ),
    "too_many_codes": _l("Maak ten hoogste %(num)s codes per keer.", num=MAX_PER_BATCH),
    "full": _l("Dit toegangspunt heeft al het hoogste aantal codes."),
}


def normalise(raw: str | None) -> str | None:
    """The code as stored, from what a resident typed (any case, spaces or dashes), or None."""
    text = "".join(ch for ch in str(raw or "")[:40].upper() if ch not in " -\t")
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def shown(code: str) -> str:
    """How a code is printed: ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}"


def _hash(channel_id: int, code: str) -> str:
    return hashlib.sha256(f"buurtpeiling-door:{channel_id}:{code}".encode()).hexdigest()


def counts(channel: Channel) -> tuple[int, int]:
    """(codes made, codes used) of a channel."""
    made, used = db.session.execute(
        select(func.count(DoorCode.id), func.count(DoorCode.used_on)).where(
            DoorCode.channel_id == channel.id
        )
    ).one()
    return made, used


def make_codes(officer: Officer, channel: Channel, count: int) -> list[str]:
    """Make `count` new codes for a channel; they are shown once, never stored in the clear."""
    if not 1 <= count <= MAX_PER_BATCH:
        raise UserError(MESSAGES["too_many_codes"], field="count", code="too_many_codes")
    if counts(channel)[0] + count > MAX_PER_CHANNEL:
        raise UserError(MESSAGES["full"], field="count", code="full")
    taken = set(
        db.session.scalars(select(DoorCode.code_hash).where(DoorCode.channel_id == channel.id))
    )
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        digest = _hash(channel.id, code)
        if digest not in taken:
            taken.add(digest)
            codes.append(code)
    db.session.execute(
        DoorCode.__table__.insert(),
        [{"channel_id": channel.id, "code_hash": _hash(channel.id, c)} for c in codes],
    )
    audit(officer, "make_door_codes", channel.code, count=count)
    db.session.commit()
    return [shown(c) for c in codes]


def codes_csv(channel: Channel, codes: list[str]) -> str:
    """The new codes for the printer: the code and the link its flyer's QR code opens."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["deurcode", "link"])
    for code in codes:
        writer.writerow([code, links.survey_link(channel.code, **{QUERY_FIELD: code})])
    return "\ufeff" + out.getvalue()


def require_codes(officer: Officer, channel: Channel, required: bool) -> None:
    """Make a channel ask (or stop asking) for a door code before the survey starts."""
    channel.needs_code = required
    audit(officer, "require_door_codes", channel.code, required=required)
    db.session.commit()


def use_code(channel: Channel, raw: str | None) -> None:
    """Mark a code of this channel used, in the caller's transaction, or refuse it.

    One statement: of two phones sending the same code at once, one gets it.
    """
    code = normalise(raw)
    if code is not None:
        used = db.session.execute(
            update(DoorCode)
            .where(
                DoorCode.channel_id == channel.id,
                DoorCode.code_hash == _hash(channel.id, code),
                DoorCode.used_on.is_(None),
            )
            .values(used_on=datetime.now(UTC).date())
            .execution_options(synchronize_session=False)
        )
        if used.rowcount == 1:
            return
    raise UserError(MESSAGES["bad_door_code"], field=QUERY_FIELD, code="bad_door_code")
