"""Answering under load: many residents at once against a real gunicorn, nothing lost.

Run from the repository root (figures in BENCHMARKS.md, section "Answering under load"):

    .venv/bin/python bench/load_bench.py                  # SQLite (WAL) and PostgreSQL
    .venv/bin/python bench/load_bench.py --engine sqlite --workers 4 --seconds 10

For each engine it
1. builds a fresh database (migrations + a 20-question survey) and starts gunicorn on it;
2. drives 50 concurrent residents (threads, one keep-alive connection each) through the
   survey, recording every answer the server acknowledged with a 303, and then checks in
   the database that each acknowledged answer is stored exactly once with its value;
3. measures the answer endpoint with `wrk` (50 connections; apt-get install wrk): answers
   per second and p50/p95 latency, first as plain form posts (a 303 each), then as htmx
   posts them (HX-Request: the next screen in a 200), against a bare Flask hello-world
   (bench/hello.py) under the same gunicorn settings, in the same run, and prints the ratios.

The rate limiter stays on (memory storage) with a limit no benchmark reaches; the flood
guard's minimum time is off (a script answers faster than a person, which is its point).
tests/web/test_crash.py reuses the helpers to kill the server mid-load.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CODE = "bench"
QUESTIONS = 20
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# The database: a fresh SQLite file or PostgreSQL schema with one 20-question survey.


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'bench.sqlite3'}"


def postgres_url() -> tuple[str, str]:
    """A new schema of its own on PostgreSQL: (url, schema)."""
    from sqlalchemy import create_engine, text

    schema = f"bp_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def prepare_database(url: str, questions: int = QUESTIONS) -> None:
    """Migrate and add the bench survey."""
    from flask_migrate import upgrade

    from survey import create_app
    from survey.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        add_bench_survey(questions=questions)
        db.engine.dispose()


def add_bench_survey(code: str = CODE, questions: int = QUESTIONS) -> None:
    """An open survey with one channel `code` and required scale questions q00, q01, ..."""
    from survey.extensions import db
    from survey.models import Channel, Question, Survey

    survey = Survey(slug=code, status="open", title={"nl": "Bench"}, languages=["nl"])
    for i in range(questions):
        text = {"nl": f"Vraag {i + 1}: hoe tevreden bent u?"}
        survey.questions.append(
            Question(position=i, code=f"q{i:02d}", type="scale", text=text, required=True)
        )
    db.session.add(survey)
    db.session.add(Channel(code=code, survey=survey, label="bench", kind="poster"))
    db.session.commit()


def stored_answers(url: str) -> tuple[dict[tuple[str, str], list], dict[str, int]]:
    """What the database holds: {(uuid, qcode): [values...]} and {uuid: number of responses}."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT r.uuid, q.code, a.value FROM answer a "
                "JOIN response r ON r.id = a.response_id JOIN question q ON q.id = a.question_id"
            )
        ).all()
        counts = conn.execute(text("SELECT uuid, count(*) FROM response GROUP BY uuid")).all()
    engine.dispose()
    answers: dict[tuple[str, str], list] = {}
    for key, qcode, value in rows:
        value = json.loads(value) if isinstance(value, str) else value
        answers.setdefault((key, qcode), []).append(value)
    return answers, dict(counts)


# The server: gunicorn as a subprocess of its own process group.


def tallies_check(url: str, env: dict | None = None) -> tuple[int, str]:
    """`flask tallies check` on the database: its exit status and what it printed."""
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "app", "tallies", "check"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "bench-secret", **(env or {}), "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    app: str = "app:app"
    probe: str = "/health"
    extra_env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def env(self) -> dict:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "SECRET_KEY": "bench-secret",
            "HUMAN_MIN_SECONDS": "0",
            "LIMIT_START": "1000000 per minute",
            "LIMIT_ANSWER": "1000000 per minute",
            **self.extra_env,
        }

    def start(self, timeout: float = 60) -> None:
        try:
            self._start(timeout)
        except BaseException:
            self.kill()
            raise

    def _start(self, timeout: float) -> None:
        command = [
            str(BIN / "gunicorn"),
            "--workers", str(self.workers),
            "--worker-class", self.worker_class,
            "--threads", str(self.threads),
            "--bind", f"127.0.0.1:{self.port}",
            "--log-level", "warning",
            self.app,
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env(), start_new_session=True, stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", self.probe)
                if conn.getresponse().status == 200:
                    return
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
            finally:
                conn.close()
        raise RuntimeError(f"gunicorn did not answer {self.probe} in time")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: a crash, no graceful anything."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


# The residents: each answers every question; a failed post is sent again (as the offline
# queue does), so a crash delays answers but must never lose or double one.


class Resident:
    def __init__(self, port: int, deadline: float):
        self.port, self.deadline = port, deadline
        self.key = str(uuid.uuid4())
        self.acked: dict[str, str] = {}  # qcode -> value the server acknowledged
        self.cookie = ""
        self.csrf = ""
        self.conn: http.client.HTTPConnection | None = None
        self.latencies: list[float] = []

    def _request(self, method: str, path: str, body: dict | None = None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session="):
                self.cookie = header.split(";", 1)[0]
        return response.status, text

    def _until_done(self, method, path, body=None, ok=(200, 303)):
        while time.monotonic() < self.deadline:
            began = time.perf_counter()
            try:
                status, text = self._request(method, path, body)
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)
                continue
            if status in ok:
                return status, text, time.perf_counter() - began
            time.sleep(0.05)  # 503 or 429: wait a moment and send it again
        raise TimeoutError(f"{method} {path} never succeeded")

    def run(self) -> None:
        try:
            self._answer_all()
        finally:
            if self.conn:
                self.conn.close()

    def _answer_all(self) -> None:
        _, page, _ = self._until_done("GET", f"/s/{CODE}")
        self.csrf = CSRF.search(page).group(1)
        form = {"csrf_token": self.csrf, "response": self.key}
        self._until_done("POST", f"/s/{CODE}/start", form, ok=(303,))
        for i in range(QUESTIONS):
            qcode, value = f"q{i:02d}", str(random.randint(1, 5))
            path = f"/s/{CODE}/v/{qcode}"
            _, _, seconds = self._until_done("POST", path, {**form, "value": value}, ok=(303,))
            self.acked[qcode] = value
            self.latencies.append(seconds)


def drive(port: int, residents: int, seconds_limit: float = 60) -> list[Resident]:
    """Start `residents` threads answering the whole survey; return them (not yet joined)."""
    deadline = time.monotonic() + seconds_limit
    crowd = [Resident(port, deadline) for _ in range(residents)]
    for resident in crowd:
        resident.thread = threading.Thread(target=_safe_run, args=(resident,), daemon=True)
        resident.thread.start()
    return crowd


def _safe_run(resident: Resident) -> None:
    try:
        resident.run()
    except Exception as exc:  # noqa: BLE001 - reported by verify()
        resident.error = exc


def acknowledged(crowd: list[Resident]) -> int:
    return sum(len(r.acked) for r in crowd)


def verify(url: str, crowd: list[Resident]) -> list[str]:
    """Every acknowledged answer stored exactly once with its value; return the problems."""
    problems = [f"{r.key}: {r.error!r}" for r in crowd if getattr(r, "error", None)]
    answers, responses = stored_answers(url)
    for resident in crowd:
        if responses.get(resident.key) != 1:
            problems.append(f"{resident.key}: {responses.get(resident.key, 0)} responses")
        for qcode, value in resident.acked.items():
            values = answers.get((resident.key, qcode), [])
            if len(values) != 1 or str(values[0]) != value:
                problems.append(f"{resident.key} {qcode}: acknowledged {value}, stored {values}")
    return problems


# The throughput comparison with wrk.

WRK_SCRIPT = """
wrk.headers["Cookie"] = "%(cookie)s"
%(htmx)s
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
keys, counter, next_id = {}, 0, 0
for line in io.lines("%(keys)s") do keys[#keys + 1] = line end
function setup(thread) thread:set("id", next_id); next_id = next_id + 1 end
function request()
  counter = counter + 1
  local i = counter * %(threads)d + (id or 0)
  local key = keys[(i %% #keys) + 1]
  local q = string.format("q%%02d", math.floor(i / #keys) %% %(questions)d)
  local body = "%(prefix)s&response=" .. key .. "&value=" .. (i %% 5 + 1)
  return wrk.format("POST", "/s/%(code)s/v/" .. q, nil, body)
end
function done(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50\\": %%f, " ..
    "\\"p95\\": %%f, \\"errors\\": %%d, \\"non2xx3xx\\": %%d}\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""
HELLO_SCRIPT = (
    'function request() return wrk.format("GET", "/") end\n'
    + "function done"
    + WRK_SCRIPT.split("function done")[1]
)


def wrk(port: int, script: str, seconds: int, connections: int = 50, threads: int = 2) -> dict:
    path = Path(tempfile.mkstemp(suffix=".lua")[1])
    path.write_text(script)
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(path),
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        path.unlink()
    result = json.loads(out.split("JSON ", 1)[1].splitlines()[0])
    result["rate"] = result["requests"] / result["seconds"]
    return result


def answer_throughput(port: int, seconds: int, htmx: bool = False, residents: int = 2000) -> dict:
    """Start `residents` responses through the app, then let wrk post answers to them: plain
    form posts (a 303 each), or with `htmx` as htmx posts them (the next screen in a 200)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", f"/s/{CODE}")
    response = conn.getresponse()
    # The session cookie, which holds the CSRF secret (not the scan cookie set before it).
    cookie = next(
        header.split(";", 1)[0]
        for header in response.headers.get_all("Set-Cookie")
        if header.startswith("session=")
    )
    csrf = CSRF.search(response.read().decode()).group(1)
    keys = [str(uuid.uuid4()) for _ in range(residents)]
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    for key in keys:
        conn.request("POST", f"/s/{CODE}/start", f"csrf_token={csrf}&response={key}", headers)
        started = conn.getresponse()
        started.read()
        assert started.status == 303, f"start answered {started.status}"
    conn.close()
    keys_file = Path(tempfile.mkstemp(suffix=".txt")[1])
    keys_file.write_text("\n".join(keys) + "\n")
    script = WRK_SCRIPT % {
        "cookie": cookie,
        "htmx": 'wrk.headers["HX-Request"] = "true"' if htmx else "",
        "keys": keys_file,
        "threads": 2,
        "questions": QUESTIONS,
        "prefix": f"csrf_token={urllib.parse.quote(csrf)}",
        "code": CODE,
    }
    try:
        return wrk(port, script, seconds)
    finally:
        keys_file.unlink()


def hello_throughput(server: Server, seconds: int) -> dict:
    hello = Server(server.url, free_port(), server.workers, server.worker_class, server.threads,
                   app="bench.hello:app", probe="/")  # fmt: skip
    hello.start()
    try:
        return wrk(hello.port, HELLO_SCRIPT.replace("%%", "%"), seconds)
    finally:
        hello.stop()


# One engine, start to end.


def run_engine(engine: str, args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bp-bench-"))
    schema = None
    url = sqlite_url(tmp) if engine == "sqlite" else None
    if engine == "postgresql":
        url, schema = postgres_url()
    try:
        prepare_database(url)
        server = Server(url, free_port(), args.workers, args.worker_class, args.threads)
        server.start()
        try:
            began = time.perf_counter()
            crowd = drive(server.port, args.residents)
            for resident in crowd:
                resident.thread.join()
            elapsed = time.perf_counter() - began
            problems = verify(url, crowd)
            wrk_answers = answer_throughput(server.port, args.seconds)
            wrk_htmx = answer_throughput(server.port, args.seconds, htmx=True)
        finally:
            server.stop()
        hello = hello_throughput(server, args.seconds)
    finally:
        if schema:
            drop_schema(schema)
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "engine": engine,
        "integrity": {
            "residents": args.residents,
            "acknowledged": acknowledged(crowd),
            "seconds": round(elapsed, 2),
            "problems": problems[:10],
        },
        "answer": wrk_answers,
        "htmx": wrk_htmx,
        "hello": hello,
        "ratio": wrk_answers["rate"] / hello["rate"],
        "htmx_ratio": wrk_htmx["rate"] / hello["rate"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed for the throughput figures: apt-get install wrk")
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    print(f"gunicorn {args.workers} {args.worker_class} workers x {args.threads} threads, "
          f"wrk 50 connections for {args.seconds} s, {os.cpu_count()} cores")  # fmt: skip
    failed = False
    for engine in engines:
        result = run_engine(engine, args)
        integrity, answer, hello = result["integrity"], result["answer"], result["hello"]
        failed |= bool(integrity["problems"])
        print(
            f"\n{engine}: {integrity['residents']} residents, {integrity['acknowledged']} "
            f"acknowledged answers in {integrity['seconds']} s, "
            f"{'all stored exactly once' if not integrity['problems'] else 'PROBLEMS:'}"
        )
        for problem in integrity["problems"]:
            print("  ", problem)
        for label, figures in [("answer (303):   ", answer), ("answer (htmx):  ", result["htmx"])]:
            print(
                f"  {label} {figures['rate']:.0f}/s, p50 {figures['p50']:.1f} ms, "
                f"p95 {figures['p95']:.1f} ms, errors {figures['errors']}, "
                f"non-2xx/3xx {figures['non2xx3xx']}"
            )
        print(
            f"  hello-world:     {hello['rate']:.0f}/s, p50 {hello['p50']:.1f} ms, "
            f"p95 {hello['p95']:.1f} ms"
        )
        print(
            f"  ratio answer/hello: {result['ratio']:.2f} (303), {result['htmx_ratio']:.2f} (htmx)"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
