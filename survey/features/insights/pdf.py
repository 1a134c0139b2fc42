"""The printable area report (A4 PDF) for a workshop about an area."""

from __future__ import annotations

import io

from flask_babel import gettext as _

from survey.core.charts import pdf_svg
from survey.core.pdf import FONT, document, pdf_text
from survey.features.insights.report import mix_chart, stability_note
from survey.models import AreaNote
from survey.models import Survey as SurveyModel

CHART_WIDTH = 170  # mm: the page's profile-mix chart, the same SVG


def _pct(value) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def area_report(
    survey: SurveyModel, report: dict, row: dict, notes: list[AreaNote], lang: str = "nl"
) -> bytes:
    """One area's mix, gaps, advice and notes, with room to write; in the language of the
    request's locale (the caller forces it) with the survey's texts in `lang`."""
    pdf = document("A4", lang, _("Inzichten: %(area)s", area=row["name"]))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    _para(pdf, 9, pdf_text(_("Inzichten: %(area)s", area=row["name"])))
    pdf.set_font(FONT, "", 10)
    model = report["model"]
    pdf.multi_cell(
        0,
        5,
        pdf_text(
            _(
                "%(survey)s · model versie %(v)s van %(d)s · %(n)s reacties in dit gebied",
                survey=survey.title_in(lang),
                v=model["version"],
                d=model["fitted_at"][:10],
                n=row["n"] if row["n"] is not None else _("te weinig"),
            )
        ),
        align=pdf.text_start,
    )
    pdf.ln(2)
    _certainty(pdf, model)
    pdf.ln(2)
    pdf.set_font(FONT, "I", 10)
    _para(pdf, 5, standing_note())
    pdf.ln(3)
    _mix_table(pdf, report, row)
    _advice(pdf, row)
    _groups(pdf, report)
    _notes(pdf, notes)
    return bytes(pdf.output())


def standing_note() -> str:
    return _(
        "Dit is een model: uitspraken over groepen en kansen, geen label voor een persoon. "
        "Gebruik het om nieuwsgierig te worden en leg het naast wat je zelf van de buurt weet. "
        "De marges zijn 95%-betrouwbaarheidsintervallen (Wilson) bij deze steekproef."
    )


def _certainty(pdf, model: dict) -> None:
    """How sure the model itself is: its stability in a line, and the page's warnings."""
    if model["stability"] is not None:
        _para(pdf, 5, _("Stabiliteit van het model: %(s)s.", s=model["stability_text"]))
        _para(pdf, 5, stability_note())
    pdf.set_font(FONT, "B", 10)
    for warning in model["warnings"]:
        pdf.ln(1)
        _para(pdf, 5, warning)
    pdf.set_font(FONT, "", 10)


def _groups(pdf, report: dict) -> None:
    """Per group the model found, how near it lies to the example in its profile's description."""
    _heading(pdf, _("Hoe goed de groepen bij de profielen passen"))
    _para(
        pdf,
        5,
        _(
            "Per groep: hoe dicht het gemiddelde van de groep ligt bij het voorbeeld uit de "
            "beschrijving van het profiel."
        ),
    )
    for group in report["comparison"]:
        _para(pdf, 5, f"- {group['name']}: {group['closeness']}")


def _para(pdf, height: int, text: str) -> None:
    pdf.multi_cell(0, height, pdf_text(text), new_x="LMARGIN", new_y="NEXT", align=pdf.text_start)


def _heading(pdf, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 13)
    _para(pdf, 7, pdf_text(text))
    pdf.set_font(FONT, "", 10)


def _mix_table(pdf, report: dict, row: dict) -> None:
    _heading(pdf, _("Wie we bereikten"))
    if row["mix"] is None:
        _para(pdf, 5, pdf_text(row["note"] or _("Te weinig reacties om te tonen.")))
        return
    reference = row["reference"] or {}
    pdf.image(io.BytesIO(pdf_svg(mix_chart(report, row), pdf_text, FONT)), w=CHART_WIDTH)
    pdf.ln(2)
    for profile in report["profiles"]:
        cell = row["mix"].get(profile["code"])
        if cell is None:
            continue
        pdf.cell(48, 6, pdf_text(profile["name"]))
        if cell["share"] is None:
            _hidden_share(pdf, profile["code"], reference)
            continue
        text = f"{_pct(cell['share'])} ({_pct(cell['low'])}-{_pct(cell['high'])})"
        if profile["code"] in reference:
            text += "  " + _("verwacht %(e)s", e=_pct(reference[profile["code"]]))
        pdf.cell(0, 6, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
    if row["expected_note"]:
        pdf.ln(1)
        _para(pdf, 5, row["expected_note"])
    if row["weighted_note"]:
        _para(pdf, 5, row["weighted_note"])
    if row["under"]:
        names = [p["name"] for p in report["profiles"] if p["code"] in row["under"]]
        pdf.ln(1)
        _para(pdf, 5, pdf_text(_("Minder bereikt dan verwacht: %(n)s.", n=", ".join(names))))
    if row["hidden"]:
        pdf.ln(1)
        pdf.set_font(FONT, "I", 9)
        _para(pdf, 4, too_few_note(report["min_group_size"]))
        pdf.set_font(FONT, "", 10)


def too_few_note(min_n: int) -> str:
    return _(
        "“te weinig”: dit aandeel tonen we niet. Het gaat om minder dan %(m)s mensen, of je "
        "zou het kunnen uitrekenen uit de andere cijfers op deze pagina.",
        m=min_n,
    )


def _hidden_share(pdf, code: str, reference: dict) -> None:
    """A hidden share: no bar, no interval, only the expected share."""
    text = _("te weinig")
    if code in reference:
        text += "  " + _("verwacht %(e)s", e=_pct(reference[code]))
    pdf.cell(0, 6, pdf_text(text), new_x="LMARGIN", new_y="NEXT")


def _advice(pdf, row: dict) -> None:
    _heading(pdf, _("Welke werkvormen passen"))
    if not row["recommendations"]:
        _para(pdf, 5, pdf_text(_("Nog geen advies voor dit gebied.")))
    for rec in row["recommendations"]:
        pdf.set_font(FONT, "B", 10)
        _para(pdf, 5, pdf_text(f"{rec['name']} ({_pct(rec['weight'])})"))
        pdf.set_font(FONT, "", 10)
        _para(pdf, 5, pdf_text(rec["reason"]))
        pdf.ln(1)


def _notes(pdf, notes: list[AreaNote]) -> None:
    _heading(pdf, _("Wat we zelf weten"))
    for note in notes:
        _para(pdf, 5, pdf_text(f"- {note.text}"))
    pdf.ln(2)
    for _line in range(6):
        y = pdf.get_y() + 8
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_y(y)
