"""The "Jullie zeiden, wij deden" poster: an A4 PDF per survey and area with the top findings,
the published updates and a QR code to the public results page."""

from __future__ import annotations

import io
import unicodedata

import qrcode
from flask_babel import gettext as _
from fpdf import FPDF

from survey.extensions import db
from survey.models import Area, Survey
from survey.services import feedback, following, results

_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})
INK, BRAND, MUTED = (26, 26, 26), (27, 94, 122), (74, 74, 74)
MAX_UPDATES = 4


def _latin1(text: str) -> str:
    """The PDF core fonts speak Latin-1: common characters replaced, others made '?'."""
    text = unicodedata.normalize("NFC", (text or "").translate(_PLAIN))
    return text.encode("latin-1", "replace").decode("latin-1")


def _qr_png(url: str) -> bytes:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class _Poster(FPDF):
    def heading(self, text: str, size: float = 16) -> None:
        self.set_font("Helvetica", "B", size)
        self.set_text_color(*BRAND)
        self.multi_cell(0, size * 0.45, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def para(self, text: str, size: float = 11, style: str = "", color=INK) -> None:
        self.set_font("Helvetica", style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.45, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    def bar(self, label: str, percent: int, width: float) -> None:
        """One answer: its label, a filled bar and the percentage."""
        y = self.get_y()
        self.set_font("Helvetica", "", 10)
        self.set_text_color(*INK)
        self.cell(55, 6, _latin1(_shorten(label, 32)))
        self.set_fill_color(220, 232, 237)
        self.rect(self.l_margin + 57, y + 1, width, 4, style="F")
        self.set_fill_color(*BRAND)
        self.rect(self.l_margin + 57, y + 1, width * percent / 100, 4, style="F")
        self.set_xy(self.l_margin + 59 + width, y)
        self.cell(15, 6, f"{percent}%")
        self.ln(6)


def poster_pdf(survey: Survey, area: Area | None, lang: str = "nl") -> bytes:
    """The poster as PDF bytes."""
    pdf = _Poster(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(18, 16, 18)
    pdf.set_title(_latin1(_("Jullie zeiden, wij deden")))
    pdf.set_creator("Buurtpeiling")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_text_color(*BRAND)
    pdf.cell(0, 6, _latin1(survey.organisation or ""), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 34)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 14, _latin1(_("Jullie zeiden, wij deden")), new_x="LMARGIN", new_y="NEXT")
    place = area.name if area else (survey.area.name if survey.area else "")
    pdf.para(f"{survey.title_in(lang)}{' · ' + place if place else ''}", 14, color=MUTED)
    pdf.ln(6)

    pdf.heading(_("Wat jullie zeiden"))
    findings = results.area_results(survey, area.id if area else None, lang)
    if not findings:
        pdf.para(_("Er zijn nog te weinig antwoorden om uitkomsten te laten zien."))
    for finding in findings:
        if pdf.get_y() > 150:
            break
        pdf.para(finding.text, 11, "B")
        shown = sorted(
            (b for b in finding.bars if b.percent is not None), key=lambda b: -(b.count or 0)
        )
        for bar in shown[:3]:
            pdf.bar(bar.label, bar.percent, 80)
        pdf.para(_("%(n)s mensen uit %(place)s", n=finding.n, place=finding.scope), 9, color=MUTED)
        pdf.ln(2)

    pdf.ln(2)
    pdf.heading(_("Wat we doen"))
    updates = feedback.timeline(survey, area.id if area else None)[:MAX_UPDATES]
    if not updates:
        pdf.para(_("We lezen alle antwoorden. Binnenkort lees je hier wat we gaan doen."))
    for update in updates:
        if pdf.get_y() > 215:
            break
        status = str(feedback.STATUS_LABELS.get(update.status, update.status))
        pdf.para(f"{status}: {_shorten(update.heard, 140)}", 11, "B")
        if update.doing:
            pdf.para(_shorten(update.doing, 220), 10.5)
        if update.not_doing:
            pdf.para(_("Wat we niet doen: ") + _shorten(update.not_doing, 200), 10.5)
        pdf.ln(2)

    url = following.public_url(following.results_path(survey))
    qr_size = 50
    y = pdf.h - 16 - qr_size
    pdf.image(io.BytesIO(_qr_png(url)), x=pdf.w - 18 - qr_size, y=y, w=qr_size, h=qr_size)
    pdf.set_xy(18, y + 10)
    pdf.set_right_margin(18 + qr_size + 6)
    pdf.para(_("Alle uitkomsten en al het nieuws:"), 13, "B")
    pdf.para(_("scan de QR-code of ga naar"), 12)
    pdf.para(url, 12, "B", color=BRAND)
    return bytes(pdf.output())


def poster_area(area_id: str | None) -> Area | None:
    return db.session.get(Area, int(area_id)) if area_id and area_id.isdigit() else None
