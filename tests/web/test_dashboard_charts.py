"""The dashboard's charts: drawn on the server, labelled, with their tables one click away;
a hidden count is drawn as "te weinig" and printed nowhere."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from survey.extensions import db
from survey.features.responses.dashboard import build_dashboard
from survey.features.responses.filters import Filters
from tests.web.test_dashboard import DAY, add_response, areas_by_name, make_survey

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def request_ctx(app):
    """A request context, for calling services that translate their texts."""
    with app.test_request_context():
        yield app


def _svg(page: str, ident: str) -> ET.Element:
    match = re.search(rf'<svg [^>]*id="{ident}".*?</svg>', page, re.S)
    assert match, ident
    return ET.fromstring(match.group(0))


def _texts(svg: ET.Element) -> list[str]:
    return [t.text for t in svg.iter(f"{NS}text")]


def test_completed_per_day_and_the_funnel_per_channel(request_ctx):
    survey = make_survey(min_group=1)
    areas = areas_by_name()
    poster, web = survey.channels
    poster.scans = 12
    db.session.commit()
    for i in range(5):
        add_response(survey, {"kleur": "rood"}, poster, areas["Aabuurt"], completed=i < 3)
    add_response(survey, {"kleur": "rood"}, web, areas["Aabuurt"], when=DAY + timedelta(days=1))
    result = build_dashboard(survey, Filters(), "nl")
    assert [(b.label, b.count) for b in result.by_day] == [("2026-10-05", 5), ("2026-10-06", 1)]
    assert result.completed_by_day == [3, 1]
    assert [b.label for b in result.by_channel] == ["Poster A", "Website"]
    assert result.completed_by_channel == [3, 1]
    assert result.scans_by_channel == [12, 0]


def test_completed_counts_that_would_give_a_small_group_away_are_hidden(request_ctx):
    survey = make_survey(min_group=5)
    areas = areas_by_name()
    poster, _web = survey.channels
    for i in range(12):
        add_response(survey, {"kleur": "rood"}, poster, areas["Aabuurt"], completed=i < 9)
    result = build_dashboard(survey, Filters(), "nl")
    assert [b.count for b in result.by_day] == [12]
    assert result.completed_by_day == [None]  # 12 - 9 would show the 3 who did not finish
    assert result.completed_by_channel == [None]


def test_the_dashboard_draws_its_charts_and_hides_small_counts(client, sign_in):
    survey = make_survey(min_group=5)
    areas = areas_by_name()
    poster, web = survey.channels
    poster.scans = 40
    db.session.commit()
    for _ in range(9):
        add_response(survey, {"kleur": "rood", "cijfer": 4}, poster, areas["Aabuurt"])
    for _ in range(2):
        add_response(survey, {"kleur": "blauw", "cijfer": 4}, web, areas["Aabuurt"])
    kleur = next(q for q in survey.questions if q.code == "kleur")
    cijfer = next(q for q in survey.questions if q.code == "cijfer")

    sign_in(client, "analyst")
    page = client.get(f"/officer/surveys/{survey.id}/dashboard").get_data(as_text=True)
    for ident in ("chart-funnel", "chart-day", f"bars-{kleur.id}", f"bars-{cijfer.id}"):
        svg = _svg(page, ident)
        assert svg.get("role") == "img"
        assert svg.find(f"{NS}title").text and svg.find(f"{NS}desc").text
    assert "Poster A" in _texts(_svg(page, "chart-funnel"))
    assert "40" in _texts(_svg(page, "chart-funnel"))  # the scans
    assert "11 (100%)" in _texts(_svg(page, f"bars-{cijfer.id}"))
    # Blauw (2) is under 5, and Rood with it, or 11 - 9 would give Blauw away.
    colours = _texts(_svg(page, f"bars-{kleur.id}"))
    assert colours.count("te weinig") == 2 and "Groen" in colours
    assert not any(t.startswith(("2", "9")) for t in colours)
    # The tables stay, one click away.
    assert page.count('<details class="chart-data" id="data-') >= 4
    assert 'id="table-day"' in page and f'id="chart-{kleur.id}"' in page
