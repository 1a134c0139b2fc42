"""The accessibility statement, and the footer link to it on every kind of page."""

from __future__ import annotations

import uuid

import pytest

LINK = 'href="/toegankelijkheid"'


@pytest.mark.parametrize("path", ["/s/demo-peiling", "/r/demo-peiling", "/privacy"])
def test_resident_and_public_pages_link_to_the_statement(demo, demo_client, path):
    result = demo_client.get(path)
    assert result.status_code == 200
    assert LINK in result.get_data(as_text=True)


def test_an_officer_page_links_to_the_statement(demo, demo_client, sign_in):
    sign_in(demo_client, "editor")
    result = demo_client.get("/officer/")
    assert result.status_code == 200 and LINK in result.get_data(as_text=True)


def test_a_question_screen_and_its_htmx_fragment_link_to_the_statement(demo, demo_client):
    started = demo_client.post("/s/demo-peiling/start", data={"response": str(uuid.uuid4())})
    screen = started.headers["Location"]
    assert LINK in demo_client.get(screen).get_data(as_text=True)
    fragment = demo_client.get(screen, headers={"HX-Request": "true"})
    assert LINK in fragment.get_data(as_text=True)


def test_the_statement_follows_the_model(demo, demo_client):
    result = demo_client.get("/toegankelijkheid")
    html = result.get_data(as_text=True)
    assert result.status_code == 200
    assert "voldoet gedeeltelijk" in html
    assert "axe-core" in html and "toetsenbord" in html and "schermlezer" in html
    assert "Wat nog niet goed werkt" in html
    assert 'href="mailto:toegankelijkheid@voorbeeldstad.nl"' in html
    assert "3 december 2026" in html


def test_the_contact_address_and_date_come_from_configuration(demo, demo_client):
    demo.config.update(ACCESSIBILITY_CONTACT="digitaal@elders.nl", ACCESSIBILITY_DATE="2027-01-15")
    try:
        html = demo_client.get("/toegankelijkheid").get_data(as_text=True)
    finally:
        demo.config.update(
            ACCESSIBILITY_CONTACT="toegankelijkheid@voorbeeldstad.nl",
            ACCESSIBILITY_DATE="2026-12-03",
        )
    assert "mailto:digitaal@elders.nl" in html and "15 januari 2027" in html
