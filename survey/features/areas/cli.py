"""`flask --app app areas figures import FILE [--year YYYY]`: an area's CBS figures;
`flask --app app areas boundaries import FILE`: the outlines of its buurten and wijken."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _

from survey.core.errors import UserError
from survey.features.areas import boundaries as area_boundaries
from survey.features.areas import figures as area_figures

areas_cli = AppGroup("areas", help="Gebieden: the gemeente, its wijken and buurten.")
figures_cli = AppGroup("figures", help="Kerncijfers wijken en buurten from CBS.")
boundaries_cli = AppGroup("boundaries", help="Buurt and wijk boundaries (GeoJSON).")
areas_cli.add_command(figures_cli)
areas_cli.add_command(boundaries_cli)


@figures_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--year",
    type=click.IntRange(min(area_figures.YEARS), max(area_figures.YEARS)),
    help="The year of the figures (else the Perioden column, else this year).",
)
def import_figures(file: Path, year: int | None) -> None:
    """Read a CSV of "Kerncijfers wijken en buurten" (CBS StatLine) into the areas.

    A bad row refuses the whole file: the rows are listed with their line numbers and the
    command exits with status 1. Figures of an earlier year never replace later ones.
    """
    with force_locale("nl"):  # no request here to choose a language from
        try:
            report = area_figures.import_area_figures(None, file.read_bytes(), year)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        if report.errors:
            click.echo(_("Het bestand is niet ingelezen:"), err=True)
            for line, reason in report.errors:
                click.echo(_("Regel %(n)s: %(reason)s", n=line, reason=reason), err=True)
            raise SystemExit(1)
        click.echo(area_figures.summary(report))


@boundaries_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_boundaries(file: Path) -> None:
    """Read a GeoJSON FeatureCollection of the CBS wijk- en buurtkaart into the areas.

    WGS84, or RD New when the file's crs names EPSG:28992. A feature with a bad geometry
    refuses the whole file (exit status 1); areas not in the file keep their boundary.
    """
    with force_locale("nl"):
        if file.stat().st_size > area_boundaries.MAX_BYTES:
            raise click.ClickException(
                _(
                    "Het bestand is te groot (hoogstens %(mb)s MB).",
                    mb=area_boundaries.MAX_BYTES // 2**20,
                )
            )
        try:
            report = area_boundaries.import_boundaries(None, file.read_bytes())
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(area_boundaries.summary(report))
