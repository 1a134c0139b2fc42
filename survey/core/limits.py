"""Rate limits and the guard against scripted floods, shared by every public form.

Limits are per client address (behind a load balancer set TRUSTED_PROXIES so the address is
the resident's, not the balancer's) and tuned so a school class of 40 phones behind one
address finishes a survey together: answering allows 1200 posts a minute, a class needs ~850.
Each limit can be changed with its LIMIT_* setting. Apply them below the route decorator:

    @bp.post("/volgen")
    @limits.following
    def follow(): ...

Forms that a script might flood also carry `{% include "_flood_guard.html" %}` and the view
calls `limits.check_human(request.form)` before it stores anything.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, date, datetime

from flask import Flask, current_app, has_request_context
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, Signer
from sqlalchemy import delete, select

from survey.core.database import insert_ignore
from survey.core.errors import UserError
from survey.extensions import db, limiter
from survey.models import DayKey

DEFAULTS = {
    "LIMIT_SIGN_IN": "20 per minute",
    "LIMIT_START": "60 per minute;600 per hour",
    "LIMIT_ANSWER": "1200 per minute;12000 per hour",
    "LIMIT_FOLLOW": "30 per minute;120 per hour",
    "LIMIT_VOLUNTEER": "50 per minute;300 per hour",
    # Not a refusal: past this many, visits to one QR code from one address stop counting as
    # scans (a class behind one address still counts; a script does not inflate the funnel).
    "LIMIT_SCAN": "60 per hour;300 per day",
    # Not refusals: responses past these are stored but marked "verdacht" (suspect).
    "RESPONSES_PER_ADDRESS_PER_DAY": 25,
    "BURST_STARTS": 10,  # more starts than this from one address within BURST_MINUTES
    "BURST_MINUTES": 10,
}
HONEYPOT_FIELD = "website"
TIME_FIELD = "screen_token"
MAX_FIELDS = 60
MAX_VALUE_CHARS = 5000
MESSAGES = {
    "not_human": _l("We konden dit niet opslaan. Laad de pagina opnieuw en probeer het nog eens."),
    "too_much": _l("Je stuurde te veel of te lange antwoorden. Probeer het opnieuw."),
}


def setting(name: str):
    """A limit's value: its config setting, else its default. Unset and empty (an environment
    variable set to nothing) are the default; 0 is a value."""
    value = current_app.config.get(name)
    return DEFAULTS[name] if value is None or value == "" else value


def _setting(name: str):
    return lambda: setting(name)


def _shared(name: str, scope: str):
    return limiter.shared_limit(_setting(name), scope=scope, methods=["POST"])


sign_in = _shared("LIMIT_SIGN_IN", "sign_in")
starting = _shared("LIMIT_START", "start")
answering = _shared("LIMIT_ANSWER", "answer")
following = _shared("LIMIT_FOLLOW", "follow")
volunteering = _shared("LIMIT_VOLUNTEER", "volunteer")


def not_human(code: str) -> UserError:
    """A post that looks scripted: refused before anything is stored."""
    return UserError(MESSAGES[code], code=code)


def counts(name: str, *keys: str) -> bool:
    """Whether one more event of this kind from this client still counts (its LIMIT_* setting).

    A quiet limit: nothing is refused, the event just stops counting (a reload or a script does
    not inflate the QR-scan figures). Counted where the rate limits are (Redis when set).
    """
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    from limits import parse_many

    client = get_remote_address()
    return all(
        limiter.limiter.hit(rate, "quiet", name, *keys, client)
        for rate in parse_many(_setting(name)())
    )


def _now() -> float:
    return time.time()


def _signer() -> Signer:
    return Signer(current_app.secret_key, salt="buurtpeiling-screen-shown")


def screen_token() -> str:
    """A signed note of when this screen was served (milliseconds since the epoch)."""
    return _signer().sign(str(int(_now() * 1000))).decode()


def _served_at(token: str | None) -> float | None:
    try:
        return int(_signer().unsign(token or "")) / 1000
    except (BadSignature, ValueError):
        return None


def check_human(form) -> None:
    """Refuse a filled honeypot, an oversized form, or a screen token that is not ours.

    No one is refused for being quick (a young swiper taps a card in 300 ms): speed is no
    proof of a script, and scripted stuffing is met by the daily cap per address instead
    (`client_key`). HUMAN_MIN_SECONDS > 0 only makes the signed screen token required.
    """
    if form.get(HONEYPOT_FIELD):
        raise not_human("not_human")
    values = [v for key in form for v in form.getlist(key)]
    if len(values) > MAX_FIELDS or any(len(v) > MAX_VALUE_CHARS for v in values):
        raise not_human("too_much")
    if float(current_app.config.get("HUMAN_MIN_SECONDS", 0.5)) <= 0:
        return
    if _served_at(form.get(TIME_FIELD)) is None:
        raise not_human("not_human")


def client_key(scope: str) -> str | None:
    """The client address as an HMAC under today's random key: never stored in the clear.

    The key is random, made on the day's first response and deleted the next day (`DayKey`),
    so once the day is over no one can tell which address a stored hash was, not even with
    the SECRET_KEY and a list of every address there is.
    """
    if not has_request_context():  # a command or a script on the server: no client
        return None
    address = f"{scope}:{get_remote_address()}".encode()
    return hmac.new(day_key(), address, hashlib.sha256).hexdigest()


_keys: dict[tuple[str, date], bytes] = {}  # this process's copy of today's key, per database


def today() -> date:
    return datetime.now(UTC).date()


def day_key() -> bytes:
    """Today's key, made by the first request of the day on any app server (they share it
    through the database); the keys of earlier days are deleted at the same time.

    Its own small use case: it commits before the caller has written anything.
    """
    day = today()
    cache = (str(db.engine.url), day)
    if cache in _keys:
        return _keys[cache]
    key = db.session.scalar(select(DayKey.key).where(DayKey.day == day))
    if key is None:
        db.session.execute(delete(DayKey).where(DayKey.day < day))
        insert_ignore(DayKey.__table__, {"day": day, "key": secrets.token_hex(32)}, ["day"])
        db.session.commit()
        key = db.session.scalar(select(DayKey.key).where(DayKey.day == day))
    for old in [c for c in _keys if c[1] != day]:
        del _keys[old]
    _keys[cache] = bytes.fromhex(key)
    return _keys[cache]


def init_app(app: Flask) -> None:
    app.add_template_global(screen_token)
    app.jinja_env.globals["flood_guard"] = {"honeypot": HONEYPOT_FIELD, "time": TIME_FIELD}
