"""`flask --app app translations export|import --survey SLUG --lang tr FILE`: a survey's texts
for translators as a PO file. (The interface's own strings have their pybabel workflow.)"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _

from survey.core.errors import UserError
from survey.features.translations import service as translating
from survey.models import Survey

translations_cli = AppGroup("translations", help="A survey's texts per language as PO files.")
_survey_option = click.option("--survey", "slug", required=True, help="The survey's slug.")
_lang_option = click.option("--lang", required=True, help="The language, such as tr.")


def _survey(slug: str) -> Survey:
    survey = translating.find_survey(slug)
    if survey is None:
        raise click.ClickException(_("Er is geen peiling met de naam %(slug)s.", slug=slug))
    return survey


@translations_cli.command("export")
@_survey_option
@_lang_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_command(slug: str, lang: str, file: Path) -> None:
    """Write the survey's texts for one language to a PO file."""
    with force_locale("nl"):  # no request here to choose a language from
        try:
            data = translating.export_po(_survey(slug), lang)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        file.write_bytes(data)
        click.echo(_("%(file)s geschreven.", file=file))


@translations_cli.command("import")
@_survey_option
@_lang_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(slug: str, lang: str, file: Path) -> None:
    """Read a translated PO file; with errors nothing is read and the exit status is 1."""
    with force_locale("nl"):
        try:
            report = translating.import_po(None, _survey(slug), lang, file.read_bytes())
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        for line, reason in report.notes:
            click.echo(_("Regel %(n)s: %(reason)s", n=line, reason=reason), err=True)
        if report.errors:
            click.echo(_("Het bestand is niet ingelezen:"), err=True)
            for line, reason in report.errors:
                click.echo(_("Regel %(n)s: %(reason)s", n=line, reason=reason), err=True)
            raise SystemExit(1)
        click.echo(translating.summary(report))
