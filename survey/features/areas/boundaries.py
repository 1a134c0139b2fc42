"""Grenzen: the outline of a buurt or wijk, read from a GeoJSON FeatureCollection as the CBS
wijk- en buurtkaart publishes it, and stored on the area as a GeoJSON geometry in WGS84.

A feature names its area by CBS code (`buurtcode`, `wijkcode`, `BU_CODE`, `WK_CODE` or
`statcode`); its coordinates are WGS84, or RD New (EPSG:28992) when the file's `crs` says so.
A feature with a bad geometry refuses the whole file: nothing is stored.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.models import Area, Officer

CODE_PROPERTIES = ("buurtcode", "wijkcode", "bu_code", "wk_code", "statcode")
WGS84 = "wgs84"
RD_NEW = "rd"
CRS_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84": WGS84,
    "urn:ogc:def:crs:epsg::4326": WGS84,
    "epsg:4326": WGS84,
    "urn:ogc:def:crs:epsg::28992": RD_NEW,
    "epsg:28992": RD_NEW,
}
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
DECIMALS = 6  # about 10 cm: more than a map of a buurt needs
SIMPLIFY_OVER = 400  # positions; a larger outline is simplified...
TOLERANCE = 0.00005  # ...to about 5 metres (degrees)
MAX_BYTES = 50 * 1024 * 1024  # the CLI's limit; an upload has MAX_CONTENT_LENGTH


def too_large():
    return _l("Het bestand is te groot (hoogstens %(mb)s MB).", mb=MAX_BYTES // (1024 * 1024))


class BadFeature(UserError):
    """A feature whose geometry cannot be read: its number in the file (from 1) and code."""

    def __init__(self, index: int, code: str, reason):
        message = _l(
            "Het bestand is niet ingelezen. Object %(n)s (%(code)s): %(reason)s",
            n=index,
            code=code or "?",
            reason=reason,
        )
        super().__init__(message, field="file")
        self.index, self.feature_code = index, code


@dataclass(frozen=True)
class Boundary:
    index: int
    code: str
    geometry: dict  # GeoJSON Polygon or MultiPolygon, WGS84, rounded


@dataclass
class BoundariesReport:
    stored: int = 0
    skipped_unknown: int = 0  # a feature of an area this municipality does not have
    without_code: int = 0  # a feature with none of the code properties


def feature_code(properties: dict | None) -> str:
    """The CBS code of a feature, upper case, or "" (the property name in any case)."""
    if not isinstance(properties, dict):
        return ""
    by_name = {str(k).lower(): v for k, v in properties.items()}
    for name in CODE_PROPERTIES:
        value = by_name.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip().upper()
    return ""


def crs_of(member, default: str = WGS84) -> str | None:
    """WGS84 or RD_NEW for a GeoJSON `crs` member; None for one we do not know."""
    if member is None:
        return default
    name = (
        ((member or {}).get("properties") or {}).get("name") if isinstance(member, dict) else None
    )
    return CRS_NAMES.get(str(name).strip().lower()) if name else None


def _rings(geometry: dict) -> list[list]:
    """The polygons of a geometry as lists of rings; raises ValueError for a bad shape."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in GEOMETRY_TYPES or not isinstance(coordinates, list) or not coordinates:
        raise ValueError
    polygons = [coordinates] if kind == "Polygon" else coordinates
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValueError
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValueError
            for position in ring:
                if not isinstance(position, list) or len(position) < 2:
                    raise ValueError
                if not all(isinstance(v, int | float) and math.isfinite(v) for v in position[:2]):
                    raise ValueError
    return polygons


def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """An RD New point (metres) as (longitude, latitude)."""
    return _transformer().transform(x, y)


def _on_earth(lon: float, lat: float) -> bool:
    return math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90


def _project(polygons: list, crs: str) -> list:
    """The rings with (longitude, latitude) positions; raises ValueError off the earth."""
    transform = _transformer().transform if crs == RD_NEW else None
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            if transform is not None:
                xs, ys = transform(xs, ys)
            points = list(zip(xs, ys, strict=True))
            if not all(
                math.isfinite(lon)
                and math.isfinite(lat)
                and -180 <= lon <= 180
                and -90 <= lat <= 90
                for lon, lat in points
            ):
                raise ValueError
            rings.append(points)
        out.append(rings)
    return out


def _simplified(polygons: list) -> dict:
    """A GeoJSON geometry of the rings, simplified when large, rounded to DECIMALS."""
    from shapely.geometry import MultiPolygon, Polygon, mapping

    shape = MultiPolygon([Polygon(rings[0], rings[1:]) for rings in polygons])
    if sum(len(ring) for rings in polygons for ring in rings) > SIMPLIFY_OVER:
        shape = shape.simplify(TOLERANCE, preserve_topology=True)
    if shape.is_empty:
        raise ValueError
    geometry = mapping(shape)
    simple = geometry["coordinates"]
    if geometry["type"] == "Polygon":  # simplify may give one polygon for a multi of one
        simple = [simple]
    elif geometry["type"] != "MultiPolygon":
        raise ValueError
    parts = [
        [[[round(x, DECIMALS), round(y, DECIMALS)] for x, y, *_z in ring] for ring in polygon]
        for polygon in simple
    ]
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def _boundary(index: int, feature, crs: str | None) -> Boundary | None:
    if not isinstance(feature, dict):
        raise BadFeature(index, "", _l("dit is geen GeoJSON-object (Feature)"))
    code = feature_code(feature.get("properties"))
    if "crs" in feature:
        crs = crs_of(feature["crs"], crs)
    if crs is None:
        raise BadFeature(index, code, _l("het coördinatenstelsel (crs) kennen we niet"))
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        raise BadFeature(index, code, _l("de geometrie ontbreekt"))
    if geometry.get("type") not in GEOMETRY_TYPES:
        kind = str(geometry.get("type"))[:30]
        raise BadFeature(index, code, _l("%(t)s is geen vlak (Polygon of MultiPolygon)", t=kind))
    try:
        return Boundary(index, code, _simplified(_project(_rings(geometry), crs)))
    except (ValueError, TypeError, OverflowError):
        raise BadFeature(index, code, _l("de coördinaten kloppen niet")) from None


def read_boundaries(data: bytes) -> tuple[list[Boundary], int]:
    """The boundaries of a GeoJSON file, and how many features had no CBS code.
    Raises UserError for a file that is not one, BadFeature for a feature that cannot be read."""
    if len(data) > MAX_BYTES:
        raise UserError(too_large(), field="file")
    if not data.strip():
        raise UserError(_l("Het bestand is leeg."), field="file")
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UserError(
            _l("Dit is geen GeoJSON-bestand: het is geen JSON."), field="file"
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        message = _l("Dit is geen GeoJSON-bestand met gebieden (een FeatureCollection).")
        raise UserError(message, field="file")
    features = document.get("features")
    if not isinstance(features, list):
        raise UserError(_l("Het bestand heeft geen lijst met gebieden (features)."), field="file")
    crs = crs_of(document.get("crs"))
    boundaries, without_code = [], 0
    for index, feature in enumerate(features, start=1):
        boundary = _boundary(index, feature, crs)
        if boundary.code:
            boundaries.append(boundary)
        else:
            without_code += 1
    return boundaries, without_code


def store_boundaries(data: bytes) -> BoundariesReport:
    """Put a file's boundaries on the areas it names, in the session, without committing."""
    boundaries, without_code = read_boundaries(data)
    report = BoundariesReport(without_code=without_code)
    areas = {
        a.cbs_code: a for a in db.session.scalars(select(Area).where(Area.cbs_code.isnot(None)))
    }
    for boundary in boundaries:
        area = areas.get(boundary.code)
        if area is None:
            report.skipped_unknown += 1
            continue
        if area.boundary != boundary.geometry:
            area.boundary = boundary.geometry
        report.stored += 1
    return report


def import_boundaries(officer: Officer | None, data: bytes) -> BoundariesReport:
    """Import a GeoJSON file of buurt and wijk boundaries: all of it, or (a bad feature) nothing."""
    try:
        report = store_boundaries(data)
    except UserError:
        db.session.rollback()
        raise
    audit(
        officer,
        "import_area_boundaries",
        stored=report.stored,
        skipped_unknown=report.skipped_unknown,
        without_code=report.without_code,
    )
    db.session.commit()
    return report


def summary(report: BoundariesReport) -> str:
    """The counts of an import, in one line."""
    text = _l(
        "Grenzen: %(stored)s gebieden bijgewerkt, %(unknown)s onbekende codes overgeslagen.",
        stored=report.stored,
        unknown=report.skipped_unknown,
    )
    if report.without_code:
        extra = _l("%(n)s objecten zonder CBS-code overgeslagen.", n=report.without_code)
        return f"{text} {extra}"
    return str(text)
