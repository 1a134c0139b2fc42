"""Dashboard, public results, the done screen and the builder at scale: page times for a
survey of 1,000 and 1,000,000 responses, on PostgreSQL and SQLite, and their ratio.

Run from the repository root (figures in BENCHMARKS.md, "Dashboard and results at scale"):

    .venv/bin/python bench/scale_bench.py                          # both engines, both sizes
    .venv/bin/python bench/scale_bench.py --engine postgresql --sizes 1000,100000 --runs 5

For each engine and size it
1. builds a fresh database (the migrations, so the indexes are the real ones) with one survey
   of 12 questions (choice, multiple choice, ranking, scales, yes/no, statements, a number, an
   open question), 12 buurten and 5 channels;
2. fills it in SQL alone (INSERT ... SELECT over generate_series on PostgreSQL, a recursive
   CTE on SQLite): the responses spread over 30 days, 12 buurten, 5 channels, 5 languages and
   both layers, about 10 answers each, 2% with an open answer (a few approved for the public
   page); then `tallies rebuild` counts them (timed: a bulk load in SQL needs it);
3. times, through the Flask test client, the dashboard page and the fragment it polls (all
   responses, and filtered to one buurt), the public results page /r/<code>, the done screen
   and the builder's questions: one warm-up, then the median of --runs runs; prints the
   queries each page ran with their times and the plan (EXPLAIN ANALYZE on PostgreSQL,
   EXPLAIN QUERY PLAN on SQLite) of the slowest ones;
4. drops the schema / deletes the file, and prints each page's time over its time at the
   smallest size of the same engine in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CODE = "schaal"
BUURTEN = 12


def _t(nl: str) -> dict:
    return {"nl": nl, "en": nl}


def _options(*values: str) -> list[dict]:
    return [{"value": v, "text": _t(v.capitalize())} for v in values]


# code, type, layer, options/settings, stored JSON values (repeats make the spread uneven)
QUESTIONS = [
    ("kleur", "single", "core", _options("rood", "blauw", "groen", "geel"), {},
     ['"rood"', '"rood"', '"blauw"', '"groen"', '"geel"', '"rood"', '"groen"']),
    ("hobby", "multiple", "core", _options("lezen", "sport", "muziek"), {},
     ['["lezen"]', '["sport"]', '["lezen", "sport"]', '["muziek"]', '["sport", "muziek"]']),
    ("cijfer", "scale", "core", [], {}, ["1", "2", "3", "3", "4", "4", "4", "5"]),
    ("veilig", "yesno", "core", [], {}, ['"yes"', '"yes"', '"no"']),
    ("groen", "statement", "core", [], {}, ['"agree"', '"disagree"', '"skip"', '"agree"']),
    ("parkeren", "statement", "core", [], {}, ['"agree"', '"disagree"', '"disagree"']),
    ("jaren", "number", "core", [], {"min": 0, "max": 100}, None),
    ("vervoer", "single", "core", _options("fiets", "auto", "ov", "lopen"), {},
     ['"fiets"', '"auto"', '"ov"', '"lopen"', '"fiets"']),
    ("thuis", "scale", "core", [], {"min": 1, "max": 10},
     ["5", "6", "7", "7", "8", "8", "9", "10"]),
    ("spelen", "yesno", "core", [], {}, ['"yes"', '"no"', '"no"']),
    ("prioriteit", "ranking", "deeper", _options("groen", "spelen", "parkeren"), {},
     ['["groen", "spelen", "parkeren"]', '["parkeren", "groen", "spelen"]',
      '["spelen", "groen", "parkeren"]']),
    ("idee", "text", "deeper", [], {}, None),
]  # fmt: skip


# --- the database ---------------------------------------------------------------------------


def make_database(engine: str, directory: Path) -> tuple[str, str | None]:
    """(url, schema) of a new, empty database: a SQLite file or a PostgreSQL schema."""
    if engine == "sqlite":
        return f"sqlite:///{directory / 'scale.sqlite3'}", None
    from sqlalchemy import create_engine, text

    schema = f"bp_scale_{uuid.uuid4().hex[:10]}"
    pg = create_engine(PG_URL)
    with pg.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    pg.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", schema


def drop_database(url: str, schema: str | None) -> None:
    if schema is None:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine, text

    pg = create_engine(PG_URL)
    with pg.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    pg.dispose()


def make_app(url: str):
    from flask_migrate import upgrade

    from survey import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "HUMAN_MIN_SECONDS": 0,
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        upgrade(directory=str(Path(app.root_path) / "migrations"))
    return app


def make_survey():
    """The survey, its buurten and channels (ORM; small)."""
    from survey.extensions import db
    from survey.models import Area, Channel, Question, Survey

    wijk = Area(level="wijk", name="Schaalwijk", cbs_code="WK888801")
    buurten = [
        Area(level="buurt", name=f"Buurt {i:02d}", cbs_code=f"BU888801{i:02d}", parent=wijk)
        for i in range(1, BUURTEN + 1)
    ]
    survey = Survey(
        slug="schaalpeiling",
        status="open",
        title=_t("Schaalpeiling"),
        languages=["nl", "en"],
        min_group_size=10,
    )
    survey.questions = [
        Question(
            position=i,
            code=code,
            type=kind,
            layer=layer,
            options=options,
            settings=settings,
            text=_t(f"Vraag {code}?"),
        )
        for i, (code, kind, layer, options, settings, _values) in enumerate(QUESTIONS, 1)
    ]
    db.session.add_all([wijk, *buurten, survey])
    db.session.flush()
    for i, kind in enumerate(["poster", "poster", "social", "flyer", "event"]):
        area = buurten[i].id if kind == "poster" else None
        survey.channels.append(Channel(code=f"{CODE}-{i}", label=f"Kanaal {i}", kind=kind,
                                       area_id=area))  # fmt: skip
    db.session.commit()
    return survey.id, [b.id for b in buurten], [c.id for c in survey.channels]


def _case(expr: str, values: list) -> str:
    whens = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(values))
    return f"CASE ({expr}) % {len(values)} {whens} END"


def fill(conn, dialect: str, survey_id: int, buurten: list[int], channels: list[int], n: int):
    """n responses and their answers, generated in SQL."""
    pg = dialect == "postgresql"

    def sql(statement: str):  # psycopg reads % as a placeholder even without parameters
        return conn.exec_driver_sql(statement.replace("%", "%%") if pg else statement)

    if pg:
        # The rows are consistent by construction: skip the per-row foreign-key triggers.
        sql("SET LOCAL session_replication_role = replica")
        rows = f"FROM generate_series(1, {n}) AS g(i)"
        started = "TIMESTAMPTZ '2026-10-01 00:00:00+00' + (i % 2592000) * INTERVAL '1 second'"
        completed = f"{started} + INTERVAL '3 minutes'"
        cte = ""
    else:
        rows = "FROM g"
        started = "datetime('2026-10-01', '+' || (i % 2592000) || ' seconds')"
        completed = "datetime('2026-10-01', '+' || (i % 2592000 + 180) || ' seconds')"
        cte = f"WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {n}) "  # noqa: S608
    area = _case("i * 7", [*buurten, *buurten, *buurten, *buurten[:3], "NULL"])
    sql(
        "INSERT INTO response (uuid, survey_id, channel_id, area_id, lang, source, layer,"
        " started_at, updated_at, completed_at) "
        f"{cte}SELECT 'schaal-' || i, {survey_id}, {_case('i', channels)}, {area},"
        " CASE i % 10 WHEN 1 THEN 'en' WHEN 2 THEN 'tr' WHEN 3 THEN 'pl' WHEN 4 THEN 'ar'"
        " ELSE 'nl' END, 'web',"
        " CASE WHEN i % 3 = 0 THEN 'deeper' ELSE 'core' END,"
        f" {started}, {started}, CASE WHEN i % 7 = 0 THEN NULL ELSE {completed} END {rows}"
    )
    questions = dict(
        conn.exec_driver_sql(f"SELECT code, id FROM question WHERE survey_id = {survey_id}").all()  # noqa: S608
    )
    for position, (code, _kind, layer, _o, _s, values) in enumerate(QUESTIONS, 1):
        h = f"((r.id % 100003) * 7919 + {position * 104729})"  # stays within int4
        where = [f"r.survey_id = {survey_id}"]
        moderation = "'visible'"
        if code == "jaren":
            value = f"CAST({h} % 90 AS TEXT)"
        elif code == "idee":
            value = "'\"Idee nummer ' || r.id || '\"'"
            where.append("r.id % 50 = 0")
            moderation = "CASE WHEN r.id % 50000 = 0 THEN 'approved' ELSE 'visible' END"
        else:
            value = _case(h, [f"'{v}'" for v in values])
        if layer == "deeper":
            where.append("r.layer = 'deeper'")
        if pg:
            value = f"CAST({value} AS JSON)"
        sql(
            "INSERT INTO answer (response_id, question_id, value, moderation, answered_at) "  # noqa: S608
            f"SELECT r.id, {questions[code]}, {value}, {moderation}, r.started_at "
            f"FROM response r WHERE {' AND '.join(where)}"
        )
    sql("ANALYZE")


# --- timing ---------------------------------------------------------------------------------


class Recorder:
    """The statements a request runs, with their parameters and times."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.engine, self.event, self.statements = engine, event, []

    def before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_start"] = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - conn.info.pop("bench_start")
        self.statements.append((elapsed, statement, parameters))

    def __enter__(self):
        self.statements = []
        self.event.listen(self.engine, "before_cursor_execute", self.before)
        self.event.listen(self.engine, "after_cursor_execute", self.after)
        return self

    def __exit__(self, *exc):
        self.event.remove(self.engine, "before_cursor_execute", self.before)
        self.event.remove(self.engine, "after_cursor_execute", self.after)


# The pages measured by default; `weighted` (the dashboard weighted to CBS figures) reads every
# response's answers and is measured on request (--pages), at smaller sizes.
PAGES = (
    "dashboard_page",
    "dashboard",
    "dashboard_buurt",
    "results",
    "done_screen",
    "builder",
    "reacties",
    "reacties_buurt",
    "open_answers",
    "officer_home",
)
ALL_PAGES = (*PAGES, "weighted")


OFFICER = ("bench@voorbeeldstad.nl", "correct horse battery")


def signed_in(app, role: str):
    """A test client signed in as a new bench officer with this role."""
    from survey.extensions import db
    from survey.features.accounts.service import create_officer

    with app.app_context():
        create_officer(*OFFICER, role)
        db.session.remove()
    client = app.test_client()
    login = dict(zip(("email", "password"), OFFICER, strict=True))
    assert client.post("/officer/login", data=login).status_code == 303
    return client


def time_page(client, url: str, runs: int, headers: dict | None = None) -> tuple[float, list]:
    """Median milliseconds of `runs` GETs after one warm-up, and the last run's statements."""
    from survey.extensions import db

    assert client.get(url, headers=headers).status_code == 200, url
    times = []
    recorder = Recorder(db.engine)
    for _ in range(runs):
        with recorder:
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append(1000 * (time.perf_counter() - start))
        assert response.status_code == 200, url
    return statistics.median(times), recorder.statements


def explain(statement: str, parameters, dialect: str) -> str:
    from survey.extensions import db

    prefix = "EXPLAIN (ANALYZE, COSTS OFF) " if dialect == "postgresql" else "EXPLAIN QUERY PLAN "
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
    lines = [str(row[-1]) for row in rows]
    return "\n".join("      " + line for line in lines[:30])


def _finished_resident(app, resident) -> str:
    """A resident who started on the first channel and is done: the done screen's address.

    The response is marked completed in SQL (its answers would not change the figures)."""
    from sqlalchemy import text

    from survey.extensions import db

    key = str(uuid.uuid4())
    assert resident.post(f"/s/{CODE}-0/start", data={"response": key}).status_code == 303
    with app.app_context():
        db.session.execute(
            text("UPDATE response SET completed_at = started_at WHERE uuid = :key"), {"key": key}
        )
        db.session.commit()
        db.session.remove()
    return f"/s/{CODE}-0/klaar"


def run(engine: str, n: int, runs: int, plans: int, wanted: tuple[str, ...] = PAGES) -> dict:
    from survey.extensions import db
    from survey.features.tallies import recount
    from survey.models import Survey

    directory = Path(tempfile.mkdtemp(prefix="bp-scale-"))
    url, schema = make_database(engine, directory)
    figures = {"engine": engine, "responses": n}
    try:
        app = make_app(url)
        with app.app_context():
            survey_id, buurten, channels = make_survey()
            start = time.perf_counter()
            with db.engine.begin() as conn:
                fill(conn, db.engine.dialect.name, survey_id, buurten, channels, n)
            with db.engine.connect() as conn:
                answers = conn.exec_driver_sql("SELECT count(*) FROM answer").scalar()
            figures["build_s"] = time.perf_counter() - start
            figures["answers"] = answers
            start = time.perf_counter()
            rows = recount.rebuild(db.session.get(Survey, survey_id))
            figures["rebuild_s"] = time.perf_counter() - start
            print(f"  tallies rebuild: {rows:,} rows in {figures['rebuild_s']:.1f} s")
            if db.engine.dialect.name == "postgresql":  # statistics, as autovacuum keeps them
                db.session.commit()
                with db.engine.connect() as conn:
                    conn.exec_driver_sql("ANALYZE")
            print(f"\n== {engine}, {n:,} responses, {answers:,} answers "
                  f"(built in {figures['build_s']:.0f} s)")  # fmt: skip
            db.session.remove()
        client = signed_in(app, "editor")
        dashboard = f"/officer/surveys/{survey_id}/dashboard"
        resident = app.test_client()
        done = _finished_resident(app, resident)
        pages = [
            ("dashboard_page", dashboard, None, client),
            ("dashboard", dashboard, {"HX-Request": "true"}, client),
            ("dashboard_buurt", f"{dashboard}?area={buurten[0]}", {"HX-Request": "true"}, client),
            ("results", f"/r/{CODE}-0", None, client),
            ("done_screen", done, None, resident),
            ("builder", f"/officer/surveys/{survey_id}/questions", None, client),
            ("reacties", f"/officer/surveys/{survey_id}/responses", None, client),
            (
                "reacties_buurt",
                f"/officer/surveys/{survey_id}/responses?area={buurten[0]}",
                None,
                client,
            ),
            ("open_answers", f"/officer/surveys/{survey_id}/open-answers", None, client),
            ("officer_home", "/officer/", None, client),
            ("weighted", f"{dashboard}/gewogen", None, client),
        ]
        pages = [page for page in pages if page[0] in wanted]
        with app.app_context():
            for name, page, headers, browser in pages:
                ms, statements = time_page(browser, page, runs, headers)
                figures[name] = ms
                sql_ms = 1000 * sum(s[0] for s in statements)
                print(f"  {name:16} {ms:8.0f} ms median of {runs}  "
                      f"({len(statements)} queries, {sql_ms:.0f} ms in SQL)")  # fmt: skip
                for elapsed, statement, parameters in sorted(statements, key=lambda s: -s[0])[
                    :plans
                ]:
                    first = " ".join(statement.split())[:150]
                    print(f"    {1000 * elapsed:7.0f} ms  {first}")
                    print(explain(statement, parameters, db.engine.dialect.name))
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(url, schema)
        directory.rmdir()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plans", type=int, default=1, help="slowest queries to EXPLAIN")
    parser.add_argument("--pages", default=",".join(PAGES), help=f"of {', '.join(ALL_PAGES)}")
    args = parser.parse_args()
    pages = tuple(p for p in ALL_PAGES if p in args.pages.split(","))
    engines = ["postgresql", "sqlite"] if args.engine == "both" else [args.engine]
    sizes = [int(s) for s in args.sizes.split(",")]
    results = [run(e, n, args.runs, args.plans, pages) for e in engines for n in sizes]
    print("\n| engine | responses | answers | build | tallies rebuild | "
          + " | ".join(pages) + " |\n|" + "---|" * (5 + len(pages)))  # fmt: skip
    smallest = {}
    for r in results:
        base = smallest.setdefault(r["engine"], r)
        cells = [f"{r[k]:.0f} ms" + (f" ({r[k] / base[k]:.1f}×)" if base is not r else "")
                 for k in pages]  # fmt: skip
        print(f"| {r['engine']} | {r['responses']:,} | {r['answers']:,} | {r['build_s']:.0f} s | "
              f"{r['rebuild_s']:.0f} s | " + " | ".join(cells) + " |")  # fmt: skip
    print("\n(×: the time over the same page at the smallest size, same engine, same run)")


if __name__ == "__main__":
    main()
