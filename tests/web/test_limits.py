"""Rate limits, the flood guard and input limits, with the settings production uses."""

from __future__ import annotations

import copy
import re
import uuid

import pytest
import redis
from sqlalchemy import func, select

from bench import load_bench
from survey import config, create_app
from survey.core import limits
from survey.extensions import db, limiter
from survey.models import Answer, Channel, Response

REDIS_URL = "redis://127.0.0.1:6379/0"
TOKEN = re.compile(r'name="screen_token" value="([^"]+)"')
CLASS_ADDRESS = "198.51.100.40"


@pytest.fixture
def fake_clock(monkeypatch):
    """Every look at the flood guard's clock moves it 3 s on: residents read, never rush."""
    now = [1_800_000_000.0]

    def tick() -> float:
        now[0] += 3
        return now[0]

    monkeypatch.setattr(limits, "_now", tick)
    return now


@pytest.fixture
def limited(demo):
    """make(**settings): an app on the demo database with rate limits and guard switched on."""
    saved = dict(limiter.__dict__)
    saved["_storage_options"] = copy.copy(limiter._storage_options)
    made = []

    def make(url: str | None = None, **settings):
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "limits-test",
                "SQLALCHEMY_DATABASE_URI": url or demo.config["SQLALCHEMY_DATABASE_URI"],
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_STORAGE_URI": "memory://",
                "RATELIMIT_KEY_PREFIX": f"bp-test-{uuid.uuid4().hex[:12]}",
                **settings,
            }
        )
        made.append(app)
        return app

    yield make
    # The limiter is one object per process: give the other tests back their disabled one.
    limiter.__dict__.clear()
    limiter.__dict__.update(saved)
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _token(html: str) -> str:
    return TOKEN.search(html).group(1)


def _start(client, token: str | None = None, **extra):
    if token is None:
        token = _token(client.get("/s/demo-peiling").get_data(as_text=True))
    key = str(uuid.uuid4())
    data = {"response": key, "screen_token": token, **extra}
    return key, client.post("/s/demo-peiling/start", data=data)


def _stored(key: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Response.id)).where(Response.uuid == key))


@pytest.mark.parametrize("demo_app", ["sqlite"], indirect=True)
def test_a_school_class_of_40_phones_on_one_address_finishes_without_a_refusal(limited, fake_clock):
    """40 phones, one address, a 20-question survey: every post accepted (counts POSTs only;
    the fake clock makes the intro's time note old enough for every screen after it)."""
    code = f"klas-{uuid.uuid4().hex[:8]}"
    load_bench.add_bench_survey(code, questions=20)
    school = limited()
    phones = [_client(school, CLASS_ADDRESS) for _ in range(40)]
    statuses, keys = [], []
    for phone in phones:
        token = _token(phone.get(f"/s/{code}").get_data(as_text=True))
        key = str(uuid.uuid4())
        keys.append(key)
        data = {"response": key, "screen_token": token}
        location = phone.post(f"/s/{code}/start", data=data).headers["Location"]
        while "/v/" in location:
            result = phone.post(location, data={**data, "value": "4"})
            statuses.append(result.status_code)
            location = result.headers.get("Location", "")
    assert statuses == [303] * (40 * 20)
    stored = select(func.count(Answer.id)).join(Response).where(Response.uuid.in_(keys))
    assert db.session.scalar(stored) == 40 * 20


@pytest.mark.parametrize("demo_app", ["sqlite"], indirect=True)
def test_a_scripted_flood_of_answers_is_refused_with_a_dutch_message(limited, fake_clock):
    # The default (1200 a minute) is shown to be enough above; here a small one saves time.
    app = limited(LIMIT_ANSWER="30 per minute")
    bot = _client(app, "203.0.113.66")
    key, result = _start(bot)
    token = _token(bot.get(result.headers["Location"]).get_data(as_text=True))
    statuses = []
    for _ in range(40):
        data = {"response": key, "screen_token": token, "value": "BU09990202"}
        result = bot.post("/s/demo-peiling/v/buurt", data=data)
        statuses.append(result.status_code)
        if result.status_code == 429:
            break
    assert statuses == [303] * 29 + [429]  # the start counted as the first of 30
    assert "Even rustig aan" in result.get_data(as_text=True)
    assert "Retry-After" in result.headers
    # Another address is not affected.
    assert _start(_client(app, "203.0.113.67"))[1].status_code == 303


def test_a_flood_of_new_responses_is_refused_and_the_refused_ones_are_not_stored(
    limited, fake_clock
):
    bot = _client(limited(), "203.0.113.70")
    token = _token(bot.get("/s/demo-peiling").get_data(as_text=True))
    results = [_start(bot, token) for _ in range(61)]
    assert [r.status_code for _, r in results] == [303] * 60 + [429]
    key, refused = results[-1]
    assert "Even rustig aan" in refused.get_data(as_text=True)
    assert _stored(key) == 0 and _stored(results[0][0]) == 1


@pytest.mark.parametrize("demo_app", ["sqlite"], indirect=True)
def test_limits_count_per_resident_address_behind_a_trusted_proxy(limited, fake_clock):
    app = limited(TRUSTED_PROXIES=1, LIMIT_START="3 per minute")
    balancer = _client(app, "10.0.0.2")
    token = _token(balancer.get("/s/demo-peiling").get_data(as_text=True))
    flood = {"HTTP_X_FORWARDED_FOR": "203.0.113.80"}
    other = {"HTTP_X_FORWARDED_FOR": "203.0.113.81"}
    codes = [_client_post_start(balancer, token, flood) for _ in range(4)]
    assert codes == [303, 303, 303, 429]
    assert _client_post_start(balancer, token, other) == 303


def _client_post_start(client, token, headers_environ):
    data = {"response": str(uuid.uuid4()), "screen_token": token}
    return client.post(
        "/s/demo-peiling/start", data=data, environ_overrides=headers_environ
    ).status_code


@pytest.mark.parametrize("demo_app", ["sqlite"], indirect=True)
def test_counters_live_in_redis_when_it_is_configured(limited, fake_clock):
    prefix = f"bp-test-{uuid.uuid4().hex[:12]}"
    app = limited(
        RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix, LIMIT_START="2 per minute"
    )
    server = redis.Redis.from_url(REDIS_URL)
    try:
        bot = _client(app, "203.0.113.90")
        token = _token(bot.get("/s/demo-peiling").get_data(as_text=True))
        assert [_start(bot, token)[1].status_code for _ in range(3)] == [303, 303, 429]
        keys = server.keys(f"*{prefix}*")
        assert keys, "no rate-limit counters in Redis"
    finally:
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)
        server.close()


def test_redis_url_selects_redis_storage_and_memory_otherwise(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert config.from_environment(tmp_path)["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    assert config.from_environment(tmp_path)["RATELIMIT_STORAGE_URI"] == REDIS_URL


@pytest.mark.parametrize("demo_app", ["sqlite"], indirect=True)
def test_sign_in_is_rate_limited(limited):
    assert limits.DEFAULTS["LIMIT_SIGN_IN"] == "20 per minute"
    client = _client(limited(LIMIT_SIGN_IN="3 per minute"), "203.0.113.100")
    codes = [
        client.post(
            "/officer/login", data={"email": f"x{i}@example.org", "password": "wrong"}
        ).status_code
        for i in range(4)
    ]
    assert codes == [401, 401, 401, 429]


# The flood guard: a honeypot and a minimum human time per screen.


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(demo, demo_client):
    html = demo_client.get("/s/demo-peiling").get_data(as_text=True)
    block = re.search(r'<div class="hp-field" aria-hidden="true">.*?</div>', html, re.S).group(0)
    assert 'name="website"' in block and 'tabindex="-1"' in block
    assert 'autocomplete="off"' in block


@pytest.mark.parametrize("where", ["start", "answer"])
def test_a_filled_honeypot_stores_nothing(limited, fake_clock, where):
    client = _client(limited(), "203.0.113.110")
    if where == "start":
        key, result = _start(client, website="http://spam.example")
        assert result.status_code == 400 and _stored(key) == 0
        assert "Laad de pagina opnieuw" in result.get_data(as_text=True)
        return
    key, result = _start(client)
    token = _token(client.get(result.headers["Location"]).get_data(as_text=True))
    data = {"response": key, "screen_token": token, "value": "BU09990202", "website": "x"}
    result = client.post("/s/demo-peiling/v/buurt", data=data)
    assert result.status_code == 422
    assert (
        db.session.scalar(select(func.count(Answer.id)).join(Response).where(Response.uuid == key))
        == 0
    )


@pytest.mark.parametrize("token", ["fresh", "forged", "missing"])
def test_a_quick_post_is_stored_and_one_without_a_served_screen_is_refused(limited, token):
    client = _client(limited(), "203.0.113.120")
    served = _token(client.get("/s/demo-peiling").get_data(as_text=True))  # real clock: now
    value = {"fresh": served, "forged": served[:-3] + "abc", "missing": None}[token]
    key = str(uuid.uuid4())
    data = {"response": key} | ({"screen_token": value} if value else {})
    result = client.post("/s/demo-peiling/start", data=data)
    html = result.get_data(as_text=True)
    if token == "fresh":  # no one is refused for being quick
        assert result.status_code == 303 and _stored(key) == 1
    else:
        assert _stored(key) == 0
        assert result.status_code == 400 and "Laad de pagina opnieuw" in html


def test_a_person_who_reads_first_is_let_through(limited, monkeypatch):
    client = _client(limited(), "203.0.113.130")
    served = _token(client.get("/s/demo-peiling").get_data(as_text=True))
    later = limits._now() + 1.5
    monkeypatch.setattr(limits, "_now", lambda: later)
    key = str(uuid.uuid4())
    result = client.post("/s/demo-peiling/start", data={"response": key, "screen_token": served})
    assert result.status_code == 303 and _stored(key) == 1


def test_an_answer_in_the_same_instant_as_its_screen_is_stored(limited, fake_clock):
    client = _client(limited(), "203.0.113.140")
    key, result = _start(client)
    fake_clock[0] -= 100  # the next look at the clock is "before" the screen was served
    token = _token(client.get(result.headers["Location"]).get_data(as_text=True))
    fake_clock[0] -= 100
    data = {"response": key, "screen_token": token, "value": "BU09990202"}
    result = client.post("/s/demo-peiling/v/buurt", data=data)
    assert result.status_code == 303
    assert (
        db.session.scalar(select(func.count(Answer.id)).join(Response).where(Response.uuid == key))
        == 1
    )


# Input limits.


def test_a_request_larger_than_the_limit_is_413_with_a_dutch_message(demo, demo_client):
    key = str(uuid.uuid4())
    result = demo_client.post(
        "/s/demo-peiling/start", data={"response": key, "value": "x" * (3 * 1024 * 1024)}
    )
    assert result.status_code == 413
    assert "te groot" in result.get_data(as_text=True)
    assert _stored(key) == 0


def test_too_many_multipart_form_parts_is_413(demo, demo_client):
    data = {f"field{i}": "1" for i in range(600)}
    result = demo_client.post(
        "/s/demo-peiling/start", data=data, content_type="multipart/form-data"
    )
    assert result.status_code == 413 and "te groot" in result.get_data(as_text=True)


@pytest.mark.parametrize(
    "extra",
    [
        {"value": [str(i) for i in range(80)]},
        {f"f{i}": "1" for i in range(600)},
        {"note": "x" * 6000},
    ],
    ids=["too-many-values", "too-many-fields", "too-long-value"],
)
def test_too_many_or_too_long_values_are_refused_before_storing(demo, demo_client, extra):
    key = str(uuid.uuid4())
    result = demo_client.post("/s/demo-peiling/start", data={"response": key, **extra})
    assert result.status_code == 400
    assert "te veel of te lange" in result.get_data(as_text=True)
    assert _stored(key) == 0


@pytest.mark.parametrize("demo_app", ["sqlite"], indirect=True)
def test_reloads_and_a_scripted_flood_do_not_inflate_the_qr_scans(limited):
    """A phone counts once a day; a script without cookies counts up to LIMIT_SCAN a day."""
    app = limited(LIMIT_SCAN="5 per hour")

    def scans() -> int:
        db.session.expire_all()
        return db.session.scalar(select(Channel.scans).where(Channel.code == "demo-bieb"))

    before = scans()
    phone = _client(app, "198.51.100.7")
    for _ in range(4):
        assert phone.get("/s/demo-bieb").status_code == 200
    assert scans() == before + 1
    for _ in range(30):  # a new cookie-less client each time, one address
        assert _client(app, "203.0.113.9").get("/s/demo-bieb").status_code == 200
    assert scans() == before + 1 + 5  # the page is served every time; the count stops
    assert _client(app, "203.0.113.10").get("/s/demo-bieb").status_code == 200
    assert scans() == before + 7  # another address still counts


def test_an_empty_setting_is_its_default_and_zero_is_a_value(app):
    """Both kinds of limit read one rule: a LIMIT_* environment variable set to nothing, or
    a cap left empty, means the default; a cap of 0 stays 0."""
    saved = {name: app.config.get(name) for name in ("LIMIT_ANSWER", "BURST_STARTS")}
    try:
        app.config.update(LIMIT_ANSWER="", BURST_STARTS="")
        assert limits.setting("LIMIT_ANSWER") == limits.DEFAULTS["LIMIT_ANSWER"]
        assert limits._setting("LIMIT_ANSWER")() == limits.DEFAULTS["LIMIT_ANSWER"]
        assert limits.setting("BURST_STARTS") == limits.DEFAULTS["BURST_STARTS"]
        app.config.update(BURST_STARTS=0, LIMIT_ANSWER="5 per minute")
        assert limits.setting("BURST_STARTS") == 0
        assert limits._setting("LIMIT_ANSWER")() == "5 per minute"
    finally:
        app.config.update(saved)
