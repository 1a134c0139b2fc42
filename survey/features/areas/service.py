"""Gebieden: the gemeente / wijk / buurt tree, edited by hand or imported from a CBS-coded CSV."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core import csvfile
from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.models import LEVELS, Area, Officer

CODE_RE = {
    "gemeente": re.compile(r"GM\d{4}"),
    "wijk": re.compile(r"WK\d{4}[0-9A-Z]{2}"),
    "buurt": re.compile(r"BU\d{4}[0-9A-Z]{4}"),
}
PREFIX_LEVEL = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
PARENT_LEVEL = {"wijk": "gemeente", "buurt": "wijk"}
POSTCODE_RE = re.compile(r"\d{4}")
# Accepted column names (lower case) for the generic format, Dutch or English.
COLUMNS = {
    "code": ("code", "cbs_code", "cbscode"),
    "name": ("name", "naam"),
    "level": ("level", "niveau", "soort"),
    "parent": ("parent", "ouder", "parent_code", "valt_onder"),
    "postcodes": ("postcodes", "postcode", "pc4"),
}
# CBS wijk- en buurtkaart style: one row per buurt (or wijk) with the codes of all levels.
CBS_COLUMNS = (("gm_code", "gm_naam"), ("wk_code", "wk_naam"), ("bu_code", "bu_naam"))


@dataclass
class ImportReport:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


@dataclass
class Row:
    line: int
    code: str
    name: str
    level: str
    parent: str  # a CBS code, or "" for a gemeente
    postcodes: list[str] | None  # None: the file says nothing about postcodes


def tree() -> list[Area]:
    """The gemeenten, each with its wijken and buurten as children."""
    query = select(Area).where(Area.parent_id.is_(None)).order_by(Area.name)
    return list(db.session.scalars(query))


def parents_for(level: str) -> list[Area]:
    """The areas a new area of this level can hang under."""
    wanted = PARENT_LEVEL.get(level)
    if wanted is None:
        return []
    return list(db.session.scalars(select(Area).where(Area.level == wanted).order_by(Area.name)))


def level_of(code: str) -> str | None:
    return PREFIX_LEVEL.get(code[:2])


def parent_code(code: str) -> str:
    """GM0363 for WK036300, WK036300 for BU03630000."""
    if code.startswith("WK"):
        return "GM" + code[2:6]
    if code.startswith("BU"):
        return "WK" + code[2:8]
    return ""


def parse_postcodes(raw: str) -> list[str]:
    codes = [p for p in re.split(r"[\s,;]+", raw or "") if p]
    bad = [p for p in codes if not POSTCODE_RE.fullmatch(p)]
    if bad:
        message = _l("Een postcode heeft 4 cijfers; dit klopt niet: %(p)s.", p=bad[0])
        raise UserError(message, field="postcodes")
    return sorted(set(codes))


def _check_code(code: str, level: str, area: Area | None = None) -> str | None:
    code = code.strip().upper()
    if not code:
        return None
    if not CODE_RE[level].fullmatch(code):
        raise UserError(
            _l(
                "De CBS-code %(c)s past niet bij een %(l)s (zoals %(e)s).",
                c=code,
                l=level,
                e={"gemeente": "GM0363", "wijk": "WK036300", "buurt": "BU03630000"}[level],
            ),
            field="cbs_code",
        )
    other = db.session.scalar(select(Area).where(Area.cbs_code == code))
    if other is not None and other is not area:
        message = _l("Het gebied %(n)s heeft de CBS-code %(c)s al.", n=other.name, c=code)
        raise UserError(message, field="cbs_code")
    return code


def add_area(
    officer: Officer, level: str, name: str, parent_id: int | None, code: str, postcodes: str
) -> Area:
    """Add a gemeente, or a wijk or buurt under its parent (the form checked level and name)."""
    parent = None
    if level != "gemeente":
        parent = db.session.get(Area, parent_id) if parent_id else None
        if parent is None or parent.level != PARENT_LEVEL[level]:
            raise UserError(_l("Kies onder welk gebied dit gebied valt."), field="parent_id")
    cbs_code = _check_code(code, level)
    pc4 = parse_postcodes(postcodes) if level == "buurt" else []
    area = Area(level=level, name=name, parent=parent, cbs_code=cbs_code, postcodes=pc4)
    db.session.add(area)
    db.session.flush()
    audit(officer, "add_area", area.cbs_code or area.name, level=level)
    db.session.commit()
    return area


def update_area(officer: Officer, area: Area, name: str, code: str, postcodes: str) -> None:
    """Rename an area, set its CBS code and (for a buurt) its postcodes."""
    cbs_code = _check_code(code, area.level, area)
    new_postcodes = parse_postcodes(postcodes) if area.level == "buurt" else []
    area.name, area.cbs_code, area.postcodes = name, cbs_code, new_postcodes
    audit(officer, "update_area", area.cbs_code or area.name)
    db.session.commit()


# --- CSV import ---------------------------------------------------------------------------


def _column_names(reader: csv.DictReader) -> list[str]:
    """The header's names, trimmed and in lower case (read here, where the file is parsed)."""
    reader.fieldnames = [(n or "").strip().lower() for n in reader.fieldnames or []]
    return reader.fieldnames


def _column(names: list[str], key: str) -> str | None:
    return next((n for n in COLUMNS[key] if n in names), None)


def _generic_rows(reader: csv.DictReader) -> tuple[list[Row], list[tuple[int, str]]]:
    names = reader.fieldnames
    cols = {key: _column(names, key) for key in COLUMNS}
    rows, errors = [], []
    for record in reader:
        line = reader.line_num
        cells = {k: (record.get(c) or "").strip() if c else "" for k, c in cols.items()}
        code = cells["code"].upper()
        level = cells["level"].lower() or level_of(code) or ""
        try:
            if not code:
                raise UserError(_l("de CBS-code ontbreekt"))
            if level not in LEVELS:
                raise UserError(_l("onbekend niveau '%(l)s' (gemeente, wijk of buurt)", l=level))
            if not CODE_RE[level].fullmatch(code):
                raise UserError(_l("de code %(c)s past niet bij een %(l)s", c=code, l=level))
            if not cells["name"]:
                raise UserError(_l("de naam ontbreekt"))
            postcodes = parse_postcodes(cells["postcodes"]) if cols["postcodes"] else None
            parent = cells["parent"].upper() or parent_code(code)
            rows.append(Row(line, code, cells["name"][:120], level, parent, postcodes))
        except UserError as exc:
            errors.append((line, exc.message))
    return rows, errors


def _cbs_rows(reader: csv.DictReader) -> tuple[list[Row], list[tuple[int, str]]]:
    rows, errors = [], []
    for record in reader:
        line = reader.line_num
        parent = ""
        for (code_col, name_col), level in zip(CBS_COLUMNS, LEVELS, strict=True):
            code = (record.get(code_col) or "").strip().upper()
            name = (record.get(name_col) or "").strip()
            if not code:
                break
            if not CODE_RE[level].fullmatch(code) or not name:
                errors.append((line, str(_l("%(c)s: ongeldige code of lege naam", c=code))))
                break
            postcodes = None
            if level == "buurt" and "postcodes" in record:
                try:
                    postcodes = parse_postcodes(record["postcodes"] or "")
                except UserError as exc:
                    errors.append((line, exc.message))
                    break
            rows.append(Row(line, code, name[:120], level, parent, postcodes))
            parent = code
    return rows, errors


def read_csv(data: bytes) -> tuple[list[Row], list[tuple[int, str]]]:
    """The rows of an area CSV (generic or CBS style), and (line, reason) for bad rows."""
    reader = csvfile.reader(data)
    try:
        names = _column_names(reader)
        if "gm_code" in names:
            return _cbs_rows(reader)
        if not _column(names, "code") or not _column(names, "name"):
            raise UserError(
                _l(
                    "Het bestand heeft geen kolommen 'code' en 'name' "
                    "(of GM_CODE, WK_CODE, BU_CODE)."
                )
            )
        return _generic_rows(reader)
    except csv.Error as exc:  # a cell over the csv module's limit, a quote left open...
        raise UserError(
            _l("Dit is geen leesbaar CSV-bestand (regel %(line)s).", line=reader.line_num + 1),
            field="file",
        ) from exc


def import_areas(officer: Officer, data: bytes) -> ImportReport:
    """Add or update areas by CBS code; bad rows are reported and the rest is imported."""
    rows, errors = read_csv(data)
    report = ImportReport(errors=list(errors))
    existing = {a.cbs_code: a for a in db.session.scalars(select(Area)) if a.cbs_code}
    done: dict[str, Row] = {}
    for row in sorted(rows, key=lambda r: (LEVELS.index(r.level), r.line)):
        if row.code in done:
            if (row.name, row.parent) != (done[row.code].name, done[row.code].parent):
                report.errors.append((row.line, str(_l("de code %(c)s staat er al", c=row.code))))
            continue
        parent = existing.get(row.parent) if row.parent else None
        if row.level != "gemeente" and (parent is None or parent.level != PARENT_LEVEL[row.level]):
            reason = _l("het bovenliggende gebied %(p)s bestaat niet", p=row.parent or "?")
            report.errors.append((row.line, str(reason)))
            continue
        area = existing.get(row.code)
        if area is not None and area.level != row.level:
            report.errors.append(
                (row.line, str(_l("%(c)s is al een %(l)s", c=row.code, l=area.level)))
            )
            continue
        _apply(row, area, parent, existing, report)
        done[row.code] = row
    report.errors.sort()
    db.session.flush()
    audit(
        officer,
        "import_areas",
        "",
        added=report.added,
        changed=report.changed,
        errors=len(report.errors),
    )
    db.session.commit()
    return report


def _apply(row: Row, area: Area | None, parent: Area | None, existing: dict, report) -> None:
    if area is None:
        area = Area(
            cbs_code=row.code,
            level=row.level,
            name=row.name,
            parent=parent,
            postcodes=row.postcodes or [],
        )
        db.session.add(area)
        existing[row.code] = area
        report.added += 1
        return
    wanted = {"name": row.name, "parent": parent}
    if row.postcodes is not None:
        wanted["postcodes"] = row.postcodes
    if all(getattr(area, key) == value for key, value in wanted.items()):
        report.unchanged += 1
        return
    for key, value in wanted.items():
        setattr(area, key, value)
    report.changed += 1
