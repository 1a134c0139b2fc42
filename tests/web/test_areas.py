"""Gebieden: the tree edited by hand, and the CSV import with CBS codes."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Area, AuditEvent

GOOD_AND_BAD = """code,name,level,parent,postcodes
GM0999,Voorbeeldstad,gemeente,,
WK099901,Centrum,wijk,GM0999,
BU09990101,Oude Haven,buurt,WK099901,9901 9902
BU09990102,Marktkwartier,,,9903
XX123,Nergens,buurt,WK099901,
BU09990201,Bloemenbuurt,buurt,WK099902,9911
BU09990103,,buurt,WK099901,
BU09990104,Havenkwartier,buurt,WK099901,12345
"""


@pytest.fixture
def editor_client(app, client, sign_in):
    sign_in(client, "editor")
    return client


def _upload(client, text: str, name: str = "gebieden.csv"):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name)}
    return client.post("/officer/areas/import", data=data, content_type="multipart/form-data")


def _areas() -> dict[str, Area]:
    db.session.expire_all()
    return {a.cbs_code: a for a in db.session.scalars(select(Area))}


def test_good_rows_are_imported_and_bad_rows_reported_with_line_numbers(editor_client):
    result = _upload(editor_client, GOOD_AND_BAD)
    assert result.status_code == 200
    html = result.get_data(as_text=True)
    areas = _areas()
    assert set(areas) == {"GM0999", "WK099901", "BU09990101", "BU09990102"}
    assert areas["BU09990101"].parent.cbs_code == "WK099901"
    assert areas["BU09990101"].postcodes == ["9901", "9902"]
    # Level and parent come from the code when the columns are empty.
    assert areas["BU09990102"].level == "buurt"
    assert areas["BU09990102"].parent.cbs_code == "WK099901"
    assert "4 nieuw, 0 gewijzigd, 0 al goed." in html
    for line in (6, 7, 8, 9):
        assert f"Regel {line}:" in html, line
    assert "Regel 2:" not in html and "Regel 5:" not in html
    assert "WK099902" in html  # the missing parent is named
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import_areas"))


def test_importing_again_changes_nothing_and_a_changed_name_updates(editor_client):
    _upload(editor_client, GOOD_AND_BAD)
    before = {code: a.id for code, a in _areas().items()}
    html = _upload(editor_client, GOOD_AND_BAD).get_data(as_text=True)
    assert "0 nieuw, 0 gewijzigd, 4 al goed." in html
    assert {code: a.id for code, a in _areas().items()} == before
    renamed = GOOD_AND_BAD.replace("Oude Haven", "De Oude Haven")
    html = _upload(editor_client, renamed).get_data(as_text=True)
    assert "0 nieuw, 1 gewijzigd, 3 al goed." in html
    assert _areas()["BU09990101"].name == "De Oude Haven"
    assert db.session.scalar(select(func.count(Area.id))) == 4


def test_the_cbs_wijk_en_buurtkaart_style_with_semicolons(editor_client):
    text = (
        "GM_CODE;GM_NAAM;WK_CODE;WK_NAAM;BU_CODE;BU_NAAM\n"
        "GM0363;Amsterdam;WK036300;Burgwallen-Oude Zijde;BU03630000;Kop Zeedijk\n"
        "GM0363;Amsterdam;WK036300;Burgwallen-Oude Zijde;BU03630001;Oude Kerk e.o.\n"
        "GM0363;Amsterdam;WK036301;Burgwallen-Nieuwe Zijde;BU0363010A;Nieuwendijk\n"
        "GM0363;Amsterdam;WK03630;Fout;BU03630002;Fout\n"
    )
    result = _upload(editor_client, text)
    assert result.status_code == 200
    areas = _areas()
    assert set(areas) == {
        "GM0363",
        "WK036300",
        "WK036301",
        "BU03630000",
        "BU03630001",
        "BU0363010A",
    }
    assert areas["BU0363010A"].parent.cbs_code == "WK036301"
    assert areas["WK036300"].parent.cbs_code == "GM0363"
    assert "Regel 5:" in result.get_data(as_text=True)


def test_a_file_without_the_columns_is_refused_clearly(editor_client):
    result = _upload(editor_client, "naam;iets\nNoord;1\n")
    assert result.status_code == 422
    assert "kolommen" in result.get_data(as_text=True)
    result = editor_client.post("/officer/areas/import", data={})
    assert result.status_code == 422
    assert not _areas()


@pytest.mark.parametrize(
    "text",
    [
        "code,name\nGM0999," + "x" * 131_073 + "\n",  # a cell over the csv module's limit
        "code" + "x" * 131_073 + ",name\nGM0999,Voorbeeldstad\n",  # in the header
        'code,name\nGM0999,"Voorbeeldstad\n',  # a quote never closed, then a huge cell
    ],
)
def test_an_unreadable_file_is_refused_with_a_message_and_stores_nothing(editor_client, text):
    result = _upload(editor_client, text + "x" * 140_000 * ('"' in text))
    assert result.status_code == 422
    assert "geen leesbaar CSV-bestand" in result.get_data(as_text=True)
    assert not _areas()


def test_nul_bytes_and_control_characters_never_reach_the_database(editor_client):
    result = _upload(editor_client, "code,name\nGM0999,Voor\x00beeld\x01stad\n")
    assert result.status_code == 200
    assert _areas()["GM0999"].name == "Voorbeeldstad"


def test_add_and_edit_areas_in_place(editor_client):
    assert (
        editor_client.post(
            "/officer/areas",
            data={"level": "gemeente", "name": "Voorbeeldstad", "cbs_code": "GM0999"},
        ).status_code
        == 303
    )
    gemeente = _areas()["GM0999"]
    result = editor_client.post(
        "/officer/areas",
        data={
            "level": "wijk",
            "name": "Noord",
            "parent_id": str(gemeente.id),
            "cbs_code": "wk099902",
        },
    )
    assert result.status_code == 303
    wijk = _areas()["WK099902"]
    # A buurt under a gemeente is refused; so is a code that does not fit the level.
    for bad in (
        {"level": "buurt", "name": "Molenwijk", "parent_id": str(gemeente.id)},
        {"level": "buurt", "name": "Molenwijk", "parent_id": str(wijk.id), "cbs_code": "WK099903"},
        {"level": "buurt", "name": "Molenwijk", "parent_id": str(wijk.id), "postcodes": "99 12"},
    ):
        result = editor_client.post("/officer/areas", data=bad)
        assert result.status_code == 422, bad
        assert 'class="error"' in result.get_data(as_text=True)
    editor_client.post(
        "/officer/areas",
        data={
            "level": "buurt",
            "name": "Molenwijk",
            "parent_id": str(wijk.id),
            "cbs_code": "BU09990202",
            "postcodes": "9912, 9913",
        },
    )
    buurt = _areas()["BU09990202"]
    assert buurt.postcodes == ["9912", "9913"] and buurt.parent_id == wijk.id
    # Edit in place: the form fragment, then the saved line.
    hx = {"HX-Request": "true"}
    form = editor_client.get(f"/officer/areas/{buurt.id}?edit=1", headers=hx).get_data(as_text=True)
    assert form.lstrip().startswith(f'<div id="area-{buurt.id}"') and 'name="postcodes"' in form
    result = editor_client.post(
        f"/officer/areas/{buurt.id}",
        data={"name": "Molenbuurt", "cbs_code": "BU09990202", "postcodes": "9912"},
        headers=hx,
    )
    assert result.status_code == 200 and "Molenbuurt" in result.get_data(as_text=True)
    assert _areas()["BU09990202"].postcodes == ["9912"]
    # The CBS code of another area cannot be taken.
    result = editor_client.post(
        f"/officer/areas/{buurt.id}", data={"name": "Molenbuurt", "cbs_code": "BU09990202"}
    )
    assert result.status_code == 303
    result = editor_client.post(
        f"/officer/areas/{wijk.id}", data={"name": "Noord", "cbs_code": "WK099901"}, headers=hx
    )
    assert result.status_code == 200
    other = editor_client.post(
        "/officer/areas",
        data={
            "level": "wijk",
            "name": "Zuid",
            "parent_id": str(gemeente.id),
            "cbs_code": "WK099901",
        },
    )
    assert other.status_code == 422 and "heeft de CBS-code" in other.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("add_area") == 3 and actions.count("update_area") == 3


def test_the_page_documents_the_format(editor_client):
    page = editor_client.get("/officer/areas").get_data(as_text=True)
    assert "code,name,level,parent,postcodes" in page and "BU_CODE" in page
