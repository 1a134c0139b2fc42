"""Kerncijfers: an area's figures from CBS ("Kerncijfers wijken en buurten"), read from the CSV
that CBS StatLine or its open data portal gives, and stored on the area with their year.

CBS renumbers its columns every year (`AantalInwoners_5` in one table, `AantalInwoners_6` in
the next), so a column is known by its name before the numeric suffix.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core import csvfile
from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.areas.service import CODE_RE, PREFIX_LEVEL
from survey.models import Area, Officer

# The figures kept, by CBS base name: people (counts), households (counts), homes (percent).
FIGURES = (
    "AantalInwoners",
    "k_0Tot15Jaar",
    "k_15Tot25Jaar",
    "k_25Tot45Jaar",
    "k_45Tot65Jaar",
    "k_65JaarOfOuder",
    "HuishoudensTotaal",
    "Eenpersoonshuishoudens",
    "HuishoudensZonderKinderen",
    "HuishoudensMetKinderen",
    "Koopwoningen",
    "HuurwoningenTotaal",
)
# The region code's column (base name, lower case), best first: with labels, StatLine puts the
# region's name in WijkenEnBuurten and its code in Codering.
CODE_COLUMNS = ("codering", "wijkenenbuurten")
PERIOD_COLUMN = "perioden"
SUFFIX_RE = re.compile(r"_\d+$")
NUMBER_RE = re.compile(r"[-+]?\d+(\.\d+)?")
PERIOD_RE = re.compile(r"(\d{4})(JJ\d\d)?")
# The whole country's row in a national download (NL01): well formed, never one of our areas.
COUNTRY_RE = re.compile(r"NL\d{2}")
YEARS = range(1900, 2101)


@dataclass(frozen=True)
class FigureRow:
    line: int
    code: str
    year: int
    figures: dict[str, float | None]


@dataclass
class FiguresReport:
    stored: int = 0
    skipped_unknown: int = 0  # a well-formed code of an area this municipality does not have
    skipped_older: int = 0  # the area already has figures of a later year
    year: int | None = None
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


def base_name(column: str) -> str:
    """`AantalInwoners_6` -> `AantalInwoners`, `Codering_3` -> `Codering`."""
    return SUFFIX_RE.sub("", column.strip())


def parse_value(raw: str | None, decimal_comma: bool = False) -> float | None:
    """A CBS cell as a number; None for "." (secret or unknown) and for an empty cell.
    Raises ValueError for anything else."""
    text = (raw or "").strip()
    if text in ("", "."):
        return None
    if decimal_comma:
        text = text.replace(",", ".")
    if not NUMBER_RE.fullmatch(text):
        raise ValueError(text)
    return float(text)


def _well_formed(code: str) -> bool:
    level = PREFIX_LEVEL.get(code[:2])
    return bool(COUNTRY_RE.fullmatch(code) or (level and CODE_RE[level].fullmatch(code)))


def _columns(names: list[str]) -> tuple[str | None, str | None, dict[str, str]]:
    """The code column, the period column, and figure -> column, of a header."""
    by_base: dict[str, str] = {}
    for name in names:
        by_base.setdefault(base_name(name).lower(), name)
    code = next((by_base[c] for c in CODE_COLUMNS if c in by_base), None)
    figures = {f: by_base[f.lower()] for f in FIGURES if f.lower() in by_base}
    return code, by_base.get(PERIOD_COLUMN), figures


def _year(raw: str | None) -> int | None:
    """The year of a CBS period ("2024JJ00", "2024"), None for an empty cell."""
    text = (raw or "").strip()
    if not text:
        return None
    found = PERIOD_RE.fullmatch(text.upper())
    if not found or int(found[1]) not in YEARS:
        raise UserError(_l("de periode '%(p)s' is geen jaar (zoals 2024JJ00)", p=text[:20]))
    return int(found[1])


def _row(record: dict, line: int, columns: tuple, decimal_comma: bool, year: int | None):
    code_column, period_column, figure_columns = columns
    code = (record.get(code_column) or "").strip().upper()
    if not code:
        raise UserError(_l("de CBS-code ontbreekt"))
    if not _well_formed(code):
        raise UserError(_l("%(c)s is geen CBS-code van een gemeente, wijk of buurt", c=code[:20]))
    row_year = year or _year(record.get(period_column) if period_column else None)
    figures = {}
    for name, column in figure_columns.items():
        try:
            figures[name] = parse_value(record.get(column), decimal_comma)
        except ValueError:
            value = (record.get(column) or "").strip()[:30]
            raise UserError(
                _l("in kolom %(col)s staat '%(v)s': geen getal, en geen '.'", col=column, v=value)
            ) from None
    return FigureRow(line, code, row_year or date.today().year, figures)


def read_figures(data: bytes, year: int | None = None) -> tuple[list[FigureRow], list]:
    """The rows of a CBS CSV, and (line, reason) for each bad row. The year is `year`, else
    the row's Perioden, else this year. Raises UserError for a file that is not one."""
    if not data.strip():
        raise UserError(_l("Het bestand is leeg."), field="file")
    reader = csvfile.reader(data)
    try:
        reader.fieldnames = [(n or "").strip() for n in reader.fieldnames or []]
        columns = _columns(reader.fieldnames)
        if columns[0] is None:
            message = _l(
                "Het bestand heeft geen kolom met de CBS-code (WijkenEnBuurten of Codering)."
            )
            raise UserError(message, field="file")
        if not columns[2]:
            message = _l("Het bestand heeft geen kerncijfers die we kennen (zoals AantalInwoners).")
            raise UserError(message, field="file")
        decimal_comma = reader.reader.dialect.delimiter == ";"
        rows, errors = [], []
        for record in reader:
            try:
                rows.append(_row(record, reader.line_num, columns, decimal_comma, year))
            except UserError as exc:
                errors.append((reader.line_num, exc.message))
        return rows, errors
    except csv.Error as exc:  # a cell over the csv module's limit, a quote left open...
        raise UserError(
            _l("Dit is geen leesbaar CSV-bestand (regel %(line)s).", line=reader.line_num + 1),
            field="file",
        ) from exc


def store_figures(data: bytes, year: int | None = None) -> FiguresReport:
    """Put a CBS file's figures on the areas it names, in the session, without committing.
    A file with a bad row changes nothing: the report then holds the errors."""
    rows, errors = read_figures(data, year)
    newest = max((row.year for row in rows), default=None)
    report = FiguresReport(year=year or newest or date.today().year, errors=errors)
    if errors:
        return report
    latest: dict[str, FigureRow] = {}
    for row in rows:  # an area twice (two periods): its later year, else its later line
        if row.code not in latest or row.year >= latest[row.code].year:
            latest[row.code] = row
    areas = {
        a.cbs_code: a for a in db.session.scalars(select(Area).where(Area.cbs_code.isnot(None)))
    }
    for code, row in latest.items():
        area = areas.get(code)
        if area is None:
            report.skipped_unknown += 1
        elif (area.figures_year or 0) > row.year:
            report.skipped_older += 1
        else:
            if (area.figures, area.figures_year) != (row.figures, row.year):
                area.figures, area.figures_year = dict(row.figures), row.year
            report.stored += 1
    return report


def import_area_figures(officer: Officer | None, data: bytes, year: int | None = None):
    """Import a CBS "Kerncijfers wijken en buurten" CSV: all of it, or (a bad row) nothing."""
    report = store_figures(data, year)
    if report.errors:
        db.session.rollback()
        return report
    audit(
        officer,
        "import_area_figures",
        str(report.year),
        stored=report.stored,
        skipped_unknown=report.skipped_unknown,
        skipped_older=report.skipped_older,
    )
    db.session.commit()
    return report


def summary(report: FiguresReport) -> str:
    """The counts of an import, in one line."""
    return str(
        _l(
            "Kerncijfers %(year)s: %(stored)s gebieden bijgewerkt, %(unknown)s onbekende codes "
            "overgeslagen, %(older)s overgeslagen omdat er al nieuwere cijfers zijn.",
            year=report.year,
            stored=report.stored,
            unknown=report.skipped_unknown,
            older=report.skipped_older,
        )
    )


def figures_of(area: Area) -> tuple[dict | None, int | None, Area | None]:
    """The area's figures, else those of its nearest ancestor that has them: (figures, year,
    the area they belong to), or (None, None, None)."""
    node = area
    while node is not None:
        if node.figures is not None:
            return node.figures, node.figures_year, node
        node = node.parent
    return None, None, None


def _share(part: float | None, whole: float | None) -> int | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole)


def key_figures(figures: dict | None) -> dict:
    """What a row shows: inwoners, and the shares of 65+ (of inwoners), households with
    children (of households) and rented homes (CBS gives that one as a percentage)."""
    figures = figures or {}
    people, households = figures.get("AantalInwoners"), figures.get("HuishoudensTotaal")
    rented = figures.get("HuurwoningenTotaal")
    return {
        "inwoners": None if people is None else round(people),
        "share_65": _share(figures.get("k_65JaarOfOuder"), people),
        "share_children": _share(figures.get("HuishoudensMetKinderen"), households),
        "share_rented": None if rented is None else round(rented),
    }
