"""A small crowd through a real gunicorn: double taps, changed answers, htmx, abandoners.

The same code as bench/crowd_bench.py (1,000 residents over two minutes), scaled down.
"""

from __future__ import annotations

from bench import crowd_bench

SMALL = crowd_bench.Settings(
    residents=40, arrival_seconds=5, think=0.05, questions=6, workers=2, seed=7
)


def test_a_small_crowd_gets_every_acknowledged_answer_stored_once(database_url):
    outcome = crowd_bench.run_crowd(database_url, SMALL)
    crowd, tally = outcome.crowd, outcome.tally
    assert outcome.problems == []
    assert outcome.tallies == (0, "bench: OK\n")
    assert not [status for status in tally.statuses if status >= 500]
    assert (tally.dropped, tally.timeouts) == (0, 0)
    # Each behaviour was there, and every resident either finished or stopped as planned.
    assert all(sum(getattr(r, kind) for r in crowd) >= 2 for kind in ("htmx", "double_taps"))
    assert sum(r.changed for r in crowd) >= 1  # went back and changed an answer
    assert sum(r.abandoned for r in crowd) == 4
    assert sum(r.finished for r in crowd) == SMALL.residents - 4
    assert all(len(r.acked) == SMALL.questions for r in crowd if r.finished)
    assert tally.statuses[303] > 0  # the plain form posts (the htmx ones answer 200)
    assert len(tally.answer_seconds) > sum(len(r.acked) for r in crowd)  # the double taps
