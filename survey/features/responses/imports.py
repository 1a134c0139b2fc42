"""Paper and imported responses: a CSV with one row per form, checked like a web answer."""

from __future__ import annotations

import csv
import re
import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.core import csvfile
from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.answering import service as answering
from survey.features.answering.validation import parse_answer
from survey.features.tallies import service as tallies
from survey.models import (
    Answer,
    Area,
    Channel,
    Officer,
    Question,
    Response,
    Survey,
    personal_data_mark,
)
from survey.models._types import utcnow

META = ("ref", "area", "channel", "lang")
NAMESPACE = uuid.UUID("0b7c3f5e-2d4a-4f1e-8c6b-9a1d2e3f4a5b")  # UUIDs of paper forms
CBS_CODE = re.compile(r"(GM|WK|BU)[0-9A-Z]{4,10}", re.IGNORECASE)


def file_error(message) -> UserError:
    """The file as a whole cannot be read (not CSV, unknown columns)."""
    return UserError(message, field="file", code="file")


@dataclass
class ImportReport:
    added: int = 0
    already: int = 0  # rows whose ref was imported before
    errors: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, reasons)


@dataclass
class _Row:
    line: int
    ref: str | None
    area_id: int | None
    channel_id: int | None
    lang: str
    values: dict[int, object]
    deeper: bool


def _columns(survey: Survey, fieldnames: list[str] | None) -> dict[str, Question]:
    """Map the file's question columns to questions (by code, else by engagement item)."""
    if not fieldnames:
        raise file_error(_("Het bestand is leeg of heeft geen kopregel."))
    by_code = {q.code: q for q in survey.questions}
    by_item = {q.item: q for q in survey.questions if q.item}
    columns, unknown = {}, []
    for name in fieldnames:
        key = (name or "").strip()
        if key in META:
            continue
        question = by_code.get(key) or by_item.get(key)
        if question is None:
            unknown.append(key or "?")
        else:
            columns[name] = question
    if unknown:
        raise file_error(_("Onbekende kolommen: %(names)s.", names=", ".join(unknown)))
    return columns


def _form(question: Question, cell: str, areas: dict) -> dict[str, list[str]]:
    """The cell as the form a web answer would have sent (lists split on ';')."""
    parts = [p.strip() for p in cell.split(";") if p.strip()]
    if question.type == "multiple":
        return {"value": parts}
    if question.type == "ranking":
        return {f"rank{i}": [p] for i, p in enumerate(parts, start=1)}
    if question.type == "area":
        area = _find_area(cell, areas)
        if area is not None and area.level == "buurt":
            return {"value": [area.cbs_code or ""]}
        return {"postcode": [cell]}
    return {"value": [cell]}


def _find_area(value: str, areas: dict) -> Area | None:
    """The area a cell names (by CBS code or by a name only one area has); `areas` remembers
    the answers for the rest of the file."""
    value = value.strip()
    if value not in areas:
        areas[value] = _look_up_area(value)
    return areas[value]


def _look_up_area(value: str) -> Area | None:
    if CBS_CODE.fullmatch(value):
        return db.session.scalar(select(Area).where(func.upper(Area.cbs_code) == value.upper()))
    found = db.session.scalars(select(Area).where(func.lower(Area.name) == value.lower())).all()
    return found[0] if len(found) == 1 else None


def _find_channel(survey: Survey, value: str) -> Channel | None:
    value = value.strip().lower()
    return next(
        (c for c in survey.channels if c.code.lower() == value or c.label.lower() == value), None
    )


def _meta(survey: Survey, record: dict, reasons: list[str], areas: dict) -> tuple:
    ref = (record.get("ref") or "").strip() or None
    if ref and len(ref) > 40:
        reasons.append(_("ref: hoogstens 40 tekens."))
    area_id = channel_id = None
    if raw := (record.get("area") or "").strip():
        area = _find_area(raw, areas)
        if area is None:
            reasons.append(_("area: gebied '%(v)s' kennen we niet.", v=raw))
        else:
            area_id = area.id
    if raw := (record.get("channel") or "").strip():
        channel = _find_channel(survey, raw)
        if channel is None:
            reasons.append(_("channel: toegangspunt '%(v)s' hoort niet bij deze peiling.", v=raw))
        else:
            channel_id = channel.id
    else:
        paper = next((c for c in survey.channels if c.kind == "paper"), None)
        channel_id = paper.id if paper else None
    lang = (record.get("lang") or "").strip() or "nl"
    if lang not in survey.languages and lang != "nl":
        reasons.append(_("lang: deze peiling heeft geen taal '%(v)s'.", v=lang))
    return ref, area_id, channel_id, lang


def _row(survey: Survey, columns: dict[str, Question], record: dict, line: int, areas: dict):
    """A checked row, or the reasons it cannot be imported."""
    reasons: list[str] = []
    if None in record:  # more cells than the header has columns
        reasons.append(_("Deze regel heeft meer cellen dan de kopregel."))
    ref, area_id, channel_id, lang = _meta(survey, record, reasons, areas)
    cells = {q.code: (record.get(name) or "").strip() for name, q in columns.items()}
    lists = {q.code for q in columns.values() if q.type in ("multiple", "ranking")}
    given = {c: v.split(";") if c in lists else v for c, v in cells.items() if v}
    # A required question counts only where the form would have shown it.
    shown = {q.id for q in answering.path(survey, given, "deeper")}
    values: dict[int, object] = {}
    for question in columns.values():
        cell = cells[question.code]
        try:
            value = parse_answer(question, _form(question, cell, areas), skip=not cell)
        except UserError as exc:
            if cell or question.id in shown:
                reasons.append(f"{question.code}: {exc.message}")
            continue
        if value is not None:
            values[question.id] = value
            if question.type == "area" and area_id is None and isinstance(value, dict):
                area_id = value.get("area_id")
    if not values and not reasons:
        reasons.append(_("Deze regel heeft geen antwoorden."))
    if reasons:
        return reasons
    deeper = any(q.layer == "deeper" for q in columns.values() if q.id in values)
    return _Row(line, ref, area_id, channel_id, lang, values, deeper)


def _new_rows(survey: Survey, rows: list[_Row]) -> list[_Row]:
    """The rows whose ref was not imported before (a form imported twice counts once)."""
    refs = {row.ref for row in rows if row.ref}
    if not refs:
        return rows
    known = set(
        db.session.scalars(
            select(Response.ref).where(Response.survey_id == survey.id, Response.ref.is_not(None))
        )
    )
    return [row for row in rows if not row.ref or row.ref not in known]


def _store(survey: Survey, rows: list[_Row]) -> None:
    """Insert the responses and then their answers, each in bulk: the write lock is held for
    the writing alone, never while rows are checked (SQLite lets one writer in at a time)."""
    if not rows:
        return
    now = utcnow()
    open_ids = {q.id for q in survey.questions if q.type == "text"}
    keys = [
        str(uuid.uuid5(NAMESPACE, f"{survey.id}:{row.ref}") if row.ref else uuid.uuid4())
        for row in rows
    ]
    db.session.execute(
        Response.__table__.insert(),
        [
            {
                "uuid": key,
                "survey_id": survey.id,
                "channel_id": row.channel_id,
                "area_id": row.area_id,
                "lang": row.lang,
                "source": "paper",
                "ref": row.ref,
                "layer": "deeper" if row.deeper else "core",
                "started_at": now,
                "updated_at": now,
                "completed_at": now,
            }
            for key, row in zip(keys, rows, strict=True)
        ],
    )
    ids: dict[str, int] = {}
    for start in range(0, len(keys), 900):  # under SQLite's 999 bound parameters
        chunk = keys[start : start + 900]
        found = select(Response.uuid, Response.id).where(Response.uuid.in_(chunk))
        ids.update({key: id_ for key, id_ in db.session.execute(found)})
    db.session.execute(
        Answer.__table__.insert(),
        [
            {
                "response_id": ids[key],
                "question_id": qid,
                "value": value,
                "moderation": "visible",
                "personal_data": personal_data_mark(value) if qid in open_ids else None,
                "answered_at": now,
            }
            for key, row in zip(keys, rows, strict=True)
            for qid, value in row.values.items()
        ],
    )
    tallies.add_responses(ids.values())


def _checked_rows(survey: Survey, columns: dict, reader, report: ImportReport) -> list[_Row]:
    """Every row checked like a web answer, before anything is written; bad rows go to the
    report with their line numbers."""
    seen: dict[str, int] = {}
    rows: list[_Row] = []
    areas: dict = {}
    for record in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
            continue  # an empty line
        result = _row(survey, columns, record, line, areas)
        if isinstance(result, list):
            report.errors.append((line, result))
            continue
        if result.ref and result.ref in seen:
            reason = _(
                "ref %(ref)s staat ook op regel %(line)s.", ref=result.ref, line=seen[result.ref]
            )
            report.errors.append((line, [reason]))
            continue
        if result.ref:
            seen[result.ref] = line
        rows.append(result)
    return rows


def import_responses(
    survey: Survey, data: bytes, officer: Officer | None = None, filename: str = ""
) -> ImportReport:
    """Check every row, then store the valid ones as completed paper responses in one
    transaction."""
    reader = csvfile.reader(data)
    report = ImportReport()
    try:
        columns = _columns(survey, reader.fieldnames)
        rows = _checked_rows(survey, columns, reader, report)
    except csv.Error as exc:
        raise file_error(_("Dit is geen leesbaar CSV-bestand.")) from exc
    new = _new_rows(survey, rows)
    report.added, report.already = len(new), len(rows) - len(new)
    try:
        _store(survey, new)
    except IntegrityError as exc:  # the same forms imported at the same moment by someone else
        db.session.rollback()
        raise UserError(
            _("Deze formulieren worden net al ingelezen. Kijk zo bij Reacties."),
            field="file",
            code="busy",
        ) from exc
    audit(
        officer,
        "import_responses",
        survey.slug,
        file=filename[:120],
        added=report.added,
        already=report.already,
        invalid=len(report.errors),
    )
    db.session.commit()
    return report
