"""Printable posters (A4) and flyers (A6) with a channel's QR code and address."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from survey.core.pdf import FONT, document, pdf_text
from survey.core.qr import qr_png
from survey.features.answering import service as answering
from survey.features.channels.service import channel_url, short_address
from survey.models import Channel


@dataclass(frozen=True)
class PosterText:
    """What a poster or flyer says; the caller translates."""

    title: str
    invite: str
    address_intro: str  # "Of ga naar:"
    address: str  # the short web address, written out
    duration: str  # "Het duurt ongeveer 2 minuten."
    organisation: str
    footer: str = ""  # small print, e.g. the channel's label


# format: (page size in mm, margin, logo box height, title size (pt), text size (pt), QR width)
LAYOUTS = {
    "A4": ((210, 297), 20, 30, 30, 17, 110),
    "A6": ((105, 148), 7, 11, 14, 8.5, 55),
}


def poster_pdf(
    url: str,
    text: PosterText,
    size: str = "A4",
    logo: Path | None = None,
    lang: str = "nl",
    qr_alt: str = "",
) -> bytes:
    """A one-page poster (A4) or flyer (A6): logo room, title, invitation, QR code, address."""
    page, margin, logo_h, title_pt, text_pt, qr_w = LAYOUTS[size]
    pdf = document(page, lang, text.title)
    pdf.set_auto_page_break(False)
    pdf.set_margins(margin, margin, margin)
    pdf.add_page()
    width = pdf.w - 2 * margin

    # Room for the municipality's logo, top left; the organisation's name beside it.
    if logo is not None and logo.is_file():
        pdf.image(str(logo), x=margin, y=margin, h=logo_h)
    pdf.set_xy(margin + logo_h * 2.2, margin)
    pdf.set_font(FONT, "B", text_pt)
    pdf.set_text_color(18, 63, 82)
    organisation = pdf_text(text.organisation)
    pdf.multi_cell(width - logo_h * 2.2, text_pt * 0.5, organisation, align=pdf.text_end)

    pdf.set_xy(margin, margin + logo_h + 6)
    pdf.set_text_color(26, 26, 26)
    pdf.set_font(FONT, "B", title_pt)
    pdf.multi_cell(
        width, title_pt * 0.48, pdf_text(text.title), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(title_pt * 0.2)
    pdf.set_font(FONT, "", text_pt)
    pdf.multi_cell(
        width, text_pt * 0.5, pdf_text(text.invite), align="C", new_x="LMARGIN", new_y="NEXT"
    )

    qr_y = pdf.get_y() + text_pt * 0.3
    # A long title leaves less room: the QR code shrinks so the address still fits below it.
    qr_w = min(qr_w, pdf.h - margin - text_pt * 2.9 - qr_y)
    qr_x = (pdf.w - qr_w) / 2
    pdf.image(io.BytesIO(qr_png(url)), x=qr_x, y=qr_y, w=qr_w, h=qr_w, alt_text=qr_alt or url)
    pdf.set_xy(margin, qr_y + qr_w + text_pt * 0.2)
    pdf.multi_cell(
        width, text_pt * 0.5, pdf_text(text.address_intro), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "B", text_pt * 1.15)
    pdf.multi_cell(
        width, text_pt * 0.6, pdf_text(text.address), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "", text_pt)
    pdf.ln(text_pt * 0.2)
    pdf.multi_cell(
        width, text_pt * 0.5, pdf_text(text.duration), align="C", new_x="LMARGIN", new_y="NEXT"
    )

    if text.footer:
        pdf.set_font(FONT, "", text_pt * 0.55)
        pdf.set_text_color(90, 90, 90)
        pdf.set_xy(margin, pdf.h - margin - text_pt * 0.3)
        pdf.cell(width, text_pt * 0.3, pdf_text(text.footer), align=pdf.text_end)
    return bytes(pdf.output())


def poster(channel: Channel, size: str, lang: str = "nl") -> bytes:
    """The printable poster (A4) or flyer (A6) of a channel, as PDF, in a language: the
    survey's own texts in it (else Dutch) and the interface's translation of the rest."""
    survey = channel.survey
    minutes = answering.core_minutes(survey)
    with force_locale(lang):
        text = PosterText(
            title=survey.title_in(lang),
            invite=_("Praat mee over je buurt! Scan de QR-code met de camera van je telefoon."),
            address_intro=_("Geen QR-scanner? Ga naar:"),
            address=short_address(channel),
            duration=ngettext(
                "Het duurt ongeveer %(num)s minuut.",
                "Het duurt ongeveer %(num)s minuten.",
                minutes,
            ),
            organisation=survey.organisation or current_app.config["MUNICIPALITY"],
            footer=channel.label,
        )
        qr_alt = _("QR-code naar %(url)s", url=channel_url(channel))
    logo = current_app.config.get("MUNICIPALITY_LOGO")
    logo = Path(logo) if logo else None
    return poster_pdf(channel_url(channel), text, size, logo, lang, qr_alt)
