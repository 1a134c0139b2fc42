"""Reading uploaded CSV files and writing cells that spreadsheets will not run as formulas."""

from __future__ import annotations

import csv
import io

# A spreadsheet treats a cell that starts with one of these as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def decode(data: bytes) -> str:
    """The file's text (UTF-8, else Windows-1252 as Excel and CBS downloads write it), without
    NUL bytes: no cell may hold one, and PostgreSQL refuses them."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\x00", "")


def reader(data: bytes) -> csv.DictReader:
    """Rows as dicts; the delimiter is ';' when the header has more of those than ','."""
    text = decode(data)
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def safe_cell(value):
    """A text cell a spreadsheet will not run as a formula; other values stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
