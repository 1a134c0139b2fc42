"""Cells that leave the system in a CSV or XLSX file: never run as a formula, never invalid."""

from __future__ import annotations

import pytest

from survey.core.csvfile import safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Meer bomen", "Meer bomen"),
        ("=1+1", "'=1+1"),
        ("+31 6 123", "'+31 6 123"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Meer groen;=1+1", "'Meer groen;=1+1"),  # Dutch Excel splits on ";" first
        ('groen, =HYPERLINK("x")', '\'groen, =HYPERLINK("x")'),
        ("regel een\n=2+3", "'regel een\n=2+3"),
        ("tab\t-1", "'tab\t-1"),
        ("A\x01B\x7f", "AB"),  # control characters: openpyxl refuses them
        ("\x01=1+1", "'=1+1"),  # removed before the check, so they cannot hide a formula
        ("5 - 10 jaar", "5 - 10 jaar"),
        ("e-mail", "e-mail"),
        (4, 4),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
