"""Reading uploaded CSV files and writing cells that spreadsheets will not run as formulas."""

from __future__ import annotations

import csv
import io
import re

# A spreadsheet treats a cell that starts with one of these as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")
# Dutch Excel splits a CSV line on ";" (and others on "," or a tab) before it looks at the cells:
# a formula after one of those in the middle of a text starts a cell of its own.
FORMULA_AFTER_SPLIT = re.compile(r"[;,\t\r\n]\s*[=+\-@|%]")
# Control characters: no spreadsheet cell may hold them (openpyxl refuses them outright).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """The file's text (UTF-8, else Windows-1252 as Excel and CBS downloads write it), without
    NUL bytes and other control characters: no cell may hold one, PostgreSQL refuses NUL."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return CONTROL.sub("", text)


def reader(data: bytes) -> csv.DictReader:
    """Rows as dicts; the delimiter is ';' when the header has more of those than ','."""
    text = decode(data)
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def safe_cell(value):
    """A text cell a spreadsheet will not run as a formula, without control characters; other
    values stay as they are."""
    if not isinstance(value, str):
        return value
    value = CONTROL.sub("", value)
    if value.startswith(FORMULA_STARTS) or FORMULA_AFTER_SPLIT.search(value):
        return "'" + value
    return value
