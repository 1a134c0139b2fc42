"""Where the time of one answer goes: the answer endpoint profiled in-process.

Run from the repository root:

    .venv/bin/python bench/answer_profile.py                 # 1,000 answers, top 25 functions
    .venv/bin/python bench/answer_profile.py --answers 2000 --top 40 --sort tottime

It builds a fresh SQLite file (migrations + the 20-question bench survey of load_bench.py),
starts responses for a number of residents, then POSTs answers to /s/<code>/v/<qcode> through
the Flask test client, the way the wrk run of load_bench.py does (rate limiter on with a limit
no run reaches, CSRF off, the flood guard's minimum time off): once plain, once under cProfile.
It prints the time per answer, the SQL statements per answer, and the functions
that take the time (cumulative, restricted to the project's own code and SQLAlchemy/Jinja).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_bench import CODE, QUESTIONS, prepare_database, sqlite_url  # noqa: E402


def make_app(url: str):
    from survey import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret",
            "WTF_CSRF_ENABLED": False,
            "HUMAN_MIN_SECONDS": 0,
            "LIMIT_START": "1000000 per minute",
            "LIMIT_ANSWER": "1000000 per minute",
        }
    )


def count_statements(app) -> list[int]:
    """A one-element list that counts every SQL statement the app's engine runs."""
    from sqlalchemy import event

    from survey.extensions import db

    counter = [0]
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        counter[0] += 1

    return counter


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument(
        "--only",
        default=r"survey/|sqlalchemy/orm|jinja2|werkzeug",
        help="a regular expression on file names for the table; empty for all",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        url = sqlite_url(Path(tmp))
        prepare_database(url)
        app = make_app(url)
        client = app.test_client()
        keys = [str(uuid.uuid4()) for _ in range(args.residents)]
        for key in keys:
            reply = client.post(f"/s/{CODE}/start", data={"response": key})
            assert reply.status_code == 303, reply.status_code
        posts = [
            (f"/s/{CODE}/v/q{(i // len(keys)) % QUESTIONS:02d}", keys[i % len(keys)], i % 5 + 1)
            for i in range(args.answers)
        ]
        for path, key, value in posts[:50]:  # warm up: imports, template cache, pools
            client.post(path, data={"response": key, "value": str(value)})
        statements = count_statements(app)
        plain, plain_cpu = time.perf_counter(), time.process_time()
        for path, key, value in posts:  # once without the profiler: the plain time
            client.post(path, data={"response": key, "value": str(value)})
        plain, plain_cpu = time.perf_counter() - plain, time.process_time() - plain_cpu
        counted = statements[0]

        profiler = cProfile.Profile()
        wall, cpu = time.perf_counter(), time.process_time()
        profiler.enable()
        for path, key, value in posts:
            reply = client.post(path, data={"response": key, "value": str(value)})
            if reply.status_code != 303:
                raise SystemExit(f"{path}: {reply.status_code}")
        profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        with app.app_context():
            from survey.extensions import db

            db.engine.dispose()

    n = args.answers
    print(f"{n} answers, not profiled: {1000 * plain / n:.2f} ms wall, ", end="")
    print(f"{1000 * plain_cpu / n:.2f} ms CPU per answer")
    print(f"SQL statements per answer: {counted / n:.1f}")
    print(f"profiled (cProfile adds overhead): {1000 * wall / n:.2f} ms wall, ", end="")
    print(f"{1000 * cpu / n:.2f} ms CPU per answer")
    stats = pstats.Stats(profiler)
    stats.sort_stats(args.sort).print_stats(*([args.only] if args.only else []), args.top)


if __name__ == "__main__":
    main()
