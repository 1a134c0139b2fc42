"""Toegangspunten: channels per location, their QR codes, posters and funnel."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core import links
from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.tallies import read as tally_read
from survey.models import CAPPED_KINDS, Area, Channel, Officer, Survey

# No 0/o, 1/l/i: a code written out under a QR code must be easy to type over.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 8  # 31**8 ~ 8.5e11 codes: not guessable by trying
KIND_LABELS = {
    "poster": _l("Poster"),
    "flyer": _l("Flyer"),
    "door": _l("Deur-aan-deur"),
    "school": _l("School"),
    "social": _l("Website of sociale media"),
    "event": _l("Bijeenkomst"),
    "paper": _l("Papieren formulier"),
}


@dataclass(frozen=True)
class Funnel:
    """One channel's funnel; a count of people is None when the small-group rule hides it."""

    channel: Channel
    scans: int
    starts: int | None
    completes: int | None

    @property
    def completion_rate(self) -> int | None:
        """Completed responses as a percentage of started ones, when both are shown."""
        if self.starts is None or self.completes is None or not self.starts:
            return None
        return round(100 * self.completes / self.starts)


def new_code() -> str:
    """A short, unguessable, URL-safe code that no channel has yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Channel.id).where(Channel.code == code)) is None:
            return code


def channel_url(channel: Channel) -> str:
    """The address the QR code encodes: PUBLIC_BASE_URL + /s/<code>."""
    return links.survey_link(channel.code)


def short_address(channel: Channel) -> str:
    """The address written out under the QR code, without https:// or www."""
    address = channel_url(channel).split("://", 1)[-1]
    return address.removeprefix("www.")


def find_channel(survey: Survey, channel_id: int) -> Channel | None:
    channel = db.session.get(Channel, channel_id)
    return channel if channel is not None and channel.survey_id == survey.id else None


def area_choices() -> list[Area]:
    """Areas a channel can be placed in: gemeente, wijken and buurten, in tree order."""
    areas = list(db.session.scalars(select(Area).order_by(Area.name)))
    order = {"gemeente": 0, "wijk": 1, "buurt": 2}
    return sorted(areas, key=lambda a: (order.get(a.level, 3), a.name))


def _area_id(area_id: int | None) -> int | None:
    """The area a channel is placed in, if any; it must exist."""
    if not area_id:
        return None
    if db.session.get(Area, area_id) is None:
        raise UserError(_l("Kies een gebied uit de lijst."), field="area")
    return area_id


def _lang(survey: Survey, lang: str | None) -> str | None:
    """A channel's print language must be one of its survey's; None: Dutch."""
    if lang and lang not in survey.languages:
        raise UserError(_l("Kies een taal van de peiling uit de lijst."), field="lang")
    return lang or None


def _cap(kind: str, daily_cap: int | None) -> int | None:
    """Only a school or event channel keeps a cap of its own."""
    return daily_cap if kind in CAPPED_KINDS else None


def create_channel(
    survey: Survey,
    officer: Officer,
    label: str,
    kind: str,
    area_id: int | None,
    daily_cap: int | None = None,
    lang: str | None = None,
) -> Channel:
    """Add a channel with a fresh code to a survey (label and kind checked by ChannelForm)."""
    area_id, lang = _area_id(area_id), _lang(survey, lang)
    channel = Channel(survey_id=survey.id, code=new_code(), label=label, kind=kind, area_id=area_id)
    channel.daily_cap, channel.lang = _cap(kind, daily_cap), lang
    db.session.add(channel)
    db.session.flush()
    audit(officer, "create_channel", survey.slug, channel=channel.code, label=label)
    db.session.commit()
    return channel


def update_channel(
    channel: Channel,
    officer: Officer,
    label: str,
    kind: str,
    area_id: int | None,
    daily_cap: int | None = None,
    lang: str | None = None,
) -> None:
    """Change a channel's label, kind, area, cap or language; its code (printed already) stays."""
    channel.label, channel.kind, channel.area_id = label, kind, _area_id(area_id)
    channel.daily_cap, channel.lang = _cap(kind, daily_cap), _lang(channel.survey, lang)
    audit(officer, "update_channel", channel.survey.slug, channel=channel.code, label=channel.label)
    db.session.commit()


def funnel(survey: Survey) -> list[Funnel]:
    """Scans, starts and completes per channel, protected by the small-group rule.

    Starts and completes count people: the channels' starts split all the survey's starts
    (responses without a channel are the unlisted rest), and each channel's completes sit in
    its starts (started but not completed is the unlisted rest), linked to all completes.
    Scans count page views, not people, and are shown as they are.
    """
    from survey.profiling.disclosure import protect_linked

    counts = tally_read.per_channel(survey.id)
    channels = list(
        db.session.scalars(
            select(Channel).where(Channel.survey_id == survey.id).order_by(Channel.id)
        )
    )
    rows = [(c, *counts.get(c.id, (0, 0))) for c in channels]
    starts = sum(n for n, _done in counts.values())
    completes = sum(done for _n, done in counts.values())
    children = {c.id: ({"completed": done}, started) for c, started, done in rows}
    shown = protect_linked(
        {"completed": completes}, starts, children, survey.min_group_size
    ).children
    return [
        Funnel(c, c.scans or 0, shown[c.id].total, shown[c.id].cells["completed"])
        for c, _started, _done in rows
    ]
