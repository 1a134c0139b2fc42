"""Time the themes engine (survey/profiling/themes.py) on synthetic open answers.

Eight planted topics (survey/profiling/synthetic_texts.py) of equal size; prints per size the
seconds to find the themes (k chosen by the engine), the k found, and the share of answers in
the theme where most of their topic went (1.0: every topic came back whole).
Run: .venv/bin/python bench/themes_bench.py [sizes...]   (default 10000)
"""

from __future__ import annotations

import sys
import time
from collections import Counter


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


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10_000]
    find = __import__("survey.profiling.themes", fromlist=["find_themes"]).find_themes
    find([])  # imports scikit-learn outside the timing
    print(f"{'answers':>8} {'seconds':>8} {'k':>3} {'together':>9}")
    for n in sizes:
        print(one(n), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
