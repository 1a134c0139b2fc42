"""After the deck: the opinion groups as anonymous dots, the resident's own place, small groups
left out (through the Flask test client, on both databases)."""

from __future__ import annotations

import re

from survey.extensions import db
from survey.features.opinions.service import RESIDENT_GRID, resident_map
from survey.models import Response
from tests.web.test_swipe import _deck, _start, _votes

# Three ways of voting on eight statements: 12 like A, 12 like B, 3 like C (a small group).
A = ["agree"] * 4 + ["disagree"] * 4
B = ["disagree"] * 4 + ["agree"] * 4
C = ["agree", "disagree"] * 4
HIDDEN_MARK = "#00795c"  # the third group's colour (opinions.service.MARKERS)


def _voted(min_group_size=5):
    survey = _deck(min_group_size=min_group_size, statements=8)
    voters = [A] * 12 + [B] * 12 + [C] * 3
    per_statement = {f"s{i + 1}": [votes[i] for votes in voters] for i in range(8)}
    per_statement["s1"] += ["agree"] * 3  # three who saw one card only: not in a group
    _votes(survey, per_statement)
    return survey


def _vote_like(client, pattern, code="deck"):
    """Vote through the deck as the pattern says (by statement), then open the screen after it."""
    key, location = _start(client, code)
    while "/v/" in location:
        number = int(location.rsplit("/s", 1)[1])
        result = client.post(location, data={"response": key, "value": pattern[number - 1]})
        assert result.status_code == 303, result.get_data(as_text=True)
        location = result.headers["Location"]
    page = client.get(location)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _picture(html: str) -> str:
    return html.split('aria-labelledby="groups-map-title groups-map-desc"', 1)[1].split("</svg>")[0]


def test_after_the_deck_a_resident_sees_the_groups_and_their_own_place(app, client):
    _voted()
    html = _vote_like(client, A)
    assert "Groepen die ongeveer hetzelfde stemmen" in html
    assert "Jij hoort bij groep 1." in html and "jouw groep" in html
    picture = _picture(html)
    assert '<title id="groups-map-title">' in picture and '<desc id="groups-map-desc">' in picture
    assert 'class="own-mark"' in picture
    # The text alternative: each shown group, its size and what sets it apart.
    assert "Groep 1</strong> (rondje, 13 mensen): jouw groep" in html
    assert "Groep 2</strong> (vierkantje, 12 mensen)" in html
    assert "vaker eens met" in html and "“Uitspraak 1”" in html
    # The group of 3 is not shown: no dot, no legend, only a line that it is left out.
    assert "Groep 3" not in html and HIDDEN_MARK not in html
    assert "1 groep laten we niet zien: die is kleiner dan 5 mensen." in html


def test_the_dots_are_rounded_and_name_nobody(app, client):
    _voted()
    html = _vote_like(client, B)
    assert "Jij hoort bij groep 1." in html  # now 13 like B: the largest group comes first
    dots = _picture(html).split("</desc>", 1)[1]
    circles = re.findall(r'<circle (?:class="own-mark" )?cx="([\d.]+)" cy="([\d.]+)"', dots)
    squares = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="8"', dots)
    assert circles and squares
    spots = [float(v) for xy in circles for v in xy] + [float(v) + 4 for xy in squares for v in xy]
    assert all(v % RESIDENT_GRID == 0 for v in spots)
    # Twelve or thirteen who voted alike are one dot: the picture does not count people.
    assert len(circles) <= 3 and len(squares) <= 2
    for response in db.session.query(Response):
        assert response.uuid not in dots


def test_a_resident_in_a_small_group_is_told_so_and_not_drawn(app, client):
    _voted()
    html = _vote_like(client, C)
    assert "Jouw groep is kleiner dan 5 mensen. Die laten we nog niet zien." in html
    assert 'class="own-mark"' not in html and HIDDEN_MARK not in html
    assert "Groep 1" in html and "Groep 2" in html


def test_too_few_voters_give_no_groups_yet(app, client):
    _deck(min_group_size=5, statements=8)
    html = _vote_like(client, A)
    assert "Nog te weinig mensen hebben genoeg gestemd om groepen te laten zien." in html
    assert "groups-map-title" not in html


def test_a_resident_with_too_few_votes_is_told_so(app):
    survey = _voted()
    few = db.session.query(Response).order_by(Response.id.desc()).first()  # saw one card
    assert resident_map(survey, few.id).own_status == "few_votes"
