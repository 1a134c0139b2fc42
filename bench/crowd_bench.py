"""A crowd: 1,000 residents arriving over two minutes with human think times (issue 16).

Run from the repository root (figures in BENCHMARKS.md, "A crowd of 1,000 residents"):

    .venv/bin/python bench/crowd_bench.py                         # SQLite (WAL) and PostgreSQL
    .venv/bin/python bench/crowd_bench.py --engine sqlite --residents 200 --think 0.1

For each engine it builds a fresh database (bench/load_bench.py: migrations and the bench
survey), starts gunicorn on it and lets the residents arrive at uniformly random moments in
`--arrival-seconds` (a Poisson stream with its total fixed). Each one scans the QR code (GET
/s/<code>), reads the intro, taps Begin, then answers one question per screen with a lognormal
think time (median 4 s, 90% between 2 and 8 s, times `--think`), as a phone does: a plain
form post, a 303 and the GET of the next screen; or, for the htmx residents, one post that
answers 200 with the next screen and its address in HX-Push-Url. Fixed shares of the crowd
(exact counts, drawn from `--seed`) behave otherwise: double tappers send some answers twice
at once on two connections, changers go back two screens and change an answer, then walk
forward again re-sending what the screen shows, abandoners stop halfway (their answers
count). Every resident comes from an address of its own (X-Forwarded-For with TRUSTED_PROXIES=1),
so the real rate limits, suspicion rules and flood guard apply as in production; a 429 or 503
is sent again later with a growing pause, as the offline queue does, and reported.

At the end: every acknowledged answer stored exactly once with the last value the server
acknowledged, one response per resident (complete for those who finished, open for those who
stopped), `flask tallies check` clean, no 5xx (a 503, the app's "database busy", is sent again
and reported), no connection dropped or request timed out (a proxy would have turned those into
502/504). It exits 1 on any problem.

Why plain asyncio with a small HTTP/1.1 client: a thousand residents who spend most of their
time thinking are a thousand sleeping coroutines in one thread, which leaves the two cores to
the server; a thousand threads would work too, but spend the client's share of the CPU on
switching between them. The client keeps a connection alive while the server does (gthread);
gunicorn's sync workers close every connection after one response and a gthread worker closes
an idle one after --keep-alive seconds, so a resident then connects again, as a phone does (a
reused connection that the server closed meanwhile is sent again on a new one, and counted).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from bench import load_bench  # noqa: E402

CODE = load_bench.CODE
TIMEOUT = 60  # seconds a phone waits for an answer before it gives up and sends again
ATTEMPTS = 20  # times a request is sent before the resident gives up (and the run fails)
FIELD = re.compile(r'name="(csrf_token|response|screen_token)" value="([^"]*)"')
BACK = re.compile(r'href="([^"]+)" class="back"')
QUESTION = re.compile(rf"^/s/{CODE}/v/(q\d+)$")


@dataclass
class Settings:
    residents: int = 1000
    arrival_seconds: float = 120
    think: float = 1.0
    questions: int = load_bench.QUESTIONS
    workers: int = 4
    worker_class: str = "sync"
    threads: int = 1
    seed: int = 16
    double_tappers: float = 0.10
    changers: float = 0.05
    htmx: float = 0.10
    abandoners: float = 0.10


@dataclass
class Tally:
    """What the crowd saw, over all residents."""

    statuses: Counter = field(default_factory=Counter)
    retried: Counter = field(default_factory=Counter)
    dropped: int = 0
    timeouts: int = 0
    reconnects: int = 0
    connections: int = 0
    answer_seconds: list = field(default_factory=list)
    active: int = 0
    peak: int = 0


class Reply:
    def __init__(self, status: int, headers: list[tuple[str, str]], text: str):
        self.status, self.headers, self.text = status, headers, text

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k == name.lower()]
        return values[-1] if values else None


class Connection:
    """A phone's HTTP/1.1 connection: kept while the server keeps it, else made anew."""

    def __init__(self, port: int, tally: Tally):
        self.port, self.tally = port, tally
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, raw: bytes) -> Reply:
        reused = self.writer is not None and not self.reader.at_eof()
        if not reused:
            await self._open()
        try:
            return await self._exchange(raw)
        except (OSError, asyncio.IncompleteReadError):
            self.close()
            if not reused:
                raise
        self.tally.reconnects += 1  # the server closed it while we thought: as a browser does
        await self._open()
        return await self._exchange(raw)

    async def _open(self) -> None:
        self.close()
        self.tally.connections += 1
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def _exchange(self, raw: bytes) -> Reply:
        self.writer.write(raw)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before a reply")
        version, status = status_line.split(b" ", 2)[:2]
        headers = []
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers.append((name.strip().lower(), value.strip()))
        reply = Reply(int(status), headers, "")
        if reply.header("transfer-encoding") == "chunked":
            body = await self._chunks()
        elif (length := reply.header("content-length")) is not None:
            body = await self.reader.readexactly(int(length))
        else:
            body = await self.reader.read()
        reply.text = body.decode()
        if version == b"HTTP/1.0" or (reply.header("connection") or "").lower() == "close":
            self.close()
        return reply

    async def _chunks(self) -> bytes:
        body = b""
        while size := int((await self.reader.readline()).split(b";")[0], 16):
            body += await self.reader.readexactly(size)
            await self.reader.readline()
        await self.reader.readline()
        return body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Refused(Exception):
    """The server answered something a resident cannot go on from."""


@dataclass
class Screen:
    path: str
    text: str

    def fields(self) -> dict:
        return dict(FIELD.findall(self.text)) | {"website": ""}


class Resident:
    def __init__(self, number: int, arrival: float, port: int, tally: Tally, rng: random.Random):
        self.number, self.arrival, self.port, self.tally, self.rng = (
            number, arrival, port, tally, rng
        )  # fmt: skip
        self.address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        self.key = ""  # the response's UUID, from the intro screen as the page's script keeps it
        self.acked: dict[str, str] = {}  # qcode -> the last value the server acknowledged
        self.cookies: dict[str, str] = {}
        self.conn = Connection(port, tally)
        self.htmx = self.double_taps = self.changes = False
        self.abandon_after: int | None = None
        self.finished = self.abandoned = self.changed = False
        self.error: Exception | None = None

    # Requests: each is sent until the server takes it, as the offline queue does.

    def _raw(self, method: str, path: str, form: dict | None) -> bytes:
        headers = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                   f"X-Forwarded-For: {self.address}", "User-Agent: crowd-bench"]  # fmt: skip
        if self.cookies:
            headers.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if self.htmx and (method == "POST" or path != f"/s/{CODE}"):  # the scan is a full page
            headers.append("HX-Request: true")
        body = urllib.parse.urlencode(form).encode() if form is not None else b""
        if form is not None:
            headers += ["Content-Type: application/x-www-form-urlencoded"]
        headers.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(headers) + "\r\n\r\n").encode() + body

    async def call(self, method, path, form=None, ok=(200,), answer=False, conn=None) -> Reply:
        conn, pause = conn or self.conn, 1.0
        for _ in range(ATTEMPTS):
            began = time.perf_counter()
            try:
                reply = await asyncio.wait_for(conn.send(self._raw(method, path, form)), TIMEOUT)
            except TimeoutError:
                self.tally.timeouts += 1
                conn.close()
                continue
            except (OSError, asyncio.IncompleteReadError, ValueError):
                self.tally.dropped += 1
                await asyncio.sleep(1)
                continue
            self.tally.statuses[reply.status] += 1
            if answer:
                self.tally.answer_seconds.append(time.perf_counter() - began)
            for header in (v for k, v in reply.headers if k == "set-cookie"):
                name, _, value = header.split(";", 1)[0].partition("=")
                self.cookies[name] = value
            if reply.status in ok:
                return reply
            if reply.status not in (429, 503):  # a 500 fails the run; a 4xx is a bench bug
                raise Refused(f"{method} {path}: {reply.status} {reply.text[:200]!r}")
            self.tally.retried[reply.status] += 1  # busy: later, as the offline queue does
            await asyncio.sleep(float(reply.header("retry-after") or pause))
            pause = min(pause * 2, 30)
        raise Refused(f"{method} {path}: not taken in {ATTEMPTS} attempts")

    async def submit(self, path: str, form: dict, qcode: str | None = None) -> Screen:
        """Post a form (twice at once for a double tap) and return the screen that follows."""
        ok = (200,) if self.htmx else (303,)
        double = qcode is not None and self.double_taps and self.rng.random() < 0.3
        first = self.call("POST", path, form, ok, answer=qcode is not None)
        if double:  # the second tap ~0.1 s later on a new connection, as a browser sends it
            second = self._second_tap(path, form, ok)
            _, reply = await asyncio.gather(first, second)
        else:
            reply = await first
        if qcode is not None:
            self.acked[qcode] = form["value"]
        if self.htmx:
            pushed = reply.header("hx-push-url")
            if not pushed:
                raise Refused(f"POST {path}: htmx reply without HX-Push-Url")
            return Screen(pushed, reply.text)
        return await self.show(urllib.parse.urlsplit(reply.header("location")).path)

    async def _second_tap(self, path, form, ok) -> Reply:
        await asyncio.sleep(self.rng.uniform(0.05, 0.2))
        tap = Connection(self.port, self.tally)
        try:
            return await self.call("POST", path, form, ok, answer=True, conn=tap)
        finally:
            tap.close()

    async def show(self, path: str) -> Screen:
        return Screen(path, (await self.call("GET", path)).text)

    async def think(self, scale: float, factor: float = 1.0) -> None:
        await asyncio.sleep(scale * factor * self.rng.lognormvariate(math.log(4), 0.4))

    # The walk through the survey.

    async def run(self, settings: Settings, started: float) -> None:
        await asyncio.sleep(max(0.0, started + self.arrival - time.monotonic()))
        self.tally.active += 1
        self.tally.peak = max(self.tally.peak, self.tally.active)
        try:
            await self._walk(settings)
        except Exception as exc:  # noqa: BLE001 - reported by verify()
            self.error = exc
        finally:
            self.tally.active -= 1
            self.conn.close()

    async def _walk(self, settings: Settings) -> None:
        intro = await self.show(f"/s/{CODE}")  # the QR scan
        self.key = intro.fields()["response"]
        await self.think(settings.think, 1.5)
        screen = await self.submit(f"/s/{CODE}/start", intro.fields())
        intended: dict[str, str] = {}
        change_at = self.rng.randrange(3, settings.questions) if self.changes else None
        for _ in range(3 * settings.questions):
            if screen.path == f"/s/{CODE}/klaar":
                self.finished = True
                return
            qcode = QUESTION.match(screen.path)
            if qcode is None:
                raise Refused(f"unexpected screen {screen.path}")
            qcode = qcode.group(1)
            if self.abandon_after is not None and len(self.acked) >= self.abandon_after:
                self.abandoned = True
                return
            if change_at is not None and len(self.acked) >= change_at:
                change_at, screen = None, await self._go_back(screen, settings)
                qcode = QUESTION.match(screen.path).group(1)
                old = intended[qcode]
                intended[qcode] = self.rng.choice([v for v in "12345" if v != old])
                self.changed = True
            intended.setdefault(qcode, str(self.rng.randint(1, 5)))
            await self.think(settings.think)
            form = screen.fields() | {"value": intended[qcode]}
            screen = await self.submit(screen.path, form, qcode)
        raise Refused("never reached the end")

    async def _go_back(self, screen: Screen, settings: Settings) -> Screen:
        """Tap Vorige twice, as someone who wants to change an earlier answer."""
        for _ in range(2):
            await self.think(settings.think, 0.3)
            screen = await self.show(BACK.search(screen.text).group(1))
        return screen


def cast(settings: Settings, port: int, tally: Tally) -> list[Resident]:
    """The crowd: arrival moments and exact shares of each behaviour, from the seed."""
    rng = random.Random(settings.seed)
    n = settings.residents
    arrivals = [rng.uniform(0, settings.arrival_seconds) for _ in range(n)]
    crowd = [Resident(i, arrivals[i], port, tally, random.Random(rng.random())) for i in range(n)]

    def some(share: float) -> list[Resident]:
        return rng.sample(crowd, min(n, max(1, round(share * n)))) if share > 0 else []

    for resident in some(settings.htmx):
        resident.htmx = True
    for resident in some(settings.double_tappers):
        resident.double_taps = True
    for resident in some(settings.changers):
        resident.changes = True
    for resident in some(settings.abandoners):
        resident.abandon_after = rng.randrange(settings.questions // 4, 3 * settings.questions // 4)
    return crowd


# The check afterwards.


def verify(url: str, crowd: list[Resident]) -> list[str]:
    """load_bench's check (each acknowledged answer once, with the last acknowledged value; one
    response each), and the response complete exactly when its resident finished."""
    from sqlalchemy import create_engine, text

    problems = load_bench.verify(url, crowd)
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT uuid, completed_at IS NOT NULL FROM response")).all()
    engine.dispose()
    complete = {str(key): bool(done) for key, done in rows}
    for resident in crowd:
        if resident.error is None and complete.get(resident.key) != resident.finished:
            stored = complete.get(resident.key)
            problems.append(f"{resident.key}: finished {resident.finished}, complete {stored}")
    return problems


@dataclass
class Outcome:
    crowd: list[Resident]
    tally: Tally
    seconds: float
    problems: list[str]
    tallies: tuple[int, str]

    def failed(self) -> bool:
        return bool(
            self.problems or self.tallies[0] or self.tally.dropped or self.tally.timeouts
            or any(status >= 500 and status != 503 for status in self.tally.statuses)
        )  # fmt: skip


def run_crowd(url: str, settings: Settings) -> Outcome:
    """Prepare the database at `url`, serve it, let the crowd in, check what was stored."""
    from survey.core.limits import DEFAULTS

    load_bench.prepare_database(url, settings.questions)
    real = {"TRUSTED_PROXIES": "1", "HUMAN_MIN_SECONDS": "0.5"}
    real |= {name: DEFAULTS[name] for name in ("LIMIT_START", "LIMIT_ANSWER")}
    server = load_bench.Server(url, load_bench.free_port(), settings.workers,
                               settings.worker_class, settings.threads, extra_env=real)  # fmt: skip
    tally = Tally()
    server.start()
    try:
        crowd = cast(settings, server.port, tally)
        began = time.monotonic()
        _in_own_loop(lambda: _gather(crowd, settings, began))
        seconds = time.monotonic() - began
    finally:
        server.stop()
    return Outcome(crowd, tally, seconds, verify(url, crowd), load_bench.tallies_check(url))


def _in_own_loop(make) -> None:
    """Run the coroutine `make()` returns to its end on an event loop of its own, in a thread
    of its own: the caller's thread may have a loop running already (Playwright's sync API
    leaves one in a test worker), and asyncio.run refuses to start a second one there."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(make())
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="crowd")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


async def _gather(crowd: list[Resident], settings: Settings, began: float) -> None:
    await asyncio.gather(*(resident.run(settings, began) for resident in crowd))


# The report.


def report(engine: str, outcome: Outcome) -> None:
    crowd, tally = outcome.crowd, outcome.tally
    finished = sum(r.finished for r in crowd)
    abandoned = sum(r.abandoned for r in crowd)
    posts = sorted(tally.answer_seconds)
    quantiles = statistics.quantiles(posts, n=100) if len(posts) > 1 else posts * 99
    print(f"\n{engine}: {len(crowd)} residents: {finished} finished, {abandoned} abandoned, "
          f"{sum(r.error is not None for r in crowd)} failed; "
          f"{sum(len(r.acked) for r in crowd):,} answers acknowledged; "
          f"wall {outcome.seconds:.0f} s; peak {tally.peak} residents at once")  # fmt: skip
    print("  statuses: " + ", ".join(f"{s} × {c:,}" for s, c in sorted(tally.statuses.items())))
    print(f"  sent again later: 429 × {tally.retried[429]}, 503 × {tally.retried[503]}; "
          f"dropped connections {tally.dropped}, timeouts {tally.timeouts}, "
          f"keep-alive reconnects {tally.reconnects}; {tally.connections:,} connections "
          f"for {sum(tally.statuses.values()):,} requests")  # fmt: skip
    if posts:
        print(f"  answer posts ({len(posts):,}): p50 {quantiles[49] * 1000:.0f} ms, "
              f"p95 {quantiles[94] * 1000:.0f} ms, max {posts[-1] * 1000:.0f} ms")  # fmt: skip
    kinds = {"htmx": "htmx", "double_taps": "double tappers", "changed": "changed an answer"}
    print("  of them: " + ", ".join(
        f"{sum(getattr(r, attr) for r in crowd)} {label}" for attr, label in kinds.items()
    ))  # fmt: skip
    status, text = outcome.tallies
    print(f"  tallies check: exit {status}, {text.strip()}")
    if outcome.problems:
        print(f"  PROBLEMS ({len(outcome.problems)}):")
        for problem in outcome.problems[:10]:
            print("   ", problem)
    elif not outcome.failed():
        busy = f"no 5xx but {tally.retried[503]} × 503" if tally.retried[503] else "no 5xx"
        print("  every acknowledged answer stored exactly once with its last value, one "
              f"response each, {busy}")  # fmt: skip


def run_engine(engine: str, settings: Settings) -> Outcome:
    tmp = Path(tempfile.mkdtemp(prefix="bp-crowd-"))
    url, schema = (load_bench.sqlite_url(tmp), None)
    if engine == "postgresql":
        url, schema = load_bench.postgres_url()
    try:
        return run_crowd(url, settings)
    finally:
        if schema:
            load_bench.drop_schema(schema)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "postgresql", "both"],
                        default="both")  # fmt: skip
    defaults = Settings()
    for name in ("residents", "arrival_seconds", "think", "questions", "workers", "threads",
                 "seed"):  # fmt: skip
        value = getattr(defaults, name)
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    args = parser.parse_args()
    settings = Settings(**{k: v for k, v in vars(args).items() if k != "engine"})
    engines = {"both": ["sqlite", "postgresql"], "postgres": ["postgresql"]}.get(
        args.engine, [args.engine]
    )
    print(f"gunicorn {settings.workers} {settings.worker_class} workers x {settings.threads} "
          f"threads, {os.cpu_count()} cores; {settings.residents} residents over "
          f"{settings.arrival_seconds:g} s, {settings.questions} questions, think time x"
          f"{settings.think:g} (median {4 * settings.think:g} s a question), "
          f"seed {settings.seed}")  # fmt: skip
    failed = False
    for engine in engines:
        load = os.getloadavg()[0]
        outcome = run_engine(engine, settings)
        report(engine, outcome)
        print(f"  load average (1 min) {load:.1f} before, {os.getloadavg()[0]:.1f} after")
        failed |= outcome.failed()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
