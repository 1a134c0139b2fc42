"""Terugkoppeling: the done screen's figures, officers' updates, the timeline, the poster."""

from __future__ import annotations

import io
import uuid

import flask_babel
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from survey.extensions import db
from survey.models import Response, Survey, Update


def _survey() -> Survey:
    return db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))


def test_the_done_screen_shows_how_others_in_the_buurt_answered(demo, demo_client):
    key = str(uuid.uuid4())
    demo_client.post("/s/demo-bieb/start", data={"response": key})  # Marktkwartier poster
    response = db.session.scalar(select(Response).where(Response.uuid == key))
    response.completed_at = response.started_at
    db.session.commit()
    html = demo_client.get("/s/demo-bieb/klaar").get_data(as_text=True)
    assert "Zo antwoordden anderen" in html and "Marktkwartier" in html
    assert "Wil je meehelpen in je buurt?" in html and "Sanne de Vries" in html
    assert "meehelpen?buurt=BU09990102" in html
    assert 'action="/r/demo-bieb/volgen"' in html


def test_a_swipe_deck_offers_help_only_after_the_16_plus_check(demo, demo_client):
    assert demo_client.get("/s/demo-swipe/meehelpen").status_code == 404
    with demo_client.session_transaction() as session:
        session["adult_confirmed"] = [
            db.session.scalar(select(Survey.id).where(Survey.slug == "demo-swipe"))
        ]
    assert demo_client.get("/s/demo-swipe/meehelpen").status_code == 200


@pytest.mark.parametrize(
    "role, status", [("editor", 200), ("admin", 200), ("analyst", 403), ("coordinator", 403)]
)
def test_only_editors_write_updates(demo, demo_client, sign_in, role, status):
    sign_in(demo_client, role)
    assert demo_client.get(f"/officer/surveys/{_survey().id}/updates").status_code == status


def test_an_officer_writes_and_publishes_an_update_that_tops_the_timeline(
    demo, demo_client, sign_in
):
    sign_in(demo_client, "editor")
    survey = _survey()
    url = f"/officer/surveys/{survey.id}/updates"
    refused = demo_client.post(url, data={"status": "niet", "heard": "Een zwembad"})
    assert refused.status_code == 422 and "waarom" in refused.get_data(as_text=True)
    heard = f"Bewoners willen een moestuin {uuid.uuid4().hex[:4]}"
    saved = demo_client.post(
        url,
        data={
            "status": "gepland",
            "heard": heard,
            "doing": "In mei starten we.",
            "themes": ["groen"],
        },
    )
    assert saved.status_code == 303
    update = db.session.scalar(select(Update).where(Update.heard == heard))
    assert update.published_at is None and update.themes == ["groen"]
    assert heard not in demo_client.get("/r/demo-peiling").get_data(as_text=True)

    published = demo_client.post(f"{url}/{update.id}/publish")
    assert published.status_code == 303
    page = demo_client.get("/r/demo-peiling").get_data(as_text=True)
    timeline = page[page.index('class="timeline"') :]
    assert timeline.index(heard) < timeline.index("twaalf bomen")  # newest first
    assert "Doen we niet" in timeline and "Daar is geen plek en geen geld voor" in timeline


def test_the_feedback_poster_is_an_a4_pdf_with_a_qr_code_to_the_public_page(
    demo, demo_client, sign_in
):
    sign_in(demo_client, "editor")
    survey = _survey()
    molenwijk = db.session.scalar(select(Update.area_id).where(Update.heard.like("%Molenwijk%")))
    result = demo_client.get(f"/officer/surveys/{survey.id}/poster.pdf?area_id={molenwijk}")
    assert result.status_code == 200 and result.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(result.data))
    page = reader.pages[0]
    assert len(reader.pages) == 1
    assert round(float(page.mediabox.width) / 72 * 25.4) == 210
    assert round(float(page.mediabox.height) / 72 * 25.4) == 297
    text = page.extract_text()
    assert "Jullie zeiden, wij deden" in text and "twaalf bomen" in text and "Molenwijk" in text
    image = Image.open(io.BytesIO(page.images[0].data))
    assert zxingcpp.read_barcodes(image)[0].text == "http://127.0.0.1:5000/r/demo-peiling"


def test_an_update_gets_its_translations_in_the_form(demo, demo_client, sign_in):
    sign_in(demo_client, "editor")
    survey = _survey()
    url = f"/officer/surveys/{survey.id}/updates"
    form = demo_client.get(url).get_data(as_text=True)
    assert "Vertalingen" in form and 'name="heard_tr"' in form and "heard_nl" not in form
    heard = f"Bewoners willen een speeltuin {uuid.uuid4().hex[:4]}"
    turkish = f"Sakinler bir oyun alanı istiyor {uuid.uuid4().hex[:4]}"
    data = {"status": "gepland", "heard": heard, "heard_tr": turkish, "doing_tr": " "}
    too_long = demo_client.post(url, data={**data, "doing_tr": "x" * 4001})
    assert too_long.status_code == 422 and "te lang" in too_long.get_data(as_text=True)
    assert demo_client.post(url, data={**data, "publish": "1"}).status_code == 303
    update = db.session.scalar(select(Update).where(Update.heard == heard))
    assert update.translations == {"tr": {"heard": turkish}}
    editing = demo_client.get(f"{url}?edit={update.id}").get_data(as_text=True)
    assert turkish in editing

    flask_babel.refresh()
    turkish_page = demo_client.get("/r/demo-peiling?lang=tr").get_data(as_text=True)
    assert turkish in turkish_page and heard not in turkish_page
    flask_babel.refresh()
    dutch_page = demo_client.get("/r/demo-peiling?lang=nl").get_data(as_text=True)
    assert heard in dutch_page and turkish not in dutch_page
