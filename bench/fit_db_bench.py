"""`profiles fit` at scale: fitting the profile model on 100,000 and 1,000,000 responses that
are in the database, reading included, on PostgreSQL and SQLite (issue 16: within 60 s and
1 GB at a million).

Run from the repository root (figures in BENCHMARKS.md, "profiles fit on 1,000,000 responses
in the database"):

    OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python bench/fit_db_bench.py     # PostgreSQL
    .venv/bin/python bench/fit_db_bench.py --engine sqlite --sizes 100000
    .venv/bin/python bench/fit_db_bench.py --sizes 100000 --measure read,fit,parts,cprofile

For each engine and size it
1. builds a fresh database (the migrations, so the indexes are the real ones) with one survey
   that asks the engagement module (the ten items and the three "over jou" questions), 12
   buurten and 2 channels;
2. fills it in SQL alone (INSERT ... SELECT over generate_series on PostgreSQL, a recursive
   CTE on SQLite): every response is completed and counts (not suspect) and has a latent
   type 0..7 (mostly id % 8, one in five drawn from a hash); each item is answered around the
   type's mean from profiles.json with noise of up to 1.5 points, channels are chosen with a
   probability that follows the type, the "over jou" answers lean on the type, and about 10%
   of every question is left unanswered;
3. in a fresh process each (so one peak does not hide the other), times
   `responses_frame([survey])` (the read alone) and `fit_model([survey])` (what
   `flask profiles fit` runs: read, fit, expected-mix dependence, stability, short module,
   store) inside an app context, and prints seconds and the process's peak resident memory
   (getrusage ru_maxrss) next to its size after start-up; `--measure ...,parts` times the
   steps of fit_model one by one in a third process, `cprofile` prints the top of a cProfile
   of the whole fit_model;
4. drops the schema / deletes the file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale_bench import drop_database, make_app, make_database  # noqa: E402

SLUG = "fitpeiling"
BUURTEN = 12
TARGET_S, TARGET_MIB = 60, 1024
P = 1000003  # a prime: the hashes below are taken modulo it


def _t(nl: str) -> dict:
    return {"nl": nl, "en": nl}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the database ---------------------------------------------------------------------------


def make_survey() -> int:
    """The survey with the engagement module, its buurten and channels (ORM; small)."""
    from survey.extensions import db
    from survey.features.builder.engagement import add_engagement_module
    from survey.models import Area, Channel, Survey

    wijk = Area(level="wijk", name="Fitwijk", cbs_code="WK777701")
    buurten = [
        Area(level="buurt", name=f"Buurt {i:02d}", cbs_code=f"BU777701{i:02d}", parent=wijk)
        for i in range(1, BUURTEN + 1)
    ]
    survey = Survey(
        slug=SLUG, status="open", title=_t("Fitpeiling"), languages=["nl", "en"],
        min_group_size=10,
    )  # fmt: skip
    db.session.add_all([wijk, *buurten, survey])
    db.session.flush()
    add_engagement_module(survey)
    for i, kind in enumerate(["poster", "social"]):
        area = buurten[i].id if kind == "poster" else None
        survey.channels.append(Channel(code=f"fit-{i}", label=f"Kanaal {i}", kind=kind,
                                       area_id=area))  # fmt: skip
    db.session.commit()
    return survey.id


def _hash(salt: int) -> str:
    """A pseudo-random number 0..P-1 per response (r.id), different for every salt."""
    a, b = 7919 + 104729 * salt, 15485863 + 31337 * salt
    x = f"((CAST(r.id AS BIGINT) * {a} + {b}) % {P})"
    return f"(({x} * {x} + {salt}) % {P})"


def _by_type(values: list) -> str:
    whens = " ".join(f"WHEN {t} THEN {v}" for t, v in enumerate(values))
    return f"CASE r.t {whens} END"


def _type_means(profiles) -> dict[str, list]:
    """Per item (and channel), the eight types' means: the prototypes of profiles.json, the
    middle of the scale where a prototype says nothing (channels: None)."""
    from survey.profiling.profiles import CHANNEL_CODES, SCALAR_ITEMS

    means = {}
    for item, (low, high) in SCALAR_ITEMS.items():
        means[item] = [p.prototype.get(item, (low + high) / 2) for p in profiles.profiles]
    for code in CHANNEL_CODES:
        means[code] = [p.prototype.get(code) for p in profiles.profiles]
    return means


def fill(conn, dialect: str, survey_id: int, n: int) -> None:
    """n completed, counted responses and their answers to the module, generated in SQL."""
    from survey.profiling.characteristics import CHARACTERISTICS
    from survey.profiling.profiles import CHANNEL_CODES, SCALAR_ITEMS, load_profiles

    pg = dialect == "postgresql"
    greatest, least = ("GREATEST", "LEAST") if pg else ("max", "min")

    def sql(statement: str):  # psycopg reads % as a placeholder even without parameters
        return conn.exec_driver_sql(statement.replace("%", "%%") if pg else statement)

    if pg:
        # The rows are consistent by construction: skip the per-row foreign-key triggers.
        sql("SET LOCAL session_replication_role = replica")
        rows = f"FROM generate_series(1, {n}) AS g(i)"
        started = "TIMESTAMPTZ '2026-10-01 00:00:00+00' + (i % 2592000) * INTERVAL '1 second'"
        completed = f"{started} + INTERVAL '4 minutes'"
        cte = ""
    else:
        rows = "FROM g"
        started = "datetime('2026-10-01', '+' || (i % 2592000) || ' seconds')"
        completed = "datetime('2026-10-01', '+' || (i % 2592000 + 240) || ' seconds')"
        cte = f"WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {n}) "  # noqa: S608
    areas = [r[0] for r in conn.exec_driver_sql("SELECT id FROM area WHERE level = 'buurt'")]
    mine = f"SELECT id FROM channel WHERE survey_id = {survey_id}"  # noqa: S608
    channels = [r[0] for r in conn.exec_driver_sql(mine)]
    area = " ".join(f"WHEN {k} THEN {a}" for k, a in enumerate(areas))
    area = f"CASE i % {len(areas)} {area} END"
    channel = f"CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN {channels[0]} ELSE {channels[1]} END"
    sql(
        "INSERT INTO response (uuid, survey_id, channel_id, area_id, lang, source, layer,"
        " started_at, updated_at, completed_at, suspect, statements) "
        f"{cte}SELECT 'fit-' || i, {survey_id}, {channel}, {area},"
        " CASE WHEN i % 10 = 0 THEN 'en' ELSE 'nl' END, 'web', 'core',"
        f" {started}, {completed}, {completed}, {'FALSE' if pg else '0'}, 0 {rows}"
    )
    items = f"SELECT item, id FROM question WHERE survey_id = {survey_id} AND item IS NOT NULL"  # noqa: S608
    questions = dict(conn.exec_driver_sql(items).all())
    # The latent type: id % 8, one response in five a hash instead.
    t = f"CASE WHEN {_hash(0)} % 5 = 0 THEN {_hash(1)} % 8 ELSE r.id % 8 END"
    typed = f"(SELECT id, {t} AS t FROM response r WHERE r.survey_id = {survey_id}) r"  # noqa: S608
    means = _type_means(load_profiles())
    for salt, item in enumerate([*SCALAR_ITEMS, "channels", *CHARACTERISTICS], start=10):
        noise = _hash(salt)
        if item in SCALAR_ITEMS:  # tenths: mean + uniform -1.5..1.5, clamped, rounded
            low, high = SCALAR_ITEMS[item]
            mean = _by_type([round(10 * m) for m in means[item]])
            tenths = f"{greatest}({10 * low}, {least}({10 * high}, {mean} + {noise} % 31 - 15))"
            value = f"CAST(({tenths} + 5) / 10 AS TEXT)"
        elif item == "channels":  # each code with a chance that follows the prototype
            chance = {1: 85, 0: 10, None: 40}
            parts = [
                f"CASE WHEN {_hash(100 * salt + j)} % 100 < "
                f"{_by_type([chance[m] for m in means[code]])} THEN ', \"{code}\"' ELSE '' END"
                for j, code in enumerate(CHANNEL_CODES)
            ]
            value = f"'[' || substr({' || '.join(parts)}, 3) || ']'"
        else:  # an "over jou" answer: the type's own option half the time, else a hash
            options = CHARACTERISTICS[item]
            pick = f"(CASE WHEN {noise} % 2 = 0 THEN r.t ELSE {noise} / 2 END) % {len(options)}"
            whens = " ".join(f"WHEN {k} THEN '\"{o}\"'" for k, o in enumerate(options))
            value = f"CASE {pick} {whens} END"
        skipped = f"{_hash(salt + 50)} % 10 = 0"  # about 10% unanswered
        answers = f"SELECT r.id, {value} AS v FROM {typed} WHERE NOT ({skipped})"  # noqa: S608
        sql(
            "INSERT INTO answer (response_id, question_id, value, moderation, answered_at) "  # noqa: S608
            f"SELECT a.id, {questions[item]}, {'CAST(a.v AS JSON)' if pg else 'a.v'}, 'visible',"
            f" {'TIMESTAMPTZ' if pg else ''} '2026-10-01 00:00:00' FROM ({answers}) a"
            " WHERE a.v <> '[]'"
        )
    sql("ANALYZE")


# --- measuring, each in a process of its own ------------------------------------------------


def measure(what: str, url: str, survey_id: int) -> dict:
    """Time `what` (read, fit or parts) in this process; seconds and peak MiB."""
    from survey import create_app
    from survey.extensions import db
    from survey.features.insights import service
    from survey.models import Survey

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    out: dict = {}
    with app.app_context():
        import pandas  # noqa: F401  (loaded before the baseline, as a running app has it)
        import sklearn.cluster  # noqa: F401

        survey = db.session.get(Survey, survey_id)
        out["start_mib"] = _peak_mib()
        started = time.perf_counter()
        if what == "read":
            frame = service.responses_frame([survey])
            out["rows"] = len(frame)
        elif what == "fit":
            stored = service.fit_model([survey])
            out.update(used=stored.n, k=stored.k, stability=stored.data_summary["stability"],
                       expected_n=(stored.params.get("expected") or {}).get("n"),
                       clusters=stored.data_summary["clusters"])  # fmt: skip
        else:
            out["parts"] = parts(survey)
        out["seconds"] = time.perf_counter() - started
        out["peak_mib"] = _peak_mib()
    return out


def parts(survey) -> list:
    """The steps of fit_model one by one, with the time and the peak after each."""
    from survey.features.insights import service
    from survey.profiling import model as engine
    from survey.profiling.characteristics import CHARACTERISTICS
    from survey.profiling.expected import fit_dependence
    from survey.profiling.report import named

    profiles = service.profile_set()
    steps = []

    def step(name, fn):
        started = time.perf_counter()
        result = fn()
        steps.append((name, time.perf_counter() - started, _peak_mib()))
        return result

    frame = step("read (responses_frame)", lambda: service.responses_frame([survey]))
    fitted, labels, _summary = step("fit (model.fit)", lambda: engine.fit(frame, profiles))
    frame["profile"] = labels
    codes = named(profiles.codes, fitted.names)
    step("dependence (fit_dependence)",
         lambda: fit_dependence(frame[list(CHARACTERISTICS)], frame["profile"], codes))  # fmt: skip
    step("stability (5 resamples)", lambda: engine.stability(frame, profiles, fitted=fitted))
    step("short module (_short_summary)", lambda: service._short_summary(fitted, frame))
    return steps


def profile_fit(url: str, survey_id: int) -> None:
    """cProfile of fit_model, top 25 by cumulative time."""
    import cProfile
    import pstats

    from survey import create_app
    from survey.extensions import db
    from survey.features.insights import service
    from survey.models import Survey

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        profiler = cProfile.Profile()
        profiler.runcall(service.fit_model, [survey])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def child(what: str, url: str, survey_id: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", what, "--url", url, "--survey-id", str(survey_id)],
        check=True, capture_output=what != "cprofile", text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1]) if what != "cprofile" else {}


def run(engine: str, n: int, measures: list[str]) -> dict:
    from survey.extensions import db

    directory = Path(tempfile.mkdtemp(prefix="bp-fit-"))
    url, schema = make_database(engine, directory)
    figures: dict = {"engine": engine, "responses": n}
    try:
        app = make_app(url)
        with app.app_context():
            survey_id = make_survey()
            started = time.perf_counter()
            with db.engine.begin() as conn:
                fill(conn, db.engine.dialect.name, survey_id, n)
            with db.engine.connect() as conn:
                answers = conn.exec_driver_sql("SELECT count(*) FROM answer").scalar()
            figures["build_s"] = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
        print(f"\n== {engine}, {n:,} responses, {answers:,} answers "
              f"(built in {figures['build_s']:.0f} s), load {os.getloadavg()[0]:.1f}",
              flush=True)  # fmt: skip
        for what in [m for m in measures if m in ("read", "fit")]:
            figures[what] = result = child(what, url, survey_id)
            shown = ("seconds", "peak_mib", "start_mib")
            extra = {k: v for k, v in result.items() if k not in shown}
            print(f"  {what:5} {result['seconds']:7.1f} s  peak {result['peak_mib']:6.0f} MiB "
                  f"(after start-up {result['start_mib']:.0f})  {extra}  "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        if "parts" in measures:
            for name, seconds, peak in child("parts", url, survey_id)["parts"]:
                print(f"    {name:32} {seconds:7.2f} s  peak after {peak:6.0f} MiB", flush=True)
        if "cprofile" in measures:
            child("cprofile", url, survey_id)
    finally:
        drop_database(url, schema)
        directory.rmdir()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument(
        "--measure", default="read,fit",
        help="what to time, each in a process of its own: read, fit, parts, cprofile",
    )  # fmt: skip
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--survey-id", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "cprofile":
        profile_fit(args.url, args.survey_id)
        return
    if args.child:
        print(json.dumps(measure(args.child, args.url, args.survey_id)))
        return
    engines = ["postgresql", "sqlite"] if args.engine == "both" else [args.engine]
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"cpus={os.cpu_count()} load={os.getloadavg()} "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '-')}")  # fmt: skip
    measures = args.measure.split(",")
    results = [run(e, n, measures) for e in engines for n in sizes]
    if not {"read", "fit"} <= set(measures):
        return
    print(
        "\n| engine | responses | build | read s | read peak MiB | fit_model s "
        "| fit_model peak MiB | used | stability |\n|---|---|---|---|---|---|---|---|---|"
    )
    for r in results:
        read, fit = r["read"], r["fit"]
        late = " !" if fit["seconds"] > TARGET_S else ""
        big = " !" if fit["peak_mib"] > TARGET_MIB else ""
        print(f"| {r['engine']} | {r['responses']:,} | {r['build_s']:.0f} s "
              f"| {read['seconds']:.1f} "
              f"| {read['peak_mib']:.0f} | {fit['seconds']:.1f}{late} | {fit['peak_mib']:.0f}{big} "
              f"| {fit['used']:,} | {fit['stability']} |")  # fmt: skip
    print(f"\n! over the issue 16 target ({TARGET_S} s, {TARGET_MIB} MiB at 1,000,000)")
    print(f"load={os.getloadavg()} at the end")


if __name__ == "__main__":
    main()
