"""Starting the app: importing it does no work, and production refuses to start half-set-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "numpy", "sklearn", "scipy", "fpdf", "openpyxl", "qrcode", "PIL")
CHECK = (
    "import sys, app\n"
    "from survey.features.accounts import service\n"
    f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    "print(service._dummy_hash.cache_info().currsize)\n"
)


def _run(args, tmp_path, **env):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'start.sqlite3'}",
        "SECRET_KEY": "start-test",
        **env,
    }
    environment = {k: v for k, v in environment.items() if v is not None}
    return subprocess.run(
        args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_importing_the_app_loads_no_analysis_or_pdf_library_and_hashes_nothing(tmp_path):
    result = _run([sys.executable, "-c", CHECK], tmp_path)
    assert result.returncode == 0, result.stderr
    loaded, hashes = result.stdout.split("\n")[:2]
    assert loaded == "[]", f"imported at start-up: {loaded}"
    assert hashes == "0", "a password was hashed at import"


def test_production_without_secret_key_refuses_to_start_with_one_clear_line(tmp_path):
    result = _run(
        [sys.executable, "-m", "flask", "--app", "app", "outbox", "send"],
        tmp_path,
        BUURTPEILING_ENV="production",
        SECRET_KEY=None,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [lines[0]] and "SECRET_KEY" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_production_with_a_secret_key_starts(tmp_path):
    result = _run(
        [sys.executable, "-m", "flask", "--app", "app", "routes"],
        tmp_path,
        BUURTPEILING_ENV="production",
    )
    assert result.returncode == 0, result.stderr
    assert "/s/<code>" in result.stdout
