"""The PWA parts the server gives: manifest, service worker, offline page, a survey kept offline."""

from __future__ import annotations

import io
import json
import re

import pytest
from flask_babel import refresh
from PIL import Image
from sqlalchemy import select

from survey.extensions import db
from survey.models import Channel, Question


def test_manifest_names_icons_colours_and_start(client):
    page = client.get("/manifest.webmanifest")
    manifest = page.get_json(force=True)
    assert page.mimetype == "application/manifest+json"
    assert manifest["name"] == manifest["short_name"] == "Buurtpeiling"
    assert manifest["display"] == "standalone" and manifest["scope"] == "/"
    assert manifest["theme_color"] == "#1b5e7a" and manifest["background_color"]
    assert client.get(manifest["start_url"]).status_code == 200
    sizes = set()
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as image:
            assert image.status_code == 200 and image.mimetype == icon["type"]
            data = image.data
        if icon["type"] == "image/png":
            width, height = Image.open(io.BytesIO(data)).size
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add((icon["purpose"], width))
    assert {("any", 192), ("any", 512), ("maskable", 192), ("maskable", 512)} <= sizes


def test_every_page_links_the_manifest(demo_client):
    assert '<link rel="manifest" href="/manifest.webmanifest">' in demo_client.get(
        "/s/demo-peiling"
    ).get_data(as_text=True)


def test_service_worker_is_served_from_the_root_with_its_shell(client):
    worker = client.get("/sw.js")
    source = worker.get_data(as_text=True)
    assert worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in worker.headers["Cache-Control"]
    config = json.loads(re.search(r"^const CONFIG = (.*);$", source, re.M).group(1))
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])
    assert "/static/js/htmx-2.0.11.min.js" in config["shell"] and "/offline" in config["shell"]
    assert config["imports"] == [
        f"/static/js/{name}.js?v={config['version']}" for name in ("navigation", "queue")
    ]
    for url in config["shell"] + config["imports"]:
        with client.get(url) as kept:
            assert kept.status_code == 200, url


def test_offline_page_and_fresh_token(client):
    assert "Geen verbinding" in client.get("/offline").get_data(as_text=True)
    token = client.get("/offline/token")
    assert token.headers["Cache-Control"] == "no-store" and token.get_json()["csrf_token"]


def _kept(client, code="demo-peiling", **headers):
    return client.get(f"/s/{code}/offline.json", headers=headers)


def test_kept_survey_has_every_screen_with_placeholders_in_order(demo, demo_client):
    kept = _kept(demo_client).get_json()
    codes = [q["code"] for q in kept["questions"]]
    assert codes[:2] == ["buurt", "themes"] and "buurthuis" in codes
    assert kept["questions"][-1]["layer"] == "deeper"
    assert set(kept["screens"]["questions"]) == set(codes)
    themes = kept["screens"]["questions"]["themes"]
    assert 'action="/s/demo-peiling/v/themes"' in themes
    for placeholder in ("__BP_CSRF__", "__BP_RESPONSE__", "__BP_BACK__", "__BP_PROGRESS__"):
        assert placeholder in themes
    speelplek = next(q for q in kept["questions"] if q["code"] == "speelplek")
    assert speelplek["show_if"] == {"question": "household", "in": ["children"]}
    assert any(q["layer"] == "deeper" for q in kept["questions"])
    assert kept["urls"]["question"] == "/s/demo-peiling/v/"
    assert kept["page"][0].startswith("<!doctype html>") and "hx-boost" in kept["page"][0]
    assert 'href="__BP_PATH__?lang=en"' in kept["frame"][0]
    assert "7772" in kept["progress"][0] and "__BP_NEWUUID__" in kept["screens"]["intro"]
    assert "verbinding" in kept["texts"]["queued"]


def test_kept_swipe_deck_shows_cards(demo, demo_client):
    kept = _kept(demo_client, "demo-swipe").get_json()
    assert kept["kind"] == "swipe"
    first = kept["screens"]["questions"][kept["questions"][0]["code"]]
    assert "data-deck" in first and "__BP_RESPONSE__" in first


def test_kept_survey_is_revalidated_by_its_version(demo, demo_client):
    first = _kept(demo_client, **{"Accept-Encoding": "gzip"})
    tag = first.headers["ETag"]
    assert first.status_code == 200 and "no-cache" in first.headers["Cache-Control"]
    assert _kept(demo_client, **{"If-None-Match": tag}).status_code == 304
    refresh()  # the fixture's app context outlives requests: forget the locale it chose
    english = _kept(demo_client, **{"If-None-Match": tag, "Accept-Language": "en"})
    assert english.status_code == 200 and english.get_json()["lang"] == "en"
    assert english.headers["ETag"] != tag

    question = db.session.scalar(select(Question).where(Question.code == "idee"))
    old = dict(question.text)
    question.text = {**old, "nl": "Wat is jouw beste idee voor de buurt?"}
    db.session.commit()
    try:
        refresh()
        changed = _kept(demo_client, **{"If-None-Match": tag})
        assert changed.status_code == 200 and changed.headers["ETag"] != tag
        assert "jouw beste idee" in changed.get_json()["screens"]["questions"]["idee"]
    finally:
        question.text = old
        db.session.commit()


@pytest.mark.parametrize("status", ["draft", "missing"])
def test_no_kept_copy_of_a_draft_or_unknown_survey(demo, demo_client, status):
    if status == "missing":
        assert _kept(demo_client, "no-such-code").status_code == 404
        return
    channel = db.session.scalar(select(Channel).where(Channel.code == "demo-peiling"))
    channel.survey.status = "draft"
    db.session.commit()
    try:
        assert _kept(demo_client).status_code == 404
    finally:
        channel.survey.status = "open"
        db.session.commit()
