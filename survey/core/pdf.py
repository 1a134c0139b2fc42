"""What every printed page shares: the PDF library (loaded when first used), its fonts and the
language a page is printed in.

Why fpdf2 and not WeasyPrint: the printouts are one-page layouts drawn at fixed places (a QR
code of a given size, a title that must fit above it), which fpdf2 draws directly in pure
Python. WeasyPrint would lay out HTML and CSS instead, but needs Pango and its C libraries
from Debian on every app server and is much slower per page. fpdf2 with its text shaping
(HarfBuzz, through the uharfbuzz wheel) and a Unicode TrueType font sets every language the
survey speaks: Turkish (ş ğ ı) and Polish (ł ą ę) with Noto Sans, Arabic joined and right to
left with Noto Sans Arabic as the fallback font for the letters Noto Sans lacks. The fonts are
embedded (as subsets), so a printer or a phone shows the same letters; none of the PDF core
fonts (Helvetica and the like, Latin-1 only) is used.

The fonts come from Debian's fonts-noto-core (the Makefile installs it); PDF_FONT_DIR points
elsewhere if they live in another folder. The app refuses to start without them (check_fonts).

What fpdf2 can tag is tagged: the document's language (/Lang), its title (shown by viewers in
place of the file name) and a text alternative for each QR code.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from flask import current_app

from survey.config import RTL_LANGUAGES, ConfigError

FONT = "NotoSans"  # the family every printout sets its text in
FALLBACK = "NotoSansArabic"  # for the letters Noto Sans lacks
# (family, style) -> file in PDF_FONT_DIR; an italic Arabic letter falls back to upright.
FONT_FILES = {
    (FONT, ""): "NotoSans-Regular.ttf",
    (FONT, "B"): "NotoSans-Bold.ttf",
    (FONT, "I"): "NotoSans-Italic.ttf",
    (FONT, "BI"): "NotoSans-BoldItalic.ttf",
    (FALLBACK, ""): "NotoSansArabic-Regular.ttf",
    (FALLBACK, "B"): "NotoSansArabic-Bold.ttf",
}
FONT_PACKAGE = "fonts-noto-core"


def missing_fonts(directory: str | Path) -> list[str]:
    """The font files the printouts need that are not in the folder."""
    return sorted(name for name in FONT_FILES.values() if not (Path(directory) / name).is_file())


def check_fonts(directory: str | Path) -> None:
    """Refuse to start when a printout could not set its text."""
    if missing := missing_fonts(directory):
        raise ConfigError(
            f"The PDF fonts {', '.join(missing)} are not in {directory}. Install Debian's "
            f"{FONT_PACKAGE} (apt-get install {FONT_PACKAGE}; `make run` and `make test` do), "
            "or set PDF_FONT_DIR to the folder that holds them."
        )


def pdf_text(text) -> str:
    """Text as the PDF sets it: composed characters (NFC), so ş is one letter, not s + ̧."""
    return unicodedata.normalize("NFC", str(text or ""))


def align_start(lang: str) -> str:
    """Where a line starts in this language: right for Arabic, else left."""
    return "R" if lang in RTL_LANGUAGES else "L"


def align_end(lang: str) -> str:
    """The other side: where a page puts its organisation's name or small print."""
    return "L" if lang in RTL_LANGUAGES else "R"


def document(page_format="A4", lang: str = "nl", title: str = "", **options):
    """A new PDF document (fpdf2), made by Buurtpeiling, in a language, with its fonts.

    Each paragraph's direction follows its first letter (an Arabic sentence runs right to
    left, a web address in it left to right). `pdf.text_start` is the side a paragraph in the
    language is aligned to (right for Arabic), `pdf.text_end` the other side.
    """
    from fpdf import FPDF, ViewerPreferences

    folder = Path(current_app.config["PDF_FONT_DIR"])
    pdf = FPDF(orientation="portrait", unit="mm", format=page_format, **options)
    for (family, style), name in FONT_FILES.items():
        pdf.add_font(family, style, str(folder / name))
    pdf.set_fallback_fonts([FALLBACK], exact_match=False)
    pdf.set_text_shaping(True, language=lang)
    pdf.set_font(FONT, "", 11)
    pdf.text_start, pdf.text_end = align_start(lang), align_end(lang)
    pdf.set_creator("Buurtpeiling")
    pdf.set_lang(lang)
    if title:
        pdf.set_title(pdf_text(title))
        pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    return pdf
