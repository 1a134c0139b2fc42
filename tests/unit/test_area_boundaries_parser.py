"""Reading boundary GeoJSON and drawing the map: the pure parts, without a database."""

from __future__ import annotations

import json

import pytest

from survey.core.errors import UserError
from survey.core.mapsvg import MapArea, MapTexts, breaks, choropleth, class_of, fill_class
from survey.features.areas.boundaries import (
    BadFeature,
    crs_of,
    feature_code,
    rd_to_wgs84,
    read_boundaries,
)

RD = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def square(x: float, y: float, size: float) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*features, crs=None) -> bytes:
    doc = {"type": "FeatureCollection", "features": list(features)}
    if crs is not None:
        doc["crs"] = crs
    return json.dumps(doc).encode()


def feature(properties: dict, geometry) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_amersfoort_in_rd_is_where_it_should_be():
    lon, lat = rd_to_wgs84(155000, 463000)
    assert lat == pytest.approx(52.1552, abs=1e-4)
    assert lon == pytest.approx(5.3872, abs=1e-4)


def test_an_rd_file_is_reprojected_and_rounded():
    data = collection(feature({"statcode": "BU03630000"}, square(155000, 463000, 100)), crs=RD)
    [boundary], without_code = read_boundaries(data)
    assert without_code == 0 and boundary.code == "BU03630000"
    ring = boundary.geometry["coordinates"][0]
    assert ring[0] == pytest.approx([5.3872, 52.1552], abs=1e-4)
    assert all(len(str(v).split(".")[1]) <= 6 for p in ring for v in p)


@pytest.mark.parametrize("name", ["buurtcode", "WK_CODE", "Bu_Code", "wijkcode", "STATCODE"])
def test_the_code_property_is_found_in_any_case(name):
    assert feature_code({name: " bu09990101 ", "naam": "x"}) == "BU09990101"


def test_properties_that_are_no_object_give_no_code():
    assert feature_code(["BU1"]) == feature_code(None) == feature_code({"buurtcode": 7}) == ""


def test_crs_names():
    assert crs_of(None) == "wgs84"
    assert crs_of({"type": "name", "properties": {"name": "EPSG:28992"}}) == "rd"
    assert crs_of({"type": "name", "properties": {"name": "EPSG:3035"}}) is None


def test_a_large_outline_is_simplified():
    import math

    ring = [[5 + 0.01 * math.cos(t / 100), 52 + 0.01 * math.sin(t / 100)] for t in range(628)]
    ring.append(ring[0])
    data = collection(feature({"buurtcode": "BU1"}, {"type": "Polygon", "coordinates": [ring]}))
    [boundary], _n = read_boundaries(data)
    assert 4 <= len(boundary.geometry["coordinates"][0]) < 300


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {"type": "Point", "coordinates": [5, 52]},
        {"type": "Polygon", "coordinates": [[[5, 52], [6, 52], [5, 52]]]},  # too few positions
        {"type": "Polygon", "coordinates": [[[5, 52], ["x", 52], [6, 53], [5, 52]]]},
        {"type": "Polygon", "coordinates": [[[500, 52], [501, 52], [501, 53], [500, 52]]]},
        {"type": "Polygon", "coordinates": [[[10**400, 52], [5, 52], [5, 53], [10**400, 52]]]},
        {"type": "MultiPolygon", "coordinates": [[5, 52]]},
    ],
)
def test_a_bad_geometry_names_the_feature_by_number_and_code(geometry):
    data = collection(
        feature({"buurtcode": "BU09990101"}, square(5, 52, 0.01)),
        feature({"buurtcode": "BU09990102"}, geometry),
    )
    with pytest.raises(BadFeature) as caught:
        read_boundaries(data)
    assert (caught.value.index, caught.value.feature_code) == (2, "BU09990102")
    assert "Object 2 (BU09990102)" in caught.value.message


def test_an_unknown_crs_refuses_the_file():
    data = collection(
        feature({"buurtcode": "BU1"}, square(5, 52, 0.01)),
        crs={"type": "name", "properties": {"name": "EPSG:3857"}},
    )
    with pytest.raises(BadFeature, match="coördinatenstelsel"):
        read_boundaries(data)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "leeg"),
        (b"\x89PNG\r\n", "geen JSON"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": 3}', "features"),
    ],
)
def test_a_file_that_is_no_feature_collection_is_refused(data, words):
    with pytest.raises(UserError, match=words):
        read_boundaries(data)


TEXTS = MapTexts("Kaart", "Uitleg", "Reacties", "te weinig", "geen cijfer")


def test_the_map_is_accessible_svg_with_a_legend_and_classes():
    areas = [
        MapArea(1, "Oost", square(5, 52, 0.01), 10, "10 reacties"),
        MapArea(2, "West & co", square(4.99, 52, 0.01), 50, "50 reacties"),
        MapArea(3, "Klein", square(5, 52.01, 0.01), None, "", hidden=True),
        MapArea(4, "Zonder grens", None, 5, "5 reacties"),
    ]
    svg = str(choropleth("m", areas, TEXTS))
    assert svg.startswith('<svg class="map" id="m"') and 'role="img"' in svg
    assert 'aria-labelledby="m-title m-desc"' in svg
    assert '<title id="m-title">Kaart</title>' in svg and '<desc id="m-desc">Uitleg</desc>' in svg
    assert 'class="map-c1"' in svg and 'class="map-c5"' in svg  # two classes: lightest, darkest
    assert 'class="map-hidden" fill="url(#m-hatch)"' in svg
    assert "<title>Klein: te weinig</title>" in svg
    assert "West &amp; co" in svg and "Zonder grens" not in svg
    assert "style=" not in svg and "<script" not in svg


def test_no_geometry_no_map():
    assert str(choropleth("m", [MapArea(1, "A", None, 1, "1")], TEXTS)) == ""


def test_breaks_and_classes():
    assert breaks([]) == [] and breaks([3, 3]) == [3]
    bounds = breaks([0, 10, 20, 30, 40, 50])
    assert bounds == [10, 20, 30, 40, 50]
    assert [class_of(v, bounds) for v in (0, 10, 11, 50)] == [1, 1, 2, 5]


def test_fewer_classes_spread_over_the_palette():
    assert [fill_class(i, 3) for i in (1, 2, 3)] == ["map-c1", "map-c3", "map-c5"]
    assert fill_class(1, 1) == "map-c3"
