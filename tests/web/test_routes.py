"""Every route in the URL map, every method, as an anonymous visitor: never a 500.

The routes come from app.url_map, so a route added later is covered without touching this
file. URL arguments are filled with realistic values from the demo municipality and with
nonsense (unknown codes, NUL bytes, huge and hostile strings, huge ids). Every GET together
may change nothing in the database except the QR-scan counter of a channel.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter

from survey.extensions import db
from survey.models import (
    Answer,
    Area,
    Channel,
    Officer,
    OfficerInvite,
    Question,
    Response,
    Subscription,
    Survey,
    Theme,
    Update,
    Volunteer,
)

NONSENSE_TEXT = [
    "onbekend",
    "\x00",
    "x" * 400,
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "🏘️ مرحبا",
    "../../etc/passwd",
    "%",
]
NONSENSE_INT = [0, 999_999, 2**31, 2**63]
TOKEN_COLUMNS = {  # which token each token route looks up
    "volunteers.manage": "volunteer",
    "volunteers.erase": "volunteer",
    "following.confirm": "confirm",
    "following.unsubscribe": "unsubscribe",
    "invites.accept": "invite",
}
UNCHANGED_BY_GET = {"channel": {"scans"}}  # the only column a GET may change (a QR scan)


def _first(query):
    return db.session.scalar(query.limit(1))


def _own_invite() -> str:
    """The token of an officer invitation of this test's own (only its hash is stored)."""
    from survey.models._types import utcnow

    token = secrets.token_urlsafe(32)
    db.session.add(
        OfficerInvite(
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            email=f"route-{token[:8].lower()}@voorbeeldstad.nl",
            role="editor",
            expires_at=utcnow() + timedelta(hours=72),
        )
    )
    db.session.commit()
    return token


def _own_rows(survey: Survey) -> tuple[Volunteer, Subscription]:
    """A volunteer and a follower of this test's own, so a POST may erase or confirm them."""
    person = Volunteer(
        survey_id=survey.id,
        name="Routetest",
        email="routetest@example.org",
        erase_token=secrets.token_urlsafe(32),
    )
    follower = Subscription(
        survey_id=survey.id,
        email="routetest@example.org",
        confirm_token=secrets.token_urlsafe(32),
        unsubscribe_token=secrets.token_urlsafe(32),
    )
    db.session.add_all([person, follower])
    db.session.commit()
    return person, follower


def _realistic(slug: str, channel_code: str, person: Volunteer, follower: Subscription) -> dict:
    """URL arguments that exist in the demo, around one survey."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    question = survey.questions[0]
    return {
        "code": channel_code,
        "qcode": question.code,
        "survey_id": survey.id,
        "question_id": question.id,
        "channel_id": _first(select(Channel.id).where(Channel.code == channel_code)),
        "area_id": _first(select(Area.id).where(Area.level == "buurt")),
        "area": "all",
        "lang": survey.languages[-1],  # a language the survey offers besides Dutch
        "answer_id": _first(
            select(Answer.id).join(Response).where(Response.survey_id == survey.id)
        ),
        "response_id": _first(select(Response.id).where(Response.survey_id == survey.id)),
        "update_id": _first(select(Update.id)) or 1,
        "theme_id": _first(select(Theme.id)) or 1,
        "volunteer_id": person.id,
        "officer_id": _first(select(Officer.id)) or 1,
        "filename": "css/app.css",
        "token": {
            "volunteer": person.erase_token,
            "confirm": follower.confirm_token,
            "unsubscribe": follower.unsubscribe_token,
            "invite": _own_invite(),
        },
    }


def _nonsense(text: str, number: int) -> dict:
    return {"text": text, "int": number, "filename": text}


def _url(rule, values: dict) -> str:
    args = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            args[name] = sorted(converter.items)[0]
        elif "text" in values:  # nonsense
            if isinstance(converter, IntegerConverter):
                args[name] = values["int"]
            elif isinstance(converter, PathConverter):
                args[name] = values["filename"]
            else:
                args[name] = values["text"]
        elif name == "token":
            args[name] = values["token"][TOKEN_COLUMNS[rule.endpoint]]
        else:
            assert name in values, f"{rule.rule}: add a realistic sample for <{name}>"
            args[name] = values[name]
    return rule.build(args, append_unknown=False)[1]


def _snapshot() -> dict[str, str]:
    """A fingerprint of every table's rows (ordered by primary key)."""
    prints = {}
    for table in db.metadata.sorted_tables:
        skip = UNCHANGED_BY_GET.get(table.name, set())
        columns = [c for c in table.columns if c.name not in skip]
        rows = db.session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
        prints[table.name] = f"{len(rows)}:{hashlib.sha256(repr(rows).encode()).hexdigest()}"
    return prints


def _problems(method: str, url: str, result) -> list[str]:
    """A 500, or a refusal without a message (an alert on a Dutch page: no Accept-Language)."""
    where = f"{method} {url[:90]!r}: {result.status_code}"
    if result.status_code >= 500:
        return [where]
    if result.status_code >= 400 and result.mimetype == "text/html":
        body = result.get_data(as_text=True)
        if 'lang="nl"' not in body or 'role="alert"' not in body:
            return [f"{where} without a Dutch message"]
    return []


def _requests(value_sets):
    """(method, url) for every rule, every method and every set of URL arguments."""
    rules = sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule)
    for rule in rules:
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for values in value_sets:
            if not rule._converters and values is not value_sets[0]:
                continue  # a route without arguments needs one pass
            url = _url(rule, values)
            for method in methods:
                yield method, url
            yield "DELETE", url  # a method no route takes here: 405, not a crash


def test_every_route_answers_anonymous_visitors_without_a_500(demo):
    needs = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    person, follower = _own_rows(needs)
    value_sets = [
        _realistic("demo-peiling", "demo-bieb", person, follower),
        _realistic("demo-swipe", "demo-swipe", person, follower),
        *(
            _nonsense(text, NONSENSE_INT[i % len(NONSENSE_INT)])
            for i, text in enumerate(NONSENSE_TEXT)
        ),
    ]
    requests = list(_requests(value_sets))
    gets = [(m, u) for m, u in requests if m == "GET"]
    others = [(m, u) for m, u in requests if m != "GET"]
    assert len({u for _, u in gets}) > 100
    client = demo.test_client()
    failures, ok = [], 0

    before = _snapshot()
    for method, url in gets:
        with client.open(url, method=method) as result:
            failures += _problems(method, url, result)
            ok += result.status_code == 200
    db.session.expire_all()
    after = _snapshot()
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [], f"GET requests changed the tables {changed}"
    assert ok >= 25  # the realistic values open real pages, not only error pages

    for method, url in others:
        with demo.test_client().open(url, method=method) as result:
            failures += _problems(method, url, result)
            if method == "DELETE":
                assert result.status_code in (404, 405), (url, result.status_code)
    assert failures == [], "\n".join(failures)


def test_the_get_check_sees_a_change(demo):
    """The fingerprint notices a changed row, and ignores only the scan counter."""
    channel = db.session.scalar(select(Channel).where(Channel.code == "demo-bieb"))
    before = _snapshot()
    channel.scans += 1
    db.session.commit()
    assert _snapshot() == before
    question = db.session.scalar(select(Question).where(Question.code == "s1"))
    position = question.position
    question.position = position + 1000
    db.session.commit()
    changed = _snapshot()
    question.position = position
    db.session.commit()
    assert changed["question"] != before["question"]


def test_an_id_too_large_for_the_database_is_not_found(demo_client, sign_in):
    """Ids past the integer columns used to overflow (SQLite) or be refused (PostgreSQL): 500."""
    sign_in(demo_client, "admin")
    survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == "demo-peiling"))
    assert demo_client.get(f"/officer/surveys/{survey_id}/dashboard").status_code == 200
    for huge in (2**31, 2**63, 2**70):
        for url in (f"/officer/surveys/{huge}/dashboard", f"/officer/areas/{huge}"):
            result = demo_client.get(url)
            assert result.status_code == 404, url
            assert "Deze pagina bestaat niet." in result.get_data(as_text=True)
