"""`flask backup` writes a copy that restores with the data in it."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.load_bench import add_bench_survey
from survey.core.backup import find_pg_tool, pg_environment
from survey.extensions import db
from survey.models import Survey


def _backup(app, path):
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(path)])
    assert result.exit_code == 0, result.output
    assert path.exists() and not path.with_name(path.name + ".partial").exists()
    assert path.stat().st_mode & 0o077 == 0  # only the owner may read it


def test_backup_restores_with_the_data(app, tmp_path):
    slug = f"backup-{uuid.uuid4().hex[:8]}"
    add_bench_survey(slug, questions=3)
    path = tmp_path / "copy"
    _backup(app, path)
    db.session.add(Survey(slug="after-the-backup", title={"nl": "Later"}))
    db.session.commit()
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(path) as copy:
            slugs = {row[0] for row in copy.execute("SELECT slug FROM survey")}
            questions = copy.execute("SELECT count(*) FROM question").fetchone()[0]
        copy.close()
    else:
        slugs, questions = _restore_postgresql(url, path)
    assert slug in slugs and "after-the-backup" not in slugs
    assert questions == 3


def _restore_postgresql(url, path):
    """pg_restore the archive into a fresh database, read it, drop the database."""
    fresh = f"bp_restore_{uuid.uuid4().hex[:10]}"
    admin_url = url.set(query={}).render_as_string(hide_password=False)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{fresh}"'))
    try:
        env, _ = pg_environment(url.set(database=fresh, query={}))
        subprocess.run(
            [find_pg_tool("pg_restore"), "--no-owner", f"--dbname={fresh}", str(path)],
            env=env,
            check=True,
            capture_output=True,
        )
        schema = url.query["options"].split("search_path=", 1)[1]
        restored = create_engine(url.set(database=fresh, query={}))
        with restored.connect() as conn:
            slugs = set(conn.execute(text(f'SELECT slug FROM "{schema}".survey')).scalars())
            questions = conn.execute(text(f'SELECT count(*) FROM "{schema}".question')).scalar()
        restored.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)'))
        admin.dispose()
    return slugs, questions
