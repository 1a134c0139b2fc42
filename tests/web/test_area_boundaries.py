"""Grenzen: buurt and wijk boundaries imported by command and by upload, and the maps drawn
from them on the dashboard and on Inzichten."""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Area, AuditEvent
from tests.web.test_dashboard import add_response, make_survey

RD = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def square(x: float, y: float, size: float) -> dict:
    east, north = round(x + size, 6), round(y + size, 6)
    ring = [[x, y], [east, y], [east, north], [x, north], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def geojson(*features: tuple[dict, dict | None], crs: dict | None = None) -> bytes:
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features],
    }
    if crs:
        doc["crs"] = crs
    return json.dumps(doc).encode()


WGS84_FILE = geojson(
    ({"buurtcode": "BU09990101", "buurtnaam": "Oude Haven"}, square(5.6, 52.4, 0.01)),
    ({"WK_CODE": "WK099901"}, square(5.6, 52.4, 0.02)),
    ({"statcode": "BU03630000"}, square(4.9, 52.37, 0.01)),  # Amsterdam: not ours
)
BAD_FILE = geojson(
    ({"buurtcode": "BU09990101"}, square(5.6, 52.4, 0.01)),
    ({"buurtcode": "BU09990102"}, {"type": "LineString", "coordinates": [[5, 52], [6, 53]]}),
)


@pytest.fixture
def areas(app) -> dict[str, Area]:
    gemeente = Area(level="gemeente", name="Voorbeeldstad", cbs_code="GM0999")
    wijk = Area(level="wijk", name="Centrum", cbs_code="WK099901", parent=gemeente)
    for code, name in (("BU09990101", "Oude Haven"), ("BU09990102", "Marktkwartier")):
        Area(level="buurt", name=name, cbs_code=code, parent=wijk)
    db.session.add(gemeente)
    db.session.commit()
    return _areas()


def _areas() -> dict[str, Area]:
    db.session.expire_all()
    return {a.cbs_code or a.name: a for a in db.session.scalars(select(Area))}


def _cli(app, tmp_path, data: bytes):
    path = tmp_path / "grenzen.geojson"
    path.write_bytes(data)
    return app.test_cli_runner().invoke(args=["areas", "boundaries", "import", str(path)])


def test_the_command_imports_wgs84_and_counts_unknown_codes(app, areas, tmp_path):
    result = _cli(app, tmp_path, WGS84_FILE)
    assert result.exit_code == 0, result.output
    assert "2 gebieden bijgewerkt, 1 onbekende codes overgeslagen" in result.output
    found = _areas()
    assert found["BU09990101"].boundary == square(5.6, 52.4, 0.01)
    assert found["WK099901"].boundary["type"] == "Polygon"
    assert found["BU09990102"].boundary is None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "import_area_boundaries")
    )
    assert event.detail == {"stored": 2, "skipped_unknown": 1, "without_code": 0}


def test_an_rd_file_is_stored_in_wgs84(app, areas, tmp_path):
    data = geojson(({"buurtcode": "BU09990102"}, square(155000, 463000, 200)), crs=RD)
    assert _cli(app, tmp_path, data).exit_code == 0
    ring = _areas()["BU09990102"].boundary["coordinates"][0]
    assert ring[0] == pytest.approx([5.3872, 52.1552], abs=1e-4)


def test_a_new_file_replaces_only_the_areas_in_it(app, areas, tmp_path):
    assert _cli(app, tmp_path, WGS84_FILE).exit_code == 0
    again = geojson(({"buurtcode": "BU09990101"}, square(5.7, 52.5, 0.01)))
    assert _cli(app, tmp_path, again).exit_code == 0
    found = _areas()
    assert found["BU09990101"].boundary == square(5.7, 52.5, 0.01)
    assert found["WK099901"].boundary == square(5.6, 52.4, 0.02)  # not in the file: kept


def test_a_bad_feature_refuses_the_file_by_number_and_code(app, areas, tmp_path):
    result = _cli(app, tmp_path, BAD_FILE)
    assert result.exit_code == 1
    assert "Object 2 (BU09990102)" in result.output and "geen vlak" in result.output
    assert all(a.boundary is None for a in _areas().values())  # not even the good first one


@pytest.fixture
def editor_client(areas, client, sign_in):
    sign_in(client, "editor")
    return client


def _upload(client, data: bytes):
    form = {"file": (io.BytesIO(data), "grenzen.geojson")}
    return client.post("/officer/areas/boundaries", data=form, content_type="multipart/form-data")


def test_an_editor_uploads_boundaries_and_sees_the_counts(editor_client):
    result = _upload(editor_client, WGS84_FILE)
    assert result.status_code == 303
    page = editor_client.get(result.headers["Location"]).get_data(as_text=True)
    assert "Grenzen: 2 gebieden bijgewerkt, 1 onbekende codes overgeslagen." in page
    assert _areas()["BU09990101"].boundary is not None


def test_a_refused_upload_names_the_feature_and_stores_nothing(editor_client):
    result = _upload(editor_client, BAD_FILE)
    assert result.status_code == 422
    assert "Object 2 (BU09990102)" in result.get_data(as_text=True)
    assert all(a.boundary is None for a in _areas().values())


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00", "geen JSON"),
        (b'{"type": "Feature", "geometry": null}', "FeatureCollection"),
        (b"[1, 2]", "FeatureCollection"),
        (b"", "Het bestand is leeg."),
    ],
)
def test_an_odd_file_is_refused_with_a_message(editor_client, data, words):
    result = _upload(editor_client, data)
    assert result.status_code == 422
    assert words in result.get_data(as_text=True)


def test_an_upload_without_a_file_asks_for_one(editor_client):
    result = editor_client.post("/officer/areas/boundaries", data={})
    assert result.status_code == 422
    assert "Kies eerst een GeoJSON-bestand" in result.get_data(as_text=True)


def test_a_file_over_the_upload_limit_is_refused(app, editor_client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        result = _upload(editor_client, b" " * 5000 + WGS84_FILE)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    assert result.status_code == 413
    assert _areas()["BU09990101"].boundary is None


@pytest.mark.parametrize("role", ["analyst", "coordinator"])
def test_only_officers_who_edit_areas_can_upload(areas, client, sign_in, role):
    sign_in(client, role)
    assert _upload(client, WGS84_FILE).status_code == 403


# --- the dashboard's map -----------------------------------------------------------------------


def _map_table(html: str) -> dict[str, str]:
    table = re.search(r'<table id="dashboard-map-table">(.*?)</table>', html, re.S)
    assert table, "no map table"
    rows = re.findall(r'<th scope="row">(.*?)</th><td[^>]*>(.*?)</td>', table[1])
    return dict(rows)


def test_the_dashboard_shows_the_map_with_its_table_and_hides_a_small_buurt(app, client, sign_in):
    survey = make_survey(min_group=3)
    wijk = db.session.scalar(select(Area).where(Area.cbs_code == "WK999901"))
    db.session.add(Area(level="buurt", name="Ceebuurt", cbs_code="BU99990103", parent=wijk))
    db.session.commit()
    found = {a.name: a for a in db.session.scalars(select(Area))}
    data = geojson(
        ({"buurtcode": "BU99990101"}, square(5.6, 52.4, 0.01)),
        ({"buurtcode": "BU99990102"}, square(5.61, 52.4, 0.01)),
        ({"buurtcode": "BU99990103"}, square(5.62, 52.4, 0.01)),
    )
    from survey.features.areas.boundaries import import_boundaries

    import_boundaries(None, data)
    poster, _web = survey.channels
    for _ in range(7):
        add_response(survey, {"kleur": "rood"}, poster, found["Aabuurt"])
    add_response(survey, {"kleur": "blauw"}, poster, found["Beebuurt"])
    for _ in range(2):
        add_response(survey, {"kleur": "blauw"}, poster, found["Ceebuurt"])
    for _ in range(4):
        add_response(survey, {"kleur": "groen"}, poster, None)
    sign_in(client, "analyst")
    html = client.get(f"/officer/surveys/{survey.id}/dashboard").get_data(as_text=True)
    assert '<svg class="map" id="dashboard-map"' in html and 'role="img"' in html
    rows = _map_table(html)
    assert rows["Beebuurt"] == rows["Ceebuurt"] == "te weinig"
    assert rows["Aabuurt"] == "7 reacties"  # no CBS figures here: responses, not per 1,000
    svg = re.search(r'<svg class="map" id="dashboard-map".*?</svg>', html, re.S)[0]
    assert "<title>Beebuurt: te weinig</title>" in svg
    assert 'class="map-hidden"' in svg and "Beebuurt: 1" not in svg


def test_no_boundary_no_map(app, client, sign_in):
    survey = make_survey(min_group=1)
    add_response(survey, {"kleur": "rood"}, survey.channels[0], None)
    sign_in(client, "analyst")
    html = client.get(f"/officer/surveys/{survey.id}/dashboard").get_data(as_text=True)
    assert "dashboard-map" not in html


def test_the_demo_maps_responses_per_1000_residents(demo, demo_client, sign_in):
    from survey.models import Survey

    buurten = db.session.scalars(select(Area).where(Area.level == "buurt")).all()
    assert buurten and all(b.boundary for b in buurten)
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    sign_in(demo_client, "analyst")
    html = demo_client.get(f"/officer/surveys/{survey.id}/dashboard").get_data(as_text=True)
    rows = _map_table(html)
    assert len(rows) == len(buurten)
    assert any("per 1.000 inwoners" in v for v in rows.values())
    assert "Reacties per 1.000 inwoners per buurt" in html


def test_inzichten_maps_the_largest_gap_per_buurt(demo, demo_client, sign_in):
    from survey.models import Survey

    result = demo.test_cli_runner().invoke(args=["profiles", "fit", "--survey", "demo-peiling"])
    assert result.exit_code == 0, result.output
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    sign_in(demo_client, "analyst")
    html = demo_client.get(f"/officer/surveys/{survey.id}/insights").get_data(as_text=True)
    assert '<svg class="map" id="insights-map"' in html
    table = re.search(r'<table id="insights-map-table">(.*?)</table>', html, re.S)[1]
    cells = re.findall(r'<th scope="row">(.*?)</th><td[^>]*>(.*?)</td>', table)
    assert len(cells) == 7
    rows = dict(cells)
    assert rows["Oude Haven"] == "te weinig"  # its mix is not shown on the page either
    assert rows["Spoorzijde"] == "niet te tonen: aandelen verborgen"


def test_the_gap_is_the_profile_reached_least_against_what_we_expect(app):
    from types import SimpleNamespace

    from survey.features.insights.maps import _entry

    gaps = [
        {"code": "a", "gap": -0.05},
        {"code": "b", "gap": -0.12},
        {"code": "c", "gap": None},  # hidden: never the one named
        {"code": "d", "gap": 0.2},
    ]
    buurt = SimpleNamespace(id=1, name="Aabuurt", boundary=square(5, 52, 0.01))
    row = {"mix": {"a": {}}, "gaps": gaps, "hidden": ["c"]}
    with app.test_request_context():
        entry = _entry(buurt, row, {"b": "Aanpakkers"})
        assert (entry.value, entry.label) == (12, "Aanpakkers: 12 procentpunt minder dan verwacht")
        hidden = _entry(buurt, {**row, "mix": None}, {})
        assert hidden.hidden and hidden.value is None
