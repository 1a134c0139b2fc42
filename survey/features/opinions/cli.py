"""`flask --app app opinions --votes participants-votes.csv --json`: opinion groups from a file."""

from __future__ import annotations

import json
from pathlib import Path

import click

METADATA_COLUMNS = 7  # `participant` and six more before the statements (Polis open data)


def read_polis_votes(path: Path):
    """The vote matrix of a Polis `participants-votes.csv` export."""
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype=str)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"cannot read {path}: {exc}") from None
    columns = list(frame.columns)
    if "participant" not in columns:
        raise click.ClickException(f"{path} has no `participant` column")
    # Older exports have one metadata column fewer (no `xid`): statements follow n-disagree.
    start = columns.index("n-disagree") + 1 if "n-disagree" in columns else METADATA_COLUMNS
    statements = columns[start:]
    if not statements:
        raise click.ClickException(f"{path} has no statement columns")
    matrix = frame.set_index("participant")[statements].apply(pd.to_numeric, errors="coerce")
    matrix.index = [_id(p) for p in matrix.index]
    matrix.columns = [_id(s) for s in matrix.columns]
    return matrix


def _id(label):
    text = str(label).strip()
    return int(text) if text.lstrip("-").isdigit() else text


@click.command("opinions")
@click.option(
    "--votes",
    "votes_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A vote matrix in the Polis participants-votes.csv format.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--k", type=click.IntRange(min=1), help="Fix the number of groups.")
@click.option(
    "--min-group",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Hide groups smaller than this.",
)
def opinions(votes_file: Path, as_json: bool, k: int | None, min_group: int) -> None:
    """Find opinion groups, what sets them apart and what everyone agrees on."""
    from survey.profiling.opinions import find_groups

    try:
        result = find_groups(read_polis_votes(votes_file), k=k, min_group_size=min_group)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    data = result.to_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    unclustered = "some" if result.unclustered is None else result.unclustered
    click.echo(f"{len(result.participants)} participants, {unclustered} with too few votes")
    click.echo(f"{result.k} groups found, {result.hidden_groups} hidden (small, or derivable)")
    for group in result.groups:
        click.echo(f"group {group.group}: {group.size} participants")
        for r in group.representative:
            click.echo(f"  {r.direction} {r.statement}: {_pct(r.rate)} (rest {_pct(r.rate_rest)})")
    for c in result.consensus:
        click.echo(f"consensus {c.direction} {c.statement}: agree {_pct(c.agree)}")


def _pct(rate: float | None) -> str:
    return "hidden" if rate is None else f"{rate:.0%}"
