"""QR codes (PNG, SVG) and printable posters and flyers (PDF) that carry them."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import qrcode
import qrcode.image.svg
from fpdf import FPDF

# The PDF core fonts speak Latin-1; these common characters are replaced, not dropped.
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def _qr(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str) -> bytes:
    """The QR code for a URL as a PNG image."""
    out = io.BytesIO()
    _qr(url).make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def qr_svg(url: str) -> bytes:
    """The QR code for a URL as one SVG path (scales to any print size)."""
    out = io.BytesIO()
    _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(out)
    return out.getvalue()


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


def _latin1(text: str) -> str:
    text = unicodedata.normalize("NFC", text.translate(_PLAIN))
    return text.encode("latin-1", "replace").decode("latin-1")


def poster_pdf(url: str, text: PosterText, size: str = "A4", logo: Path | None = None) -> bytes:
    """A one-page poster (A4) or flyer (A6): logo room, title, invitation, QR code, address."""
    page, margin, logo_h, title_pt, text_pt, qr_w = LAYOUTS[size]
    pdf = FPDF(orientation="portrait", unit="mm", format=page)
    pdf.set_auto_page_break(False)
    pdf.set_margins(margin, margin, margin)
    pdf.set_title(_latin1(text.title))
    pdf.set_creator("Buurtpeiling")
    pdf.add_page()
    width = pdf.w - 2 * margin

    # Room for the municipality's logo, top left; the organisation's name beside it.
    if logo is not None and logo.is_file():
        pdf.image(str(logo), x=margin, y=margin, h=logo_h)
    pdf.set_xy(margin + logo_h * 2.2, margin)
    pdf.set_font("Helvetica", "B", text_pt)
    pdf.set_text_color(18, 63, 82)
    pdf.multi_cell(width - logo_h * 2.2, text_pt * 0.5, _latin1(text.organisation), align="R")

    pdf.set_xy(margin, margin + logo_h + 6)
    pdf.set_text_color(26, 26, 26)
    pdf.set_font("Helvetica", "B", title_pt)
    pdf.multi_cell(width, title_pt * 0.48, _latin1(text.title), align="C")
    pdf.ln(title_pt * 0.2)
    pdf.set_font("Helvetica", "", text_pt)
    pdf.multi_cell(width, text_pt * 0.5, _latin1(text.invite), align="C")

    qr_y = pdf.get_y() + text_pt * 0.3
    # A long title leaves less room: the QR code shrinks so the address still fits below it.
    qr_w = min(qr_w, pdf.h - margin - text_pt * 2.9 - qr_y)
    pdf.image(io.BytesIO(qr_png(url)), x=(pdf.w - qr_w) / 2, y=qr_y, w=qr_w, h=qr_w)
    pdf.set_xy(margin, qr_y + qr_w + text_pt * 0.2)
    pdf.multi_cell(width, text_pt * 0.5, _latin1(text.address_intro), align="C")
    pdf.set_font("Helvetica", "B", text_pt * 1.15)
    pdf.multi_cell(width, text_pt * 0.6, _latin1(text.address), align="C")
    pdf.set_font("Helvetica", "", text_pt)
    pdf.ln(text_pt * 0.2)
    pdf.multi_cell(width, text_pt * 0.5, _latin1(text.duration), align="C")

    if text.footer:
        pdf.set_font("Helvetica", "", text_pt * 0.55)
        pdf.set_text_color(90, 90, 90)
        pdf.set_xy(margin, pdf.h - margin - text_pt * 0.3)
        pdf.cell(width, text_pt * 0.3, _latin1(text.footer), align="R")
    return bytes(pdf.output())
