"""What every printed page shares: the PDF library (loaded when first used) and text it can set.

The PDF core fonts speak Latin-1 (Windows-1252): common typographic characters are replaced,
anything else becomes '?'.
"""

from __future__ import annotations

import unicodedata

_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def pdf_text(text) -> str:
    """Text the PDF core fonts can set."""
    text = unicodedata.normalize("NFC", str(text or "").translate(_PLAIN))
    return text.encode("latin-1", "replace").decode("latin-1")


def document(page_format="A4", **options):
    """A new PDF document (fpdf2), made by Buurtpeiling."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format=page_format, **options)
    pdf.set_creator("Buurtpeiling")
    return pdf
