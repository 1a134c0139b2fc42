"""Time the themes engine (survey/profiling/themes.py) on synthetic open answers.

Eight planted topics (survey/profiling/synthetic_texts.py) of equal size; prints per size the
seconds to find the themes (k chosen by the engine), the k found, and the share of answers in
the theme where most of their topic went (1.0: every topic came back whole).
Run: .venv/bin/python bench/themes_bench.py [sizes...]   (default 10000)

With --page (issue 16) it times instead the Open antwoorden page when nothing changed since the
themes were found, per size of open answers (default 1000 100000): a fresh database built by
the migrations (SQLite, or PostgreSQL with --engine postgresql), one survey whose open
question has that many answers (a few hidden, a few with personal data found), one first view
that finds the themes, then the median of --runs views of the page through the test client,
of refresh_themes() alone, of its change check (one grouped aggregate), and, for comparison,
of the check it replaced (every answer loaded and its text hashed). The last line is the ratio
of each time at the largest size over the smallest.
Run: .venv/bin/python bench/themes_bench.py --page [--engine sqlite|postgresql] [--runs 5]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one(n: int) -> str:
    from survey.profiling.synthetic_texts import planted_answers
    from survey.profiling.themes import OpenAnswer, find_themes

    data = planted_answers(8, n // 8, seed=n)
    answers = [OpenAnswer(i, text) for i, _topic, text in data]
    topic_of = {i: topic for i, topic, _text in data}
    started = time.perf_counter()
    found = find_themes(answers)
    seconds = time.perf_counter() - started
    together = sum(
        Counter(topic_of[i] for i in theme.answer_ids).most_common(1)[0][1]
        for theme in found.themes
    )
    return f"{len(answers):>8} {seconds:>8.2f} {found.k:>3} {together / len(answers):>9.3f}"


def _fill(n: int) -> tuple[int, int]:
    """A survey whose open question has n answers (planted topics); (survey id, question id)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from survey.extensions import db
    from survey.models import Answer, Question, Response, Survey
    from survey.profiling.synthetic_texts import planted_answers

    survey = Survey(slug="themapeiling", status="open", title={"nl": "Themapeiling"})
    survey.questions = [Question(position=1, code="idee", type="text", text={"nl": "Idee?"})]
    db.session.add(survey)
    db.session.commit()
    day = datetime(2026, 10, 1, tzinfo=UTC)
    texts = [text for _i, _topic, text in planted_answers(8, -(-n // 8), seed=n)][:n]
    for start in range(0, n, 10_000):
        part = range(start, min(start + 10_000, n))
        when = [day + timedelta(seconds=i) for i in part]
        db.session.execute(
            insert(Response),
            [{"id": i + 1, "uuid": f"thema-{i}", "survey_id": survey.id, "started_at": w,
              "updated_at": w, "completed_at": w} for i, w in zip(part, when, strict=True)],
        )  # fmt: skip
        db.session.execute(
            insert(Answer),
            [{"response_id": i + 1, "question_id": survey.questions[0].id, "value": texts[i],
              "answered_at": w, "moderation": "hidden" if i % 50 == 7 else "visible",
              "personal_data": "found" if i % 70 == 3 else None}
             for i, w in zip(part, when, strict=True)],
        )  # fmt: skip
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # the statistics autovacuum would gather
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return survey.id, survey.questions[0].id


def _median_ms(call, runs: int) -> float:
    from survey.extensions import db

    times = []
    for _ in range(runs):
        db.session.remove()  # cold, as a new request
        start = time.perf_counter()
        call()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def _old_check(survey, question_id: int) -> str:
    """The change check before issue 16: every open answer loaded, its text hashed."""
    from survey.features.responses import theme_matching as matching

    digest = hashlib.sha256(b"k=None")
    for a in matching.answers_of(survey, [question_id]).get(question_id, []):
        digest.update(f"|{a.id}:{int(matching.quotable(a))}:".encode())
        digest.update(a.value.encode("utf-8", "replace"))
    return digest.hexdigest()


def page(engine: str, n: int, runs: int) -> dict:
    """The figures of one size: the page, refresh_themes, the new and the old check."""
    from bench.scale_bench import drop_database, make_app, make_database, signed_in, time_page
    from survey.extensions import db
    from survey.features.responses import theme_matching as matching
    from survey.features.responses import themes
    from survey.models import Survey, ThemeSet

    directory = Path(tempfile.mkdtemp(prefix="bp-themes-"))
    url, schema = make_database(engine, directory)
    try:
        app = make_app(url)
        with app.app_context():
            survey_id, question_id = _fill(n)
            db.session.remove()
        client = signed_in(app, "analyst")
        address = f"/officer/surveys/{survey_id}/open-answers"
        start = time.perf_counter()
        assert client.get(address).status_code == 200  # finds the themes
        figures = {"answers": n, "first_s": time.perf_counter() - start}
        with app.app_context():
            figures["page"], statements = time_page(client, address, runs)
            figures["queries"] = len(statements)
            with app.test_request_context():

                def survey():
                    return db.session.get(Survey, survey_id)

                def check():
                    sets = {question_id: db.session.scalar(select_set)}
                    matching.fingerprints(survey(), sets)

                select_set = db.select(ThemeSet).where(ThemeSet.question_id == question_id)
                figures["refresh"] = _median_ms(lambda: themes.refresh_themes(survey()), runs)
                figures["check"] = _median_ms(check, runs)
                figures["old_check"] = _median_ms(lambda: _old_check(survey(), question_id), runs)
                assert db.session.scalar(select_set).chosen_k > 0  # themes were found
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(url, schema)
        for leftover in directory.iterdir():
            leftover.unlink()
        directory.rmdir()
    return figures


PAGE_COLUMNS = ("page", "refresh", "check", "old_check")


def main_page(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="The themes page at scale (issue 16)")
    parser.add_argument("--page", action="store_true")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 100_000])
    args = parser.parse_args(argv)
    __import__("survey.profiling.themes", fromlist=["find_themes"]).find_themes([])  # sklearn
    print(f"{args.engine}, median of {args.runs} views with nothing changed, in ms")
    print(
        f"{'answers':>8} {'first (s)':>9} {'queries':>7} "
        + " ".join(f"{c:>9}" for c in PAGE_COLUMNS)
    )
    rows = []
    for n in args.sizes:
        r = page(args.engine, n, args.runs)
        rows.append(r)
        print(f"{n:>8} {r['first_s']:>9.1f} {r['queries']:>7} "
              + " ".join(f"{r[c]:>9.1f}" for c in PAGE_COLUMNS), flush=True)  # fmt: skip
    low, high = rows[0], rows[-1]
    print(
        f"{'ratio':>8} {'':>9} {'':>7} "
        + " ".join(f"{high[c] / low[c]:>9.1f}" for c in PAGE_COLUMNS)
    )


def main(argv: list[str]) -> None:
    if "--page" in argv:
        main_page(argv)
        return
    sizes = [int(a) for a in argv] or [10_000]
    find = __import__("survey.profiling.themes", fromlist=["find_themes"]).find_themes
    find([])  # imports scikit-learn outside the timing
    print(f"{'answers':>8} {'seconds':>8} {'k':>3} {'together':>9}")
    for n in sizes:
        print(one(n), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
