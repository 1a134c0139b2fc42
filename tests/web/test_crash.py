"""Kill gunicorn hard in the middle of answering: every acknowledged answer is still there, once."""

from __future__ import annotations

import time

from bench import load_bench

RESIDENTS = 12


def _wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_sigkill_mid_load_loses_and_doubles_nothing(database_url):
    load_bench.prepare_database(database_url)
    server = load_bench.Server(
        database_url, load_bench.free_port(), workers=2, extra_env={"RATELIMIT_ENABLED": "0"}
    )
    server.start()
    try:
        crowd = load_bench.drive(server.port, RESIDENTS, seconds_limit=90)
        _wait_for(lambda: load_bench.acknowledged(crowd) >= 40, 30)
        server.kill()
        at_kill = load_bench.acknowledged(crowd)
        server.start()
        for resident in crowd:
            resident.thread.join(timeout=90)
    finally:
        server.stop()
    assert 0 < at_kill < RESIDENTS * load_bench.QUESTIONS, "the kill did not land mid-load"
    assert load_bench.verify(database_url, crowd) == []
    assert load_bench.tallies_check(database_url) == (0, "bench: OK\n")  # no drift either
    assert all(len(r.acked) == load_bench.QUESTIONS for r in crowd)
