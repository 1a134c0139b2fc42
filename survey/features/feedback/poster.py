"""The "Jullie zeiden, wij deden" poster: an A4 PDF per survey and area, or per channel (for
the place its first poster hung), with the top findings, the published updates and a QR code
to the public results page."""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _

from survey.core import links
from survey.core.database import parse_id
from survey.core.pdf import FONT, document, pdf_text
from survey.core.qr import qr_png
from survey.extensions import db
from survey.features.following import service as following
from survey.features.results import public
from survey.features.results import service as results
from survey.models import Area, Channel, Survey

INK, BRAND, MUTED = (26, 26, 26), (27, 94, 122), (74, 74, 74)
MAX_UPDATES = 4


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _heading(pdf, text: str, size: float = 16) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*BRAND)
    pdf.multi_cell(
        0, size * 0.45, pdf_text(text), new_x="LMARGIN", new_y="NEXT", align=pdf.text_start
    )
    pdf.ln(1.5)


def _para(pdf, text: str, size: float = 11, style: str = "", color=INK) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*color)
    pdf.multi_cell(
        0, size * 0.45, pdf_text(text), new_x="LMARGIN", new_y="NEXT", align=pdf.text_start
    )


def _bar(pdf, label: str, percent: int, width: float) -> None:
    """One answer: its label, a filled bar and the percentage."""
    y = pdf.get_y()
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*INK)
    pdf.cell(55, 6, pdf_text(_shorten(label, 32)), align=pdf.text_start)
    pdf.set_fill_color(220, 232, 237)
    pdf.rect(pdf.l_margin + 57, y + 1, width, 4, style="F")
    pdf.set_fill_color(*BRAND)
    pdf.rect(pdf.l_margin + 57, y + 1, width * percent / 100, 4, style="F")
    pdf.set_xy(pdf.l_margin + 59 + width, y)
    pdf.cell(15, 6, f"{percent}%")
    pdf.ln(6)


def results_url(survey: Survey, channel: Channel | None = None) -> str:
    """The public results page the poster's QR code leads to: the channel's own /r/<code>,
    else the survey's."""
    path = f"/r/{channel.code}" if channel else following.results_path(survey)
    return links.public_url(path)


def poster_pdf(
    survey: Survey, area: Area | None, lang: str = "nl", channel: Channel | None = None
) -> bytes:
    """The poster as PDF bytes, in a language (the survey's texts in it, else Dutch); for a
    channel, its QR code leads to that channel's public page."""
    with force_locale(lang):
        return _poster(survey, area, lang, results_url(survey, channel))


def _poster(survey: Survey, area: Area | None, lang: str, url: str) -> bytes:
    pdf = document("A4", lang, _("Jullie zeiden, wij deden"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    pdf.set_text_color(*BRAND)
    organisation = pdf_text(survey.organisation or "")
    pdf.cell(0, 6, organisation, align=pdf.text_end, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 34)
    pdf.set_text_color(*INK)
    title = pdf_text(_("Jullie zeiden, wij deden"))
    pdf.multi_cell(0, 14, title, new_x="LMARGIN", new_y="NEXT", align=pdf.text_start)
    place = area.name if area else (survey.area.name if survey.area else "")
    _para(pdf, f"{survey.title_in(lang)}{' · ' + place if place else ''}", 14, color=MUTED)
    pdf.ln(6)

    _heading(pdf, _("Wat jullie zeiden"))
    findings = results.area_results(survey, area.id if area else None, lang)
    if not findings:
        _para(pdf, _("Er zijn nog te weinig antwoorden om uitkomsten te laten zien."))
    for finding in findings:
        if pdf.get_y() > 150:
            break
        _para(pdf, finding.text, 11, "B")
        shown = sorted(
            (b for b in finding.bars if b.percent is not None), key=lambda b: -(b.count or 0)
        )
        for bar in shown[:3]:
            _bar(pdf, bar.label, bar.percent, 80)
        who = _("%(n)s mensen uit %(place)s", n=finding.n, place=finding.scope)
        _para(pdf, who, 9, color=MUTED)
        pdf.ln(2)

    pdf.ln(2)
    _heading(pdf, _("Wat we doen"))
    updates = public.timeline(survey, area.id if area else None)[:MAX_UPDATES]
    if not updates:
        _para(pdf, _("We lezen alle antwoorden. Binnenkort lees je hier wat we gaan doen."))
    for update in updates:
        if pdf.get_y() > 215:
            break
        status = str(public.STATUS_LABELS.get(update.status, update.status))
        _para(pdf, f"{status}: {_shorten(update.heard, 140)}", 11, "B")
        if update.doing:
            _para(pdf, _shorten(update.doing, 220), 10.5)
        if update.not_doing:
            _para(pdf, _("Wat we niet doen: ") + _shorten(update.not_doing, 200), 10.5)
        pdf.ln(2)

    qr_size = 50
    y = pdf.h - 16 - qr_size
    pdf.image(
        io.BytesIO(qr_png(url)),
        x=pdf.w - 18 - qr_size,
        y=y,
        w=qr_size,
        h=qr_size,
        alt_text=_("QR-code naar %(url)s", url=url),
    )
    pdf.set_xy(18, y + 10)
    pdf.set_right_margin(18 + qr_size + 6)
    _para(pdf, _("Alle uitkomsten en al het nieuws:"), 13, "B")
    _para(pdf, _("scan de QR-code of ga naar"), 12)
    _para(pdf, url, 12, "B", color=BRAND)
    return bytes(pdf.output())


def poster_area(area_id: str | None) -> Area | None:
    area_id = parse_id(area_id)
    return db.session.get(Area, area_id) if area_id else None


def poster_channel(survey: Survey, channel_id: str | None) -> Channel | None:
    """The survey's channel a poster is made for, if the id is one."""
    channel_id = parse_id(channel_id)
    channel = db.session.get(Channel, channel_id) if channel_id else None
    return channel if channel is not None and channel.survey_id == survey.id else None
