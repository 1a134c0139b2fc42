"""Channels: unguessable codes, QR codes that decode to the address, posters, the funnel."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader
from sqlalchemy import select

from survey.extensions import db
from survey.features.channels.service import CODE_ALPHABET, CODE_LENGTH
from survey.models import AuditEvent, Channel
from tests.web.test_dashboard import add_response, areas_by_name, make_survey


def _new_channel(client, survey, label="Poster bibliotheek", kind="poster", area=""):
    result = client.post(
        f"/officer/surveys/{survey.id}/channels", data={"label": label, "kind": kind, "area": area}
    )
    assert result.status_code == 303, result.get_data(as_text=True)
    return db.session.scalar(select(Channel).where(Channel.label == label))


def _decode(image: Image.Image) -> str:
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found"
    return found[0].text


def _svg_to_image(svg: bytes, scale: int = 8) -> Image.Image:
    """Draw the rectangles of qrcode's SvgPathImage path with Pillow (no cairo needed)."""
    text = svg.decode()
    size = float(re.search(r'viewBox="0 0 ([\d.]+) ', text).group(1))
    path = re.search(r' d="([^"]+)"', text).group(1)
    image = Image.new("L", (int(size * scale), int(size * scale)), 255)
    draw = ImageDraw.Draw(image)
    rects = re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H[\d.]+z", path)
    assert rects
    for x, y, x2, y2 in rects:
        box = [float(x) * scale, float(y) * scale, float(x2) * scale - 1, float(y2) * scale - 1]
        draw.rectangle(box, fill=0)
    return image


def test_a_new_channel_gets_a_short_unguessable_code(app, client, sign_in):
    survey = make_survey()
    officer = sign_in(client, "editor")
    area = areas_by_name()["Aabuurt"]
    first = _new_channel(client, survey, "Poster bibliotheek", "poster", str(area.id))
    second = _new_channel(client, survey, "Flyer markt", "flyer")
    for channel in (first, second):
        assert len(channel.code) == CODE_LENGTH
        assert set(channel.code) <= set(CODE_ALPHABET)
    assert first.code != second.code
    assert (first.kind, first.area_id, second.area_id) == ("poster", area.id, None)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create_channel"))
    assert event.officer_id == officer.id and event.detail["channel"] == first.code


def test_channel_input_is_checked_and_nothing_half_stored(app, client, sign_in):
    survey = make_survey()
    sign_in(client, "editor")
    before = db.session.scalar(select(db.func.count(Channel.id)))
    for data in (
        {"label": "", "kind": "poster"},
        {"label": "Poster", "kind": "raket"},
        {"label": "Poster", "kind": "poster", "area": "999999"},
    ):
        result = client.post(f"/officer/surveys/{survey.id}/channels", data=data)
        assert result.status_code == 422
        assert 'role="alert"' in result.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Channel.id))) == before


def test_editing_a_channel_keeps_its_code(app, client, sign_in):
    survey = make_survey()
    sign_in(client, "editor")
    channel = _new_channel(client, survey)
    code = channel.code
    url = f"/officer/surveys/{survey.id}/channels/{channel.id}"
    assert client.get(url).status_code == 200
    result = client.post(url, data={"label": "Poster buurthuis", "kind": "event", "area": ""})
    assert result.status_code == 303
    db.session.expire_all()
    channel = db.session.get(Channel, channel.id)
    assert (channel.code, channel.label, channel.kind) == (code, "Poster buurthuis", "event")
    assert client.post(url, data={"label": " ", "kind": "event"}).status_code == 422
    other = make_survey(slug="ander")
    assert client.get(f"/officer/surveys/{other.id}/channels/{channel.id}").status_code == 404


def test_qr_png_and_svg_decode_to_the_channel_address(app, client, sign_in):
    app.config["PUBLIC_BASE_URL"] = "https://peiling.voorbeeldstad.nl"
    try:
        survey = make_survey()
        sign_in(client, "editor")
        channel = _new_channel(client, survey)
        base = f"/officer/surveys/{survey.id}/channels/{channel.id}"
        expected = f"https://peiling.voorbeeldstad.nl/s/{channel.code}"
        png = client.get(f"{base}/qr.png")
        assert png.mimetype == "image/png"
        assert _decode(Image.open(io.BytesIO(png.data))) == expected
        svg = client.get(f"{base}/qr.svg")
        assert svg.mimetype == "image/svg+xml"
        assert _decode(_svg_to_image(svg.data)) == expected
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"


@pytest.mark.parametrize("name, size", [("poster.pdf", (595, 842)), ("flyer.pdf", (298, 420))])
def test_poster_and_flyer_are_printable_pages_with_title_and_qr(app, client, sign_in, name, size):
    survey = make_survey()
    sign_in(client, "editor")
    channel = _new_channel(client, survey)
    result = client.get(f"/officer/surveys/{survey.id}/channels/{channel.id}/{name}")
    assert result.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(result.data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size
    text = page.extract_text()
    assert "Testpeiling" in text
    assert f"127.0.0.1:5000/s/{channel.code}" in text
    assert "Het duurt ongeveer 1 minuut." in text
    images = list(page.images)
    assert len(images) == 1
    assert _decode(images[0].image) == f"http://127.0.0.1:5000/s/{channel.code}"


def test_the_funnel_counts_scans_starts_and_completes(app, client, sign_in):
    survey = make_survey(min_group=1)  # every count shown; the small-group rule is tested below
    poster, web = survey.channels
    for _ in range(3):
        app.test_client().get(f"/s/{poster.code}")  # a scan by three phones
    client.get(f"/s/{poster.code}")
    client.get(f"/s/{poster.code}")  # the same phone again: not a new scan
    add_response(survey, {"kleur": "rood"}, poster)
    add_response(survey, {"kleur": "rood"}, poster, completed=False)
    sign_in(client, "analyst")
    page = client.get(f"/officer/surveys/{survey.id}/channels").get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">Poster A</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["4", "2", "1", "50%"]
    web_row = re.search(r"<th scope=\"row\">Website</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', web_row) == ["0", "0", "0", "–"]
    # Analysts see the funnel, but make no channels and print no posters.
    assert "Nieuw toegangspunt" not in page
    assert (
        client.get(f"/officer/surveys/{survey.id}/channels/{poster.id}/qr.png").status_code == 403
    )
    assert client.post(f"/officer/surveys/{survey.id}/channels", data={}).status_code == 403


def test_coordinators_do_not_see_channels(app, client, sign_in):
    survey = make_survey()
    sign_in(client, "coordinator")
    assert client.get(f"/officer/surveys/{survey.id}/channels").status_code == 403


def _funnel_row(page: str, label: str) -> list[str]:
    row = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    return ["te weinig" if "te weinig" in c else c.strip() for c in cells]


def test_the_funnel_hides_small_groups_and_what_gives_them_away(app, client, sign_in):
    survey = make_survey(min_group=3)
    poster, web = survey.channels
    flyer = Channel(survey_id=survey.id, code="test-flyer", label="Flyer", kind="flyer")
    db.session.add(flyer)
    db.session.commit()
    for channel, started, done in ((poster, 8, 6), (web, 10, 10), (flyer, 10, 5)):
        for i in range(started):
            add_response(survey, {"kleur": "rood"}, channel, completed=i < done)
    sign_in(client, "analyst")
    page = client.get(f"/officer/surveys/{survey.id}/channels").get_data(as_text=True)
    # Poster: 2 started without finishing, so its 6 completes are hidden, and its rate.
    assert _funnel_row(page, "Poster A") == ["0", "8", "te weinig", "–"]
    # All 21 completes minus the website's 10 and the flyer's 5 would give the poster's 6.
    assert _funnel_row(page, "Flyer") == ["0", "10", "te weinig", "–"]
    assert _funnel_row(page, "Website") == ["0", "10", "10", "100%"]
    assert 'id="funnel-too-few"' in page and "niet hoeveel mensen" in page
