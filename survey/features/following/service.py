"""Followers: residents who want to hear about updates (double opt-in, unsubscribe in every
mail), kept apart from the answers. Publishing an update queues one mail per follower."""

from __future__ import annotations

import re
import secrets

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from survey.core import links, outbox
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.results import public
from survey.models import Channel, Subscription, Survey, Update
from survey.models._types import utctoday

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


BAD_EMAIL = _l("Dit e-mailadres klopt niet. Bijvoorbeeld: naam@voorbeeld.nl")


def results_path(survey: Survey, area_id: int | None = None) -> str:
    """The public page of a survey: /r/ with its first channel's code (the first channel in
    `area_id` if asked and there is one: the page that leads with that area)."""
    query = select(Channel.code).where(Channel.survey_id == survey.id).order_by(Channel.id)
    code = None
    if area_id:
        code = db.session.scalar(query.where(Channel.area_id == area_id).limit(1))
    code = code or db.session.scalar(query.limit(1))
    return f"/r/{code or survey.slug}"


def _owner(subscription: Subscription) -> str:
    """The start of the key of every mail to this follower."""
    return f"follow:{subscription.unsubscribe_token[:16]}"


def _key(subscription: Subscription, what: str) -> str:
    return f"{_owner(subscription)}:{what}"


def follow(survey: Survey, email: str, lang: str, area_id: int | None = None) -> None:
    """Ask to follow a survey: store the address unconfirmed and mail a confirmation link.
    Asked on an area's page (`area_id`), the mails are only about that area or everywhere.

    Asking again for a known address changes nothing and says the same, so the form does
    not tell a stranger who follows what.
    """
    email = (email or "").strip().lower()
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise UserError(BAD_EMAIL, field="email")
    known = db.session.scalar(
        select(Subscription).where(
            Subscription.survey_id == survey.id, func.lower(Subscription.email) == email
        )
    )
    if known is not None:
        return
    subscription = Subscription(
        survey_id=survey.id,
        email=email,
        lang=lang,
        area_id=area_id,
        confirm_token=secrets.token_urlsafe(32),
        unsubscribe_token=secrets.token_urlsafe(32),
    )
    db.session.add(subscription)
    db.session.flush()
    with force_locale(lang):
        subject = str(_l("Bevestig dat je nieuws over de peiling wilt krijgen"))
        body = render_template(
            "following/mail_confirm.txt",
            survey=survey,
            confirm_url=links.public_url(f"/volgen/{subscription.confirm_token}"),
            unsubscribe_url=links.public_url(f"/volgen/stop/{subscription.unsubscribe_token}"),
        )
    outbox.queue_confirmation(_owner(subscription), email, subject, body)
    db.session.commit()


def by_confirm_token(token: str) -> Subscription | None:
    return db.session.scalar(select(Subscription).where(Subscription.confirm_token == token))


def by_unsubscribe_token(token: str) -> Subscription | None:
    return db.session.scalar(select(Subscription).where(Subscription.unsubscribe_token == token))


def confirm(subscription: Subscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = utctoday()
        db.session.commit()


def forget_mails(subscription: Subscription) -> None:
    """Remove every mail to this follower from the outbox (the caller commits)."""
    outbox.forget_mail(_owner(subscription) + ":")


def unsubscribe(subscription: Subscription) -> None:
    """Forget the address and every mail to it that is still waiting."""
    forget_mails(subscription)
    db.session.delete(subscription)
    db.session.commit()


def queue_update_mails(update: Update, status_labels: dict) -> int:
    """One mail per confirmed follower; queuing twice adds nothing (the outbox key)."""
    survey = update.survey
    query = select(Subscription).where(
        Subscription.survey_id == survey.id, Subscription.confirmed_at.is_not(None)
    )
    if update.area_id:  # a follower of another area does not hear of this one
        around = public.areas_around(update.area_id)
        query = query.where(or_(Subscription.area_id.is_(None), Subscription.area_id.in_(around)))
    followers = db.session.scalars(query).all()
    pages = {  # one query per area, not per follower
        area_id: links.public_url(results_path(survey, area_id))
        for area_id in {s.area_id for s in followers}
    }
    for subscription in followers:
        with force_locale(subscription.lang):
            subject = str(_l("Nieuws over: %(title)s", title=survey.title_in(subscription.lang)))
            body = render_template(
                "following/mail_update.txt",
                survey=survey,
                lang=subscription.lang,
                update=update,
                status=str(status_labels.get(update.status, update.status)),
                page_url=pages[subscription.area_id],
                unsubscribe_url=links.public_url(f"/volgen/stop/{subscription.unsubscribe_token}"),
            )
        outbox.queue_mail(
            _key(subscription, f"update:{update.id}"), subscription.email, subject, body
        )
    return len(followers)
