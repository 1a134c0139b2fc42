"""Kerncijfers: CBS figures per area, imported by command and by upload, kept per year."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.features.areas.figures import figures_of, import_area_figures
from survey.models import Area, AuditEvent

# Kerncijfers 2023 as the open data portal writes it (the year is in the table's name, not in
# a column): BOM, ";", quoted padded codes, padded
# numbers, a decimal comma, "." for a secret figure, and a buurt of another municipality.
CBS_2023 = (
    "\ufeffID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;AantalInwoners_5;"
    "k_65JaarOfOuder_5;HuishoudensTotaal_5;HuishoudensMetKinderen_5;HuurwoningenTotaal_5\r\n"
    '0;"GM0999    ";"Vbstad";"Gemeente  ";"GM0999    ";   15000;  2400;  7500;  2200;  51,5\r\n'
    '1;"WK099901  ";"Vbstad";"Wijk      ";"WK099901  ";    4100;   850;  2500;   330;  62\r\n'
    '2;"BU09990101";"Vbstad";"Buurt     ";"BU09990101";    1800;   630;  1000;     .;  41\r\n'
    '3;"BU03630000";"Amsterdam";"Buurt     ";"BU03630000";    1200;   100;   700;   100;  80\r\n'
)
# Kerncijfers 2024: other suffixes, "," and no quotes, the year in a Perioden column.
CBS_2024 = (
    "WijkenEnBuurten,Perioden,AantalInwoners_6,k_65JaarOfOuder_6,HuishoudensTotaal_6,"
    "HuishoudensMetKinderen_6,HuurwoningenTotaal_6,Mannen_6\n"
    "GM0999    ,2024JJ00,   15100,  2439,  7520,  2225,  52,7000\n"
    "BU09990101,2024JJ00,    1840,   644,  1010,   150,  42,900\n"
    "BU09990102,2024JJ00,    2310,   220,  1560,   190,  81,1100\n"
)
BAD = (
    "WijkenEnBuurten;Perioden;AantalInwoners_6\n"
    "GM0999;2024JJ00;15100\n"
    "BU0999010;2024JJ00;1840\n"  # a malformed code
    "BU09990102;2024JJ00;abc\n"  # not a number
)


@pytest.fixture
def areas(app) -> dict[str, Area]:
    gemeente = Area(level="gemeente", name="Voorbeeldstad", cbs_code="GM0999")
    wijk = Area(level="wijk", name="Centrum", cbs_code="WK099901", parent=gemeente)
    for code, name in (("BU09990101", "Oude Haven"), ("BU09990102", "Marktkwartier")):
        Area(level="buurt", name=name, cbs_code=code, parent=wijk)
    Area(level="buurt", name="Zonder code", parent=wijk)
    db.session.add(gemeente)
    db.session.commit()
    return _areas()


def _areas() -> dict[str, Area]:
    db.session.expire_all()
    return {a.cbs_code or a.name: a for a in db.session.scalars(select(Area))}


def _cli(app, tmp_path, text: str, *options: str):
    path = tmp_path / "kerncijfers.csv"
    path.write_bytes(text.encode("utf-8"))
    return app.test_cli_runner().invoke(args=["areas", "figures", "import", str(path), *options])


def test_the_command_imports_a_2023_file_and_counts_what_it_skipped(app, areas, tmp_path):
    result = _cli(app, tmp_path, CBS_2023, "--year", "2023")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Kerncijfers 2023: 3 gebieden bijgewerkt, 1 onbekende codes overgeslagen, "
        "0 overgeslagen omdat er al nieuwere cijfers zijn."
    )
    found = _areas()
    assert found["BU09990101"].figures == {
        "AantalInwoners": 1800.0,
        "k_65JaarOfOuder": 630.0,
        "HuishoudensTotaal": 1000.0,
        "HuishoudensMetKinderen": None,  # "." in the file
        "HuurwoningenTotaal": 41.0,
    }
    assert found["GM0999"].figures["HuurwoningenTotaal"] == 51.5  # decimal comma
    assert {a.figures_year for a in found.values() if a.figures} == {2023}
    assert found["BU09990102"].figures is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import_area_figures"))
    assert event.target == "2023" and event.detail["skipped_unknown"] == 1


def test_newer_figures_replace_older_and_older_never_replace_newer(app, areas, tmp_path):
    assert _cli(app, tmp_path, CBS_2023, "--year", "2023").exit_code == 0
    result = _cli(app, tmp_path, CBS_2024)  # the year from Perioden
    assert result.exit_code == 0 and "Kerncijfers 2024: 3 gebieden bijgewerkt" in result.output
    found = _areas()
    assert found["BU09990101"].figures_year == 2024
    assert found["BU09990101"].figures["HuishoudensMetKinderen"] == 150.0
    assert "Mannen" not in found["BU09990101"].figures
    assert found["WK099901"].figures_year == 2023  # not in the 2024 file: kept
    result = _cli(app, tmp_path, CBS_2023, "--year", "2023")
    assert result.exit_code == 0
    assert "1 gebieden bijgewerkt, 1 onbekende codes overgeslagen, 2 overgeslagen" in result.output
    found = _areas()
    assert found["BU09990101"].figures_year == 2024
    assert found["BU09990101"].figures["AantalInwoners"] == 1840.0


def test_the_year_given_wins_over_perioden(app, areas, tmp_path):
    result = _cli(app, tmp_path, CBS_2024, "--year", "2025")
    assert result.exit_code == 0 and "Kerncijfers 2025:" in result.output
    assert _areas()["GM0999"].figures_year == 2025
    assert _cli(app, tmp_path, CBS_2024, "--year", "24").exit_code == 2  # not a year


def test_a_bad_row_refuses_the_whole_file_with_its_line_number(app, areas, tmp_path):
    result = _cli(app, tmp_path, BAD)
    assert result.exit_code == 1
    assert "Het bestand is niet ingelezen:" in result.output
    assert "Regel 3: BU0999010 is geen CBS-code" in result.output
    assert "Regel 4: in kolom AantalInwoners_6 staat 'abc'" in result.output
    assert "Regel 2" not in result.output
    assert all(a.figures is None for a in _areas().values())  # not even line 2
    assert db.session.scalar(select(AuditEvent)) is None


def test_a_file_without_a_code_column_is_refused_by_the_command(app, areas, tmp_path):
    result = _cli(app, tmp_path, "Naam;AantalInwoners_5\nNoord;12\n")
    assert result.exit_code == 1 and "geen kolom met de CBS-code" in result.output


def test_figures_of_falls_back_to_the_nearest_ancestor(app, areas):
    import_area_figures(None, CBS_2023.encode("utf-8"), 2023)
    found = _areas()
    assert figures_of(found["BU09990101"])[1:] == (2023, found["BU09990101"])
    figures, year, source = figures_of(found["BU09990102"])
    assert (figures["AantalInwoners"], year, source) == (4100.0, 2023, found["WK099901"])
    gemeente = Area(level="gemeente", name="Leeg")
    assert figures_of(gemeente) == (None, None, None)


# --- the upload on Gebieden --------------------------------------------------------------


@pytest.fixture
def editor_client(areas, client, sign_in):
    sign_in(client, "editor")
    return client


def _upload(client, data: bytes, **fields):
    form = {"file": (io.BytesIO(data), "kerncijfers.csv"), **fields}
    return client.post("/officer/areas/figures", data=form, content_type="multipart/form-data")


def test_an_editor_uploads_figures_and_sees_the_counts_and_the_year(editor_client):
    result = _upload(editor_client, CBS_2023.encode("utf-8"), year="2023")
    assert result.status_code == 303
    page = editor_client.get(result.headers["Location"]).get_data(as_text=True)
    assert "Kerncijfers 2023: 3 gebieden bijgewerkt, 1 onbekende codes overgeslagen" in page
    assert "CBS 2023" in page
    assert "1800 inwoners, 35% is 65 of ouder" in page  # 630 of 1800
    oude_haven = _areas()["BU09990101"]
    assert oude_haven.figures_year == 2023
    row = editor_client.get(f"/officer/areas/{oude_haven.id}", headers={"HX-Request": "true"})
    assert "CBS 2023" in row.get_data(as_text=True)  # the row htmx swaps in shows them too


def test_a_refused_upload_names_the_lines_and_stores_nothing(editor_client):
    result = _upload(editor_client, BAD.encode("utf-8"))
    assert result.status_code == 422
    html = result.get_data(as_text=True)
    assert "Het bestand is niet ingelezen: 2 regels kloppen niet." in html
    assert "Regel 3:" in html and "Regel 4:" in html
    assert all(a.figures is None for a in _areas().values())


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (bytes(range(256)) * 40, "geen kolom met de CBS-code"),  # a binary file
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "geen kolom met de CBS-code"),
        (b"WijkenEnBuurten;Mannen_6\nGM0999;1\n", "geen kerncijfers die we kennen"),
        (b'WijkenEnBuurten;AantalInwoners_5\nGM0999;"' + b"x" * 140_000, "geen leesbaar"),
        (b"", "Het bestand is leeg."),
    ],
)
def test_an_odd_file_is_refused_with_a_message(editor_client, data, words):
    result = _upload(editor_client, data)
    assert result.status_code == 422
    assert words in result.get_data(as_text=True)


def test_an_upload_without_a_file_asks_for_one(editor_client):
    result = editor_client.post("/officer/areas/figures", data={"year": "2024"})
    assert result.status_code == 422 and "Kies eerst een CSV-bestand" in result.get_data(
        as_text=True
    )


def test_a_year_that_is_no_year_is_refused(editor_client):
    result = _upload(editor_client, CBS_2024.encode(), year="twintig")
    assert result.status_code == 422 and "Vul een jaar in" in result.get_data(as_text=True)
    assert _areas()["GM0999"].figures is None


def test_an_upload_without_csrf_token_is_refused(app, editor_client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        result = _upload(editor_client, CBS_2024.encode())
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert result.status_code == 400
    assert _areas()["GM0999"].figures is None


@pytest.mark.parametrize("role", ["analyst", "coordinator"])
def test_only_officers_who_edit_areas_can_upload(areas, client, sign_in, role):
    sign_in(client, role)
    assert _upload(client, CBS_2024.encode()).status_code == 403
    assert _areas()["GM0999"].figures is None


def test_signed_out_the_upload_leads_to_the_login(areas, client):
    result = _upload(client, CBS_2024.encode())
    assert result.status_code in (302, 303) and "/officer/login" in result.headers["Location"]
    assert _areas()["GM0999"].figures is None


def test_the_page_says_where_to_download_the_figures(editor_client):
    page = editor_client.get("/officer/areas").get_data(as_text=True)
    assert "Kerncijfers van het CBS" in page
    assert "Kerncijfers wijken en buurten" in page and "StatLine" in page
    assert "hoogstens 2 MB" in page


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_has_figures_with_different_make_ups(demo):
    found = {a.name: a for a in db.session.scalars(select(Area))}
    assert {a.figures_year for a in found.values()} == {2024}
    oude_haven = found["Oude Haven"].figures
    assert oude_haven["k_65JaarOfOuder"] / oude_haven["AantalInwoners"] == pytest.approx(0.35)
    bloemen = found["Bloemenbuurt"].figures
    assert bloemen["HuishoudensMetKinderen"] / bloemen["HuishoudensTotaal"] > 0.5
    assert found["Spoorzijde"].figures["HuurwoningenTotaal"] > 80
    assert found["Vogelzang"].figures["k_0Tot15Jaar"] is None  # "." in the file


def test_the_demo_page_shows_the_figures(demo, demo_client, sign_in):
    sign_in(demo_client, "editor")
    page = demo_client.get("/officer/areas").get_data(as_text=True)
    assert page.count("CBS 2024") == 11
    assert "1840 inwoners, 35% is 65 of ouder" in page
