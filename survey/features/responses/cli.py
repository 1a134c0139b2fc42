"""`flask --app app responses import FILE.csv --survey SLUG`: paper and imported responses;
`flask --app app responses mark-personal-data`: mark personal data in texts stored before;
`flask --app app themes --survey SLUG [--json]`: the themes in the open answers."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from survey.core.errors import UserError
from survey.features.builder.service import find_survey
from survey.features.responses import imports, themes
from survey.features.responses import service as responses

responses_cli = AppGroup("responses", help="Import responses (paper forms, other tools).")


@responses_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--survey", "slug", required=True, help="The survey's slug.")
def import_file(file: Path, slug: str) -> None:
    """Import a CSV: columns are question codes, plus optional ref, area, channel and lang.

    Valid rows are stored; invalid rows are listed with their line numbers and the command
    exits with status 1. A ref that was imported before adds nothing.
    """
    survey = find_survey(slug)
    if survey is None:
        raise click.ClickException(f"no survey with slug {slug}")
    try:
        with force_locale("nl"):  # no request here to choose a language from
            report = imports.import_responses(survey, file.read_bytes(), filename=file.name)
            errors = [(line, "; ".join(map(str, reasons))) for line, reasons in report.errors]
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"{report.added} responses imported, {report.already} already present, "
        f"{len(report.errors)} rows invalid."
    )
    for line, reasons in errors:
        click.echo(f"line {line}: {reasons}", err=True)
    if report.errors:
        raise SystemExit(1)


@responses_cli.command("mark-personal-data")
def mark_personal_data() -> None:
    """Mark personal data in open answers and statements stored before it was detected.

    Their text is masked in exports and on pages either way; the mark shows them on
    Open antwoorden and Meningen for an officer to confirm or clear. Running it twice
    changes nothing.
    """
    answers, statements = responses.mark_personal_data()
    click.echo(f"{answers} open answers and {statements} statements marked.")


@click.command("themes")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--json", "as_json", is_flag=True, help="Print the themes as one JSON list.")
def themes_command(slug: str, as_json: bool) -> None:
    """Find the themes in the open answers again, keeping officers' names, and list them."""
    survey = find_survey(slug)
    if survey is None:
        raise click.ClickException(f"no survey with slug {slug}")
    found = themes.listing(survey)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    if not found:
        click.echo("No themes (no open question with 10 or more answers).")
    for theme in found:
        click.echo(f"{theme['question']}: {theme['name']} ({theme['size']} answers)")
        click.echo(f"  words: {', '.join(theme['top_words'])}")
