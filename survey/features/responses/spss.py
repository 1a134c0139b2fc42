"""The SPSS export (.sav) and the codebook that describes its variables.

The rows are the row export's (exports.export_rows: the same responses, areas and days); here
they become numbers with value labels. A choice is a code (the option's own number where every
option is a whole number, else its place in the list); a multiple-choice question becomes one
0/1 variable per option, a ranking one variable per option with its place.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _

from survey.core.csvfile import safe_cell
from survey.features.responses.dashboard import answer_labels
from survey.models import Question

if TYPE_CHECKING:  # pandas and pyreadstat load when an export is made
    import pandas as pd
MAX_NAME = 64  # bytes in an SPSS variable name
MAX_VARIABLE_LABEL = 256  # bytes
MAX_VALUE_LABEL = 120  # bytes
# Words SPSS keeps for itself: no variable may be called so.
RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
CHOICES = ("single", "yesno", "statement", "scale")
NUMBERS = {"response", "verdacht"}


@dataclass(frozen=True)
class Rows:
    """The rows every export shows (made by exports.export_rows), before they are labelled: the
    meta columns (an area only where area_tree.shown_areas names it, days not times) and per
    response the stored answers that may leave the system (withheld ones left out, personal
    data masked)."""

    columns: list[str]  # META_COLUMNS
    questions: list[Question]
    meta: list[dict]
    answers: list[dict]
    area_name: Callable[[int | None], str | None]


@dataclass(frozen=True)
class Variable:
    """One column of the SPSS file: its name, label, value labels and how a row fills it."""

    name: str
    code: str  # the question code (or meta column) it comes from
    label: str
    type: str  # the question's type, or "meta"
    cell: Callable[[dict, dict], object]  # (meta row, answers row) -> value
    values: dict = field(default_factory=dict)  # code -> label
    numeric: bool = True


def _meta_labels() -> dict[str, str]:
    return {
        "response": _("Nummer van de reactie"),
        "ref": _("Kenmerk van de reactie"),
        "source": _("Bron"),
        "channel": _("Kanaal"),
        "area": _("Gebied (alleen als genoeg reacties het delen)"),
        "area_code": _("CBS-code van het gebied"),
        "lang": _("Taal"),
        "layer": _("Deel van de peiling"),
        "started_at": _("Begonnen op (dag)"),
        "completed_at": _("Klaar op (dag)"),
        "verdacht": _("Verdacht"),
    }


def variables(rows: Rows, lang: str) -> list[Variable]:
    """The SPSS variables of these rows, in order, with unique valid names."""
    with force_locale(lang):
        labels = _meta_labels()
        found = [_meta(column, labels[column]) for column in rows.columns]
        for q in rows.questions:
            found += _question(q, lang, rows.area_name)
        names = _Names()
        return [replace(v, name=names.add(v.name)) for v in found]


def _meta(column: str, label: str) -> Variable:
    if column == "verdacht":
        return Variable(
            column,
            column,
            label,
            "meta",
            lambda meta, _a: 1 if meta["verdacht"] == "ja" else 0,
            {0: _("Nee"), 1: _("Ja")},
        )
    return Variable(
        column,
        column,
        label,
        "meta",
        lambda meta, _a: meta[column],
        numeric=column in NUMBERS,
    )


def _question(q: Question, lang: str, area_name) -> list[Variable]:
    text, code = q.text_in(lang), q.code

    def stored(answers: dict):
        return answers.get(code)

    if q.type in CHOICES:
        pairs = answer_labels(q, lang)
        whole = all(_whole(v) for v, _label in pairs)
        codes = {v: int(v) if whole else i for i, (v, _label) in enumerate(pairs, start=1)}
        return [
            Variable(
                code,
                code,
                text,
                q.type,
                lambda _m, a: codes.get(str(stored(a))) if stored(a) is not None else None,
                {codes[v]: label for v, label in pairs},
            )
        ]
    if q.type in ("multiple", "ranking"):
        found = []
        for value, label in answer_labels(q, lang):
            if q.type == "multiple":
                cell = _chosen(stored, value)
                values = {0: _("Niet gekozen"), 1: _("Gekozen")}
            else:
                cell, values = _place(stored, value), {}
            found.append(
                Variable(f"{code}_{value}", code, f"{text}: {label}", q.type, cell, values)
            )
        return found
    if q.type == "number":
        return [Variable(code, code, text, q.type, lambda _m, a: _number(stored(a)))]
    if q.type == "area":

        def area(_m, a):
            value = stored(a)
            return area_name(value.get("area_id")) if isinstance(value, dict) else None

        return [Variable(code, code, text, q.type, area, numeric=False)]
    return [  # open text, already masked where it holds personal data
        Variable(code, code, text, q.type, lambda _m, a: safe_cell(stored(a)), numeric=False)
    ]


def _chosen(stored, value: str):
    def cell(_m, answers):
        picked = stored(answers)
        if picked is None:
            return None  # not answered: missing, not "not chosen"
        return int(value in {str(v) for v in picked})

    return cell


def _place(stored, value: str):
    def cell(_m, answers):
        order = [str(v) for v in stored(answers) or []]
        return order.index(value) + 1 if value in order else None

    return cell


def _whole(value: str) -> bool:
    return value.lstrip("-").isdigit()


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class _Names:
    """SPSS names: a letter first, then letters, digits and _, at most 64 bytes, not a reserved
    word, unique whatever the case (a second 'x' becomes 'x_2')."""

    def __init__(self):
        self.taken: set[str] = set()

    def add(self, wanted: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "_", wanted)
        if not base[:1].isalpha():
            base = f"v_{base}"
        base = base[:MAX_NAME].rstrip("_") or "v"
        name, n = base, 1
        while name.lower() in self.taken or name.lower() in RESERVED:
            n += 1
            suffix = f"_{n}"
            name = base[: MAX_NAME - len(suffix)] + suffix
        self.taken.add(name.lower())
        return name


def _cut(text: str, limit: int) -> str:
    """Text cut to `limit` UTF-8 bytes, never in the middle of a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def sav_file(rows: Rows, lang: str) -> bytes:
    """The rows as an SPSS .sav file with variable and value labels."""
    import pandas as pd
    import pyreadstat

    found = variables(rows, lang)
    lines, data = list(zip(rows.meta, rows.answers, strict=True)), {}
    for v in found:
        cells = [v.cell(meta, answers) for meta, answers in lines]
        if v.numeric:
            data[v.name] = pd.Series(cells, dtype="float64")
        else:
            data[v.name] = pd.Series(["" if c is None else str(c) for c in cells], dtype=object)
    frame = pd.DataFrame(data, columns=[v.name for v in found])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "export.sav")
        pyreadstat.write_sav(
            frame,
            path,
            column_labels={v.name: _cut(v.label, MAX_VARIABLE_LABEL) for v in found},
            variable_value_labels={
                v.name: {k: _cut(label, MAX_VALUE_LABEL) for k, label in v.values.items()}
                for v in found
                if v.values
            },
        )
        with open(path, "rb") as file:
            return file.read()


def codebook(rows: Rows, lang: str) -> pd.DataFrame:
    """One line per value of each SPSS variable (one line for a variable without values)."""
    import pandas as pd

    lines = []
    for v in variables(rows, lang):
        head = {"variable": v.name, "code": v.code, "question": safe_cell(v.label), "type": v.type}
        pairs = list(v.values.items()) or [(None, None)]
        lines += [head | {"value": k, "label": safe_cell(label)} for k, label in pairs]
    return pd.DataFrame(lines, columns=["variable", "code", "question", "type", "value", "label"])
