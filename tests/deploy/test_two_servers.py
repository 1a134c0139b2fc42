"""Two app servers behind nginx share everything that matters: the answers, the officer's
session and the rate limits.

The set-up is the README's "Running it for real" (tests/deploy/stack.py): two gunicorn
servers on one PostgreSQL schema and one Redis database, the same SECRET_KEY and
TRUSTED_PROXIES=1, behind nginx round robin. nginx names the server of every answer in a
header; each server's own access log must agree.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
import redis
from sqlalchemy.exc import OperationalError

from bench import load_bench
from survey.features.demo.service import demo_officer
from tests.conftest import REQUIRE_POSTGRES
from tests.deploy import stack as stack_module
from tests.deploy.stack import Forms, Stack, Visitor, fill, nginx_binary

NEEDS = "demo-peiling"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SIGN_IN_LIMIT = int(stack_module.SIGN_IN_LIMIT.split()[0])  # posts allowed per minute


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    nginx = nginx_binary()
    if nginx is None:
        pytest.skip("nginx is not installed (`make test` installs it: apt-get install nginx)")
    try:
        stack = Stack(tmp_path_factory.mktemp("two-servers"), nginx).open()
    except (OperationalError, redis.ConnectionError) as exc:
        # As the PostgreSQL variants of the other tests: CI (REQUIRE_POSTGRES=1) must run it.
        if REQUIRE_POSTGRES:
            pytest.fail(f"the two-server test needs PostgreSQL and Redis: {exc}")
        pytest.skip(f"PostgreSQL or Redis is not running here: {exc}")
    yield stack
    stack.close()


@pytest.fixture
def visitor(stack):
    visitors: list[Visitor] = []

    def _visitor(address: str = "127.0.0.1") -> Visitor:
        visitors.append(Visitor(stack.port, address))
        return visitors[-1]

    yield _visitor
    for one in visitors:
        one.close()


def _assert_alternates(stack, upstreams: list[str]) -> None:
    """Every request went to the other server than the one before it, and both served."""
    assert set(upstreams) == set(stack.servers), upstreams
    assert all(a != b for a, b in zip(upstreams, upstreams[1:], strict=False)), upstreams


def _log_lines(stack, server: str) -> list[str]:
    """The server's access log without the start-up's health checks (their lines may be
    written after the test has started counting)."""
    path = stack.access_log(int(server.rsplit(":", 1)[1]))
    lines = path.read_text().splitlines() if path.exists() else []
    return [line for line in lines if not line.startswith("GET /health ")]


def _finish_survey(resident: Visitor) -> dict[str, list[tuple[str, str]]]:
    """Answer every screen of the needs survey with plain posts; return what was sent per
    question code."""
    status, path, page = resident.go("GET", f"/s/{NEEDS}")
    assert status == 200, page
    sent: dict[str, list[tuple[str, str]]] = {}
    for _ in range(60):
        if path.endswith("/klaar"):
            assert "Bedankt voor je antwoorden!" in page
            return sent
        (form,) = Forms(page).forms
        data = fill(form)
        if "/v/" in form["action"]:
            sent[form["action"].rsplit("/", 1)[1]] = data
        status, path, page = resident.go("POST", form["action"], data)
        assert status == 200, f"{form['action']} {data}: {status}\n{page[:2000]}"
    raise AssertionError(f"no thank-you page after 60 screens, at {path}")


def test_a_resident_alternating_between_servers_finishes_with_every_answer_once(stack, visitor):
    resident = visitor()
    before = {server: len(_log_lines(stack, server)) for server in stack.servers}
    sent = _finish_survey(resident)

    _assert_alternates(stack, resident.upstreams)
    assert len(resident.upstreams) > 2 * len(sent)  # every post and the GET after its 303
    # Each server's own access log holds the requests nginx says it sent there.
    for server in stack.servers:
        served = resident.upstreams.count(server)
        deadline = time.monotonic() + 5  # gunicorn writes the line after the response
        while len(_log_lines(stack, server)) - before[server] < served:
            assert time.monotonic() < deadline, f"{server} logged fewer than {served} requests"
            time.sleep(0.05)
        assert len(_log_lines(stack, server)) - before[server] == served

    key = dict(next(iter(sent.values())))["response"]
    ((responses, completed),) = stack.sql(
        "SELECT count(*), count(completed_at) FROM response WHERE uuid = :key", key=key
    )
    assert (responses, completed) == (1, 1)
    stored = stack.sql(
        "SELECT q.code, count(*) FROM answer a JOIN response r ON r.id = a.response_id "
        "JOIN question q ON q.id = a.question_id WHERE r.uuid = :key GROUP BY q.code",
        key=key,
    )
    assert dict(stored) == dict.fromkeys(sent, 1)
    assert len(sent) >= 19  # the core, the deeper questions and the show-if branch
    ((layer,),) = stack.sql("SELECT layer FROM response WHERE uuid = :key", key=key)
    assert layer == "deeper"
    status, report = load_bench.tallies_check(stack.database_url, stack.env())
    assert status == 0, report  # both servers kept the tallies exact


def test_an_officer_signed_in_once_stays_signed_in_on_both_servers(stack, visitor):
    officer = visitor()
    email, password = demo_officer()
    status, _, page = officer.go("GET", "/officer/login")
    assert status == 200
    form = {"csrf_token": CSRF.search(page).group(1), "email": email, "password": password}
    status, path, page = officer.go("POST", "/officer/login", form)
    assert (status, path) == (200, "/officer/"), page[:2000]
    ((survey_id,),) = stack.sql("SELECT id FROM survey WHERE slug = :slug", slug=NEEDS)
    pages = ["/officer/", "/officer/areas", "/officer/logboek", "/officer/medewerkers"]
    pages += [f"/officer/surveys/{survey_id}/dashboard", f"/officer/surveys/{survey_id}/responses"]
    signed_in = len(officer.upstreams)
    for page_path in pages:
        status, headers, page = officer.request("GET", page_path)
        assert status == 200, f"{page_path}: {status} {headers.get('Location')}"
        assert 'action="/officer/logout"' in page, page_path
    _assert_alternates(stack, officer.upstreams)
    assert set(officer.upstreams[signed_in:]) == set(stack.servers)


def _sign_in_attempt(flooder: Visitor, csrf: str, n: int) -> int:
    """A sign-in post without an address or password (refused with 422 before any password
    hashing, so the flood is quick; the limit counts every post alike), with a forged
    X-Forwarded-For: nginx appends the real address, and the app trusts only that last hop."""
    form = {"csrf_token": csrf, "email": "", "password": ""}
    headers = {"X-Forwarded-For": f"10.9.{n // 256}.{n % 256}"}
    status, _, _ = flooder.request("POST", "/officer/login", form, headers)
    return status


def test_a_flood_from_one_address_meets_one_limit_counted_on_both_servers(stack, visitor):
    flooder = visitor("127.0.0.2")
    status, _, page = flooder.request("GET", "/officer/login")
    assert status == 200
    csrf = CSRF.search(page).group(1)
    flooder.upstreams.clear()
    statuses = [_sign_in_attempt(flooder, csrf, n) for n in range(2 * SIGN_IN_LIMIT + 5)]

    assert statuses == [422] * SIGN_IN_LIMIT + [429] * (SIGN_IN_LIMIT + 5), statuses
    # Both servers took half of the allowed attempts: each alone would have allowed 20.
    _assert_alternates(stack, flooder.upstreams)
    allowed = flooder.upstreams[:SIGN_IN_LIMIT]
    assert allowed.count(stack.servers[0]) == allowed.count(stack.servers[1]) == SIGN_IN_LIMIT // 2
    counters = stack.redis.keys(f"*/{stack.key_prefix}/127.0.0.2/sign_in/*")
    assert counters, "the sign-in counter of the flooding address is not in Redis"

    # The limit is the flooding address's, not the balancer's: a neighbour still signs in.
    neighbour = visitor("127.0.0.3")
    status, _, page = neighbour.request("GET", "/officer/login")
    form = {
        "csrf_token": CSRF.search(page).group(1),
        "email": f"iemand-{uuid.uuid4().hex[:6]}@voorbeeldstad.nl",
        "password": "fout",
    }
    assert neighbour.request("POST", "/officer/login", form)[0] == 401
