"""Exports: one row per response, one column per question, as CSV, XLSX or SPSS (spss.py)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from survey.core.audit import audit
from survey.core.csvfile import safe_cell
from survey.extensions import db
from survey.features.responses import spss
from survey.features.responses.area_tree import shown_areas
from survey.features.responses.filters import Filters, listed_per_area
from survey.features.responses.spss import Rows
from survey.models import (
    Answer,
    Area,
    Channel,
    Officer,
    Question,
    Response,
    Survey,
    shown_text,
)
from survey.models._types import text_in

if TYPE_CHECKING:  # pandas (and openpyxl) load when an export is made
    import pandas as pd

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}
META_COLUMNS = [
    "response",
    "ref",
    "source",
    "channel",
    "area",
    "area_code",
    "lang",
    "layer",
    "started_at",
    "completed_at",
    "verdacht",
]
# Moderation states whose text never leaves the system.
WITHHELD = ("hidden", "personal")


def _fixed(lang: str) -> dict[str, str]:
    with force_locale(lang):
        return {
            "yes": _("Ja"),
            "no": _("Nee"),
            "agree": _("Eens"),
            "disagree": _("Oneens"),
            "skip": _("Overgeslagen"),
        }


def _labeller(question: Question, lang: str, fixed: dict[str, str], area_name):
    """A function from a stored value to what the export shows, in the chosen language;
    `area_name` gives the name a row may show for an area id (see area_tree.shown_areas)."""
    options = {str(o["value"]): text_in(o.get("text"), lang) for o in question.options}

    def label(value):
        if value is None:
            return None
        if question.type in ("multiple", "ranking"):
            return "; ".join(options.get(str(v), str(v)) for v in value)
        if question.type == "area" and isinstance(value, dict):
            return area_name(value.get("area_id"))
        if question.type in ("yesno", "statement"):
            return fixed.get(value, value)
        if options:
            return options.get(str(value), value)
        return value

    return label


def export_rows(survey: Survey, filters: Filters) -> Rows:
    where = filters.conditions(survey)
    responses = db.session.execute(
        select(Response, Channel.label)
        .outerjoin(Channel, Channel.id == Response.channel_id)
        .where(*where)
        .order_by(Response.id)
    ).all()
    answers = db.session.execute(
        select(
            Answer.response_id,
            Answer.question_id,
            Answer.value,
            Answer.moderation,
            Answer.personal_data,
        )
        .join(Response, Response.id == Answer.response_id)
        .where(*where)
    ).all()
    questions = [q for q in survey.questions if not q.hidden]
    areas = {a.id: (a.name, a.cbs_code) for a in db.session.scalars(select(Area))}
    shown = shown_areas(listed_per_area(survey, filters), survey.min_group_size)

    def area_of(area_id) -> tuple:
        return areas.get(shown.get(area_id), (None, None))

    codes = {q.id: q.code for q in questions}
    open_ids = {q.id for q in questions if q.type == "text"}
    cells: dict[int, dict] = {}
    for response_id, question_id, value, moderation, mark in answers:
        if question_id in codes and moderation not in WITHHELD:
            if question_id in open_ids:  # personal data masked unless an officer cleared it
                value = shown_text(value, mark)
            cells.setdefault(response_id, {})[codes[question_id]] = value
    meta = []
    for response, channel in responses:
        area, area_code = area_of(response.area_id)
        row = {
            "response": response.id,
            "ref": response.ref,
            "source": response.source,
            "channel": channel,
            "area": area,
            "area_code": area_code,
            "lang": response.lang,
            "layer": response.layer,
            "started_at": _when(response.started_at),
            "completed_at": _when(response.completed_at),
            "verdacht": "ja" if response.suspect else "nee",
        }
        meta.append({key: safe_cell(value) for key, value in row.items()})
    answered = [cells.get(response.id, {}) for response, _channel in responses]
    return Rows(META_COLUMNS, questions, meta, answered, lambda a: area_of(a)[0])


def _frame(rows: Rows, lang: str) -> pd.DataFrame:
    import pandas as pd

    fixed = _fixed(lang)
    labels = {q.code: _labeller(q, lang, fixed, rows.area_name) for q in rows.questions}
    table = [
        meta | {code: safe_cell(labels[code](value)) for code, value in answers.items()}
        for meta, answers in zip(rows.meta, rows.answers, strict=True)
    ]
    columns = META_COLUMNS + [q.code for q in rows.questions]
    return pd.DataFrame(table, columns=columns, dtype=object)  # object: 4 stays 4, not 4.0


def _when(moment):
    return moment.strftime("%Y-%m-%d") if moment else None  # a day, never the minute


def _questions_sheet(survey: Survey, lang: str) -> pd.DataFrame:
    import pandas as pd

    rows = [
        {"code": q.code, "question": safe_cell(q.text_in(lang)), "type": q.type, "layer": q.layer}
        for q in survey.questions
        if not q.hidden
    ]
    return pd.DataFrame(rows, columns=["code", "question", "type", "layer"])


def export_responses(
    survey: Survey, filters: Filters, lang: str, fmt: str, officer: Officer | None
) -> bytes:
    """The filtered responses as CSV, XLSX (with a codebook) or SPSS; written to the audit log."""
    import pandas as pd

    rows = export_rows(survey, filters)
    out = io.BytesIO()
    if fmt == "sav":
        out.write(spss.sav_file(rows, lang))
    elif fmt == "csv":
        out.write(_frame(rows, lang).to_csv(index=False).encode("utf-8-sig"))  # BOM: UTF-8
    else:
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            _frame(rows, lang).to_excel(writer, sheet_name="Reacties", index=False)
            _questions_sheet(survey, lang).to_excel(writer, sheet_name="Vragen", index=False)
            spss.codebook(rows, lang).to_excel(writer, sheet_name="Codeboek", index=False)
    audit(
        officer,
        "export_responses",
        survey.slug,
        format=fmt,
        lang=lang,
        filters=filters.args(),
        rows=len(rows.meta),
    )
    db.session.commit()
    return out.getvalue()
