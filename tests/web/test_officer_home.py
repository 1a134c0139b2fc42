"""The officer home: per survey responses today and in all, the moderation queue, new
volunteers and the last update; most to do first; only what the role may open; a fixed
number of queries."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from survey.extensions import db
from survey.features.builder.home import Shown, survey_cards
from survey.features.responses.dashboard import build_dashboard
from survey.features.responses.filters import Filters
from survey.models import Survey, Update, Volunteer
from survey.models._types import utcnow
from tests.web.test_dashboard import add_response, make_survey

ALL = Shown(responses=True, queue=True, volunteers=True, updates=True)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _volunteer(survey: Survey, days_ago: int = 0) -> None:
    day = utcnow().date() - timedelta(days=days_ago)
    db.session.add(
        Volunteer(
            survey_id=survey.id,
            name="Kees",
            email="kees@example.org",
            erase_token=uuid.uuid4().hex,
            consent_at=day,
            created_at=day,
        )
    )
    db.session.commit()


def _update(survey: Survey, days_ago: int | None) -> None:
    """An update published `days_ago` days ago (None: written, not published)."""
    published = utcnow() - timedelta(days=days_ago) if days_ago is not None else None
    db.session.add(
        Update(survey_id=survey.id, status="gepland", heard="Meer groen", published_at=published)
    )
    db.session.commit()


def _busy_survey(slug: str = "druk", min_group: int = 1) -> Survey:
    """4 responses today (3 completed), 2 yesterday; 4 open answers waiting, 1 approved;
    2 new volunteers and an old one; an update published 3 days ago and a draft one."""
    survey = make_survey(min_group=min_group, slug=slug)
    now, yesterday = utcnow(), utcnow() - timedelta(days=1)
    for i in range(4):
        add_response(survey, {"idee": f"Idee {i}"}, when=now, completed=i < 3)
    add_response(survey, {"idee": "Goedgekeurd"}, when=yesterday, moderation={"idee": "approved"})
    add_response(survey, {"kleur": "rood"}, when=yesterday)  # no open answer
    _volunteer(survey)
    _volunteer(survey, days_ago=6)
    _volunteer(survey, days_ago=7)  # signed up eight days ago counting today: not new
    _update(survey, days_ago=3)
    _update(survey, days_ago=None)
    return survey


def _card(page: str, survey: Survey) -> str:
    """The HTML of one survey's card on the home."""
    match = re.search(rf'<li class="home-card" id="survey-{survey.id}">(.*?)</li>', page, re.S)
    assert match, page
    return match.group(1)


def _figure(card: str, name: str) -> str | None:
    """The text of one figure (by its class) on a card, or None when it is not there."""
    pattern = rf'<div class="home-{name}">.*?<dd><a href="[^"]*">(.*?)</a></dd>'
    match = re.search(pattern, card, re.S)
    return " ".join(match.group(1).split()) if match else None


def test_the_home_shows_each_surveys_figures(app, client, sign_in):
    survey = _busy_survey()
    sign_in(client, "admin")
    card = _card(client.get("/officer/").get_data(as_text=True), survey)
    assert _figure(card, "today") == "4"
    assert _figure(card, "total") == "6 / 5"
    assert _figure(card, "rate") == "83%"
    assert _figure(card, "queue") == "4 open antwoorden"
    assert _figure(card, "volunteers") == "2"
    published = (utcnow() - timedelta(days=3)).strftime("%d-%m-%Y")
    assert _figure(card, "update") == f"3 dagen geleden ({published})"
    assert "laatste 7 dagen" in card
    assert f'href="/officer/surveys/{survey.id}/open-answers?state=visible"' in card
    assert f'href="/officer/volunteers?survey={survey.id}"' in card


def test_a_survey_without_anything_shows_zeros_and_no_update(app, client, sign_in):
    survey = make_survey(slug="stil")
    sign_in(client, "admin")
    card = _card(client.get("/officer/").get_data(as_text=True), survey)
    assert _figure(card, "today") == "0"
    assert _figure(card, "total") == "0 / 0"
    assert _figure(card, "rate") == "–"
    assert _figure(card, "queue") == "0 open antwoorden"
    assert _figure(card, "update") == "Nog niets gepubliceerd"


def test_the_queue_is_what_open_answers_lists_as_not_yet_reviewed(app, client, sign_in):
    survey = make_survey(min_group=1, slug="verdacht")
    add_response(survey, {"idee": "Echt"}, when=utcnow())
    stuffed = add_response(survey, {"idee": "Nep"}, when=utcnow())
    stuffed.suspect = True  # left out of the response figures, still waits for review
    add_response(survey, {"idee": "Weg"}, when=utcnow(), moderation={"idee": "hidden"})
    add_response(survey, {"kleur": "rood"}, when=utcnow())
    db.session.commit()
    (card,) = survey_cards(ALL)
    assert (card.started, card.today, card.queue) == (3, 3, 2)
    sign_in(client, "analyst")
    home = _card(client.get("/officer/").get_data(as_text=True), survey)
    link = re.search(r'<div class="home-queue">.*?href="([^"]+)"', home, re.S).group(1)
    listed = client.get(link).get_data(as_text=True)
    assert "2 open antwoorden." in listed
    assert _figure(home, "queue") == "2 open antwoorden"


def test_a_long_queue_is_counted_up_to_its_cap(app, client, sign_in, monkeypatch):
    """However many answers wait, the home page reads at most QUEUE_CAP of them per survey."""
    from survey.features.builder import home as home_service

    monkeypatch.setattr(home_service, "QUEUE_CAP", 3)
    survey = make_survey(min_group=1, slug="druk")
    for i in range(5):
        add_response(survey, {"idee": f"Idee {i}"}, when=utcnow())
    quiet = make_survey(min_group=1, slug="rustig")
    add_response(quiet, {"idee": "Een"}, when=utcnow())
    add_response(quiet, {"idee": "Twee"}, when=utcnow())
    db.session.commit()
    cards = {card.survey.slug: card.queue for card in survey_cards(ALL)}
    assert cards == {"druk": 3, "rustig": 2}
    sign_in(client, "analyst")
    page = client.get("/officer/").get_data(as_text=True)
    assert _figure(_card(page, survey), "queue") == "3 of meer open antwoorden"
    assert _figure(_card(page, quiet), "queue") == "2 open antwoorden"


def test_small_groups_are_hidden_as_on_the_dashboard(app, client, sign_in):
    survey = make_survey(min_group=10, slug="klein")
    for i in range(3):
        add_response(survey, {"idee": f"Idee {i}"}, when=utcnow())
    with app.test_request_context():
        dashboard = build_dashboard(survey, Filters(), "nl")
    (card,) = survey_cards(ALL)
    assert dashboard.started is None and card.started is None
    assert (card.completed, card.today, card.rate) == (None, None, None)
    assert card.queue == 3  # a to-do list for who may read the answers: no group to hide
    sign_in(client, "admin")
    page = client.get("/officer/").get_data(as_text=True)
    assert _figure(_card(page, survey), "total") == "verborgen / verborgen"


def test_the_survey_with_most_to_do_comes_first(app, client, sign_in):
    quiet_open = make_survey(slug="rustig-open")
    busy = _busy_survey("druk")  # 4 open answers + 2 new volunteers
    draft = make_survey(slug="concept")
    draft.status = "draft"
    closed = make_survey(slug="gesloten")
    closed.status = "closed"
    db.session.commit()
    middle = make_survey(slug="midden")
    _volunteer(middle)  # 1 to do
    newest_quiet_open = make_survey(slug="rustig-nieuw")
    order = [c.survey.slug for c in survey_cards(ALL)]
    assert order == ["druk", "midden", "rustig-nieuw", "rustig-open", "concept", "gesloten"]
    sign_in(client, "admin")
    page = client.get("/officer/").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'id="survey-(\d+)"', page)]
    assert ids[:2] == [busy.id, middle.id]
    assert ids[2:4] == [newest_quiet_open.id, quiet_open.id]
    assert "meeste te doen" in page


def test_for_a_coordinator_only_volunteers_count_as_to_do(app):
    many_answers = _busy_survey("antwoorden")
    volunteers = make_survey(slug="vrijwilligers")
    for _ in range(3):
        _volunteer(volunteers)  # 3, against 2 new volunteers on the other
    coordinator = Shown(volunteers=True)
    assert [c.survey.slug for c in survey_cards(coordinator)] == ["vrijwilligers", "antwoorden"]
    assert [c.survey.slug for c in survey_cards(ALL)] == ["antwoorden", "vrijwilligers"]
    (card, *_) = survey_cards(coordinator)
    assert (card.started, card.queue, card.last_update) == (None, None, None)
    assert many_answers.id != volunteers.id


FIGURES = ("today", "total", "rate", "queue", "volunteers", "update")


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("admin", FIGURES),
        ("editor", ("today", "total", "rate", "queue", "update")),
        ("analyst", ("today", "total", "rate", "queue")),
        ("coordinator", ("volunteers",)),
    ],
)
def test_each_role_sees_only_the_figures_of_pages_it_may_open(app, client, sign_in, role, visible):
    survey = _busy_survey()
    sign_in(client, role)
    card = _card(client.get("/officer/").get_data(as_text=True), survey)
    assert {f for f in FIGURES if _figure(card, f) is not None} == set(visible)
    figures = card[card.index('<dl class="home-figures">') :]
    links = re.findall(r'href="([^"]+)"', figures)
    assert len(links) == len(visible)
    for link in links:  # every figure shown opens a page this role may see
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_today_is_the_day_in_utc_as_on_the_dashboard(app):
    """Late in the evening in Amsterdam it is already tomorrow there, not yet in UTC."""
    survey = make_survey(min_group=1, slug="middernacht")
    evening = datetime(2026, 10, 5, 21, 45, tzinfo=UTC)  # 23:45 in Amsterdam, 5 October
    past_midnight_nl = datetime(2026, 10, 5, 22, 15, tzinfo=UTC)  # 00:15 in Amsterdam, 6 Oct
    past_midnight_utc = datetime(2026, 10, 6, 0, 10, tzinfo=UTC)  # 02:10 in Amsterdam, 6 Oct
    assert past_midnight_nl.astimezone(AMSTERDAM).day == 6
    for when in (evening, past_midnight_nl, past_midnight_utc):
        add_response(survey, {"kleur": "rood"}, when=when)
    before_midnight_utc = datetime(2026, 10, 5, 23, 30, tzinfo=UTC)
    assert [c.today for c in survey_cards(ALL, now=before_midnight_utc)] == [2]
    after_midnight_utc = datetime(2026, 10, 6, 0, 30, tzinfo=UTC)
    assert [c.today for c in survey_cards(ALL, now=after_midnight_utc)] == [1]
    amsterdam_now = after_midnight_utc.astimezone(AMSTERDAM)  # the same moment, another zone
    assert [c.today for c in survey_cards(ALL, now=amsterdam_now)] == [1]
    assert [c.started for c in survey_cards(ALL, now=after_midnight_utc)] == [3]


def test_days_since_the_last_update_count_in_utc_days(app):
    survey = make_survey(slug="terugkoppeling")
    db.session.add(
        Update(
            survey_id=survey.id,
            heard="Meer licht",
            published_at=datetime(2026, 10, 1, 23, 50, tzinfo=UTC),
        )
    )
    db.session.commit()
    (card,) = survey_cards(ALL, now=datetime(2026, 10, 4, 0, 5, tzinfo=UTC))
    assert card.days_since_update == 3
    assert card.last_update == datetime(2026, 10, 1, 23, 50, tzinfo=UTC)


def _queries(client) -> list[str]:
    statements: list[str] = []
    db.session.remove()  # the request shares the test's session: start it cold

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = client.get("/officer/")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert result.status_code == 200
    return statements


def test_the_home_runs_as_many_queries_for_six_surveys_as_for_two(app, client, sign_in):
    sign_in(client, "admin")
    for slug in ("een", "twee"):
        _busy_survey(slug)
    few = _queries(client)
    for slug in ("drie", "vier", "vijf", "zes"):
        _busy_survey(slug)
    many = _queries(client)
    page = client.get("/officer/").get_data(as_text=True)
    assert page.count('class="home-card"') == 6  # the page really grew
    assert len(few) == len(many), "\n".join(many)
    assert len(many) < 15
