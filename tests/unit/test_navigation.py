"""The way through a survey: the shared cases against the Python rule, and node's run of them
against the service worker's rule (static/js/navigation.js)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from survey.features.answering import navigation
from survey.features.answering.service import SECONDS_PER_QUESTION

ROOT = Path(__file__).resolve().parents[2]
TABLE = json.loads((ROOT / "tests" / "data" / "navigation_cases.json").read_text())
ENDS = {"offer": "(offer)", "done": "(done)"}


def _questions(name: str) -> list[SimpleNamespace]:
    """The survey's questions as an officer built them (defaults as the model has them)."""
    return [
        SimpleNamespace(
            **{"position": i, "required": False, "show_if": None, "hidden": False}
            | {"review": "approved"}
            | q
        )
        for i, q in enumerate(TABLE["surveys"][name]["questions"])
    ]


def _step(step: navigation.Step) -> str:
    return step.question.code if step.kind == "question" else ENDS[step.kind]


@pytest.mark.parametrize("name", sorted(TABLE["surveys"]))
def test_the_phone_is_offered_the_visible_questions_in_order(name):
    survey = TABLE["surveys"][name]
    offered = navigation.offered(_questions(name))
    assert [q.code for q in offered] == survey["offered"]
    assert SECONDS_PER_QUESTION[survey["kind"]] == survey["seconds_per_question"]
    core = navigation.path(offered, {}, "core")
    minutes = navigation.minutes(len(core), survey["seconds_per_question"])
    assert minutes == survey["server"]["core_minutes"]
    assert navigation.deeper_count(offered) == survey["server"]["deeper_count"]


@pytest.mark.parametrize("case", TABLE["cases"], ids=lambda case: case["name"])
def test_navigation_case(case):
    survey = TABLE["surveys"][case["survey"]]
    questions = navigation.offered(_questions(case["survey"]))
    state, expect = case["state"], case["expect"]
    answers, layer, completed = state["answers"], state["layer"], state["completed"]
    if "path" in expect:
        assert [q.code for q in navigation.path(questions, answers, layer)] == expect["path"]
    step = navigation.current_step(questions, answers, layer, completed)
    assert _step(step) == expect["current"]
    if "end" in expect:
        assert _step(navigation.end_step(questions, layer, completed)) == expect["end"]
    for code, wanted in expect.get("after", {}).items():
        after = navigation.step_after(questions, answers, layer, completed, code)
        assert _step(after) == wanted, f"after {code}"
    for code, wanted in expect.get("before", {}).items():
        before = navigation.step_before(questions, answers, layer, code)
        assert (before.code if before else None) == wanted, f"before {code}"
    for code, wanted in expect.get("progress", {}).items():
        seconds = survey["seconds_per_question"]
        assert navigation.progress(questions, answers, layer, code, seconds) == wanted, code


def test_the_service_worker_follows_the_same_cases():
    """node --test runs tests/js/ (the same cases against static/js/navigation.js)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to test the service worker's rules (Node 20)")
    result = subprocess.run(
        [node, "--test", "tests/js/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
