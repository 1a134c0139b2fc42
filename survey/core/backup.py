"""`flask --app app backup [--output PATH]`: a consistent copy of the database."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url


def _default_output(suffix: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(current_app.instance_path) / "backups" / f"buurtpeiling-{stamp}{suffix}"


def backup_sqlite(database: str, output: Path) -> None:
    """SQLite's online backup API: a consistent snapshot while the app keeps writing."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    target = sqlite3.connect(output)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def find_pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest under /usr/lib/postgresql/."""
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise click.ClickException(f"{name} not found: install the PostgreSQL client tools")
    return found


def pg_environment(url) -> tuple[dict, list[str]]:
    """libpq settings for a SQLAlchemy URL (password via the environment), and --schema."""
    env = {**os.environ}
    for key, value in {
        "PGHOST": url.host,
        "PGPORT": url.port,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }.items():
        if value is not None:
            env[key] = str(value)
    options = url.query.get("options", "")
    schema = options.split("search_path=", 1)[1].split()[0] if "search_path=" in options else ""
    return env, [f"--schema={schema}"] if schema else []


def backup_postgresql(url, output: Path) -> None:
    """pg_dump in its custom format: one consistent snapshot, restored with pg_restore."""
    env, extra = pg_environment(url)
    command = [find_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={output}"]
    # The arguments come from the app's own DATABASE_URL, not from a request.
    result = subprocess.run([*command, *extra], env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise click.ClickException(f"pg_dump failed: {result.stderr.strip()}")


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write.")
def backup(output: Path | None) -> None:
    """Write a consistent copy of the database (SQLite file or pg_dump archive)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    sqlite = url.get_backend_name() == "sqlite"
    output = output or _default_output(".sqlite3" if sqlite else ".dump")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    if sqlite:
        backup_sqlite(url.database, partial)
    else:
        backup_postgresql(url, partial)
    partial.chmod(0o600)  # it holds volunteers' contact details
    partial.replace(output)
    click.echo(f"Backup written to {output}")
