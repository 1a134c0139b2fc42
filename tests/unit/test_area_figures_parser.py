"""Reading CBS "Kerncijfers wijken en buurten" CSVs: the pure part, without a database."""

from __future__ import annotations

import pytest

from survey.core.errors import UserError
from survey.features.areas.figures import FIGURES, base_name, parse_value, read_figures

# As the open data portal writes them: quoted codes padded to 10, numbers padded, ";".
CBS_2024 = (
    "\ufeffID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;AantalInwoners_6;"
    "k_0Tot15Jaar_9;k_65JaarOfOuder_13;Koopwoningen_41;Mannen_7\r\n"
    '0;"GM0363    ";"Amsterdam   ";"Gemeente  ";"GM0363    ";  931298; 139100; 127432;  31,2;1\r\n'
    '1;"WK036300  ";"Amsterdam   ";"Wijk      ";"WK036300  ";    3245;      .;    412;     .;2\r\n'
    '2;"BU0363010A";"Amsterdam   ";"Buurt     ";"BU0363010A";      ;    12;      7;  12.5;3\r\n'
)


def test_names_before_the_numeric_suffix_are_the_figures():
    assert base_name("AantalInwoners_5") == base_name("AantalInwoners_6") == "AantalInwoners"
    assert base_name(" k_0Tot15Jaar_8 ") == "k_0Tot15Jaar"
    assert base_name("Codering_3") == "Codering"
    assert base_name("WijkenEnBuurten") == "WijkenEnBuurten"


@pytest.mark.parametrize(
    ("raw", "comma", "expected"),
    [
        ("     1234", False, 1234.0),
        (".", False, None),
        ("   .  ", True, None),
        ("", False, None),
        (None, False, None),
        ("31,2", True, 31.2),
        ("31.2", True, 31.2),
        ("-3", False, -3.0),
    ],
)
def test_a_cell_is_a_number_or_unknown(raw, comma, expected):
    assert parse_value(raw, comma) == expected


@pytest.mark.parametrize("raw", ["abc", "1,2", "1.2.3", "nan", "inf", "12 345", "1e5"])
def test_anything_else_is_not_a_number(raw):
    with pytest.raises(ValueError):
        parse_value(raw, decimal_comma=raw == "1.2.3")


def test_a_cbs_file_with_bom_padding_quotes_and_decimal_commas():
    rows, errors = read_figures(CBS_2024.encode("utf-8"), year=2024)
    assert errors == []
    assert [(r.line, r.code, r.year) for r in rows] == [
        (2, "GM0363", 2024),
        (3, "WK036300", 2024),
        (4, "BU0363010A", 2024),
    ]
    gemeente, wijk, buurt = (r.figures for r in rows)
    assert gemeente == {
        "AantalInwoners": 931298.0,
        "k_0Tot15Jaar": 139100.0,
        "k_65JaarOfOuder": 127432.0,
        "Koopwoningen": 31.2,
    }  # Mannen is not one of FIGURES: left out
    assert wijk["k_0Tot15Jaar"] is None and wijk["Koopwoningen"] is None
    assert buurt["AantalInwoners"] is None and buurt["Koopwoningen"] == 12.5
    assert set(gemeente) <= set(FIGURES)


def test_commas_and_no_quotes_and_the_year_from_perioden():
    text = "Codering_4,Perioden,AantalInwoners_5\nGM0999  ,2023JJ00,  100\nWK099901,2022JJ00,.\n"
    rows, errors = read_figures(text.encode("cp1252"))
    assert errors == []
    assert [(r.code, r.year, r.figures) for r in rows] == [
        ("GM0999", 2023, {"AantalInwoners": 100.0}),
        ("WK099901", 2022, {"AantalInwoners": None}),
    ]
    rows, _ = read_figures(text.encode(), year=2024)  # the year given wins
    assert {r.year for r in rows} == {2024}


def test_without_a_year_it_is_this_year():
    from datetime import date

    rows, _ = read_figures(b"WijkenEnBuurten;AantalInwoners_5\nGM0999;1\n")
    assert rows[0].year == date.today().year


def test_the_country_row_of_a_national_file_is_well_formed():
    rows, errors = read_figures(b"WijkenEnBuurten;AantalInwoners_5\nNL01      ;17942942\n")
    assert errors == [] and rows[0].code == "NL01"


def test_bad_rows_are_named_by_line():
    text = (
        "WijkenEnBuurten;AantalInwoners_5;HuishoudensTotaal_30;Perioden\n"
        "GM0999;1;2;2024JJ00\n"
        "BU099901;1;2;2024JJ00\n"  # a buurt code two digits short
        "GM0999;abc;2;2024JJ00\n"
        ";1;2;2024JJ00\n"
        "GM0999;1;2;twintig\n"
    )
    rows, errors = read_figures(text.encode())
    assert [line for line, _ in errors] == [3, 4, 5, 6]
    assert "BU099901" in errors[0][1]
    assert "abc" in errors[1][1] and "AantalInwoners_5" in errors[1][1]
    assert "ontbreekt" in errors[2][1]
    assert "twintig" in errors[3][1]
    assert len(rows) == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Naam;AantalInwoners_5\nNoord;1\n", "CBS-code"),
        ("WijkenEnBuurten;Mannen_6\nGM0999;1\n", "kerncijfers"),
        ("", "leeg"),
        ("\n\n", "leeg"),
    ],
)
def test_a_file_without_the_columns_is_refused(text, words):
    with pytest.raises(UserError) as refused:
        read_figures(text.encode())
    assert words in refused.value.message


def test_a_binary_file_is_refused_as_a_file_without_the_columns():
    with pytest.raises(UserError):
        read_figures(bytes(range(256)) * 20)
