"""A large paper import on SQLite: how long the import holds the write lock, and how long a
resident's answer waits meanwhile.

Run from the repository root (figures in BENCHMARKS.md, "Paper import"):

    .venv/bin/python bench/import_bench.py                 # 30,000 rows
    .venv/bin/python bench/import_bench.py --rows 5000

It builds a fresh SQLite database through the migrations, adds the test survey of
tests/web/test_dashboard.py (five kinds of question), writes a CSV of --rows forms and imports
it through `imports.import_responses`. Meanwhile a second connection writes one small row
every 20 ms, as residents answering would; the bench prints the import's total time, the
longest time the import held the write lock (from its first write to its commit) and the
longest wait of the resident's writes. SQLite allows one writer at a time: a wait over the
busy timeout (5 s) is a resident who gets "probeer het zo nog eens".
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _csv(rows: int) -> bytes:
    lines = ["ref,area,channel,kleur,hobby,cijfer,idee"]
    colours, hobbies = ("rood", "blauw", "groen"), ("lezen", "sport", "lezen;sport")
    for i in range(rows):
        lines.append(
            f"P-{i:06d},BU9999010{1 + i % 2},,{colours[i % 3]},{hobbies[i % 3]},{1 + i % 5},"
            + ("Meer bankjes" if i % 7 == 0 else "")
        )
    return ("\n".join(lines) + "\n").encode()


class Resident(threading.Thread):
    """Writes one row every 20 ms on its own connection and keeps the longest wait."""

    def __init__(self, path: str):
        super().__init__(daemon=True)
        self.path, self.longest, self.writes, self.failed = path, 0.0, 0, 0
        self.stop = threading.Event()

    def run(self):
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("CREATE TABLE IF NOT EXISTS bench_resident (at REAL)")
        while not self.stop.is_set():
            began = time.perf_counter()
            try:
                conn.execute("INSERT INTO bench_resident VALUES (?)", (began,))
                self.writes += 1
            except sqlite3.OperationalError:
                self.failed += 1
            self.longest = max(self.longest, time.perf_counter() - began)
            time.sleep(0.02)
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import event

    from survey import create_app
    from survey.extensions import db
    from survey.features.responses import imports
    from tests.web.test_dashboard import make_survey

    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/import.sqlite3"
        app = create_app(
            {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True}
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
        with app.test_request_context():
            survey = make_survey()
            db.session.commit()
            data = _csv(args.rows)
            first_write: list[float] = []

            @event.listens_for(db.engine, "before_cursor_execute")
            def _note(_conn, _cursor, statement, *_args):
                if not first_write and statement.lstrip().upper().startswith("INSERT"):
                    first_write.append(time.perf_counter())

            resident = Resident(path)
            resident.start()
            time.sleep(0.2)
            began = time.perf_counter()
            report = imports.import_responses(survey, data)
            ended = time.perf_counter()
            time.sleep(0.2)
            resident.stop.set()
            resident.join()
        held = ended - first_write[0] if first_write else 0.0
        print(f"rows {args.rows}: added {report.added}, invalid {len(report.errors)}")
        print(f"import total        {ended - began:7.2f} s")
        print(f"write lock held     {held:7.2f} s")
        print(
            f"resident's longest wait {resident.longest:7.2f} s "
            f"({resident.writes} writes, {resident.failed} failed)"
        )


if __name__ == "__main__":
    main()
