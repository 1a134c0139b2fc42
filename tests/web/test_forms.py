"""Officer forms refuse bad input: a Dutch message, a 4xx (or, where the page has always
redirected, a 303 with the message flashed), and nothing stored. Odd bytes (NUL, control
characters) and very long texts are refused like any other mistake."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.features.accounts.service import create_officer
from survey.features.builder import questions as editing
from survey.features.builder import service as builder
from survey.features.channels import service as channels
from survey.models import Answer, Area, Question, Response, Survey, Volunteer

NUL = "Buurt\x00huis"
UNREADABLE = "teken dat we niet kunnen bewaren"
TOO_LONG = "te lang"
SETTINGS = {
    "languages": ["nl", "en"],
    "title_nl": "Peiling",
    "min_group_size": "10",
}
CHANNEL = {"label": "Poster bibliotheek", "kind": "poster", "area": ""}
AREA = {"level": "gemeente", "name": "Voorbeeldstad", "cbs_code": "", "postcodes": ""}
UPDATE = {"status": "gehoord", "heard": "Meer groen", "doing": "", "not_doing": "", "area_id": ""}
QUESTION = {"type": "yesno", "text": "Is het hier veilig?", "layer": "core"}
VOLUNTEER = {"name": "Anna", "email": "anna@example.org", "buurt": "", "consent": "yes"}


@pytest.fixture
def world(app):
    """A needs survey with a channel, a text answer and a volunteer; a swipe survey with a
    resident's statement; a gemeente with a buurt."""
    officer = create_officer("maker@voorbeeldstad.nl", "correct horse battery", "editor")
    survey = builder.create_survey(officer, "Peiling")
    survey.status = "open"
    gemeente = Area(level="gemeente", name="Voorbeeldstad", cbs_code="GM0999")
    buurt = Area(level="buurt", name="Haven", cbs_code="BU09990101", parent=gemeente)
    db.session.add_all([gemeente, buurt])
    db.session.commit()
    channel = channels.create_channel(survey, officer, "Poster", "poster", None)
    question = editing.add_question(officer, survey, "text", "Wat wil je kwijt?", "core")
    response = Response(uuid=str(uuid.uuid4()), survey_id=survey.id, channel_id=channel.id)
    db.session.add(response)
    db.session.flush()
    answer = Answer(response_id=response.id, question_id=question.id, value="Meer bankjes")
    volunteer = Volunteer(survey_id=survey.id, name="Kees", email="kees@example.org")
    volunteer.erase_token = "t" * 43
    db.session.add_all([answer, volunteer])
    deck = builder.create_survey(officer, "Stellingen", "swipe")
    statement = editing.add_question(officer, deck, "statement", "Meer bomen", "core")
    statement.review = "pending"
    db.session.commit()
    return {
        "survey": survey.id,
        "channel": channel.id,
        "code": channel.code,
        "area": buurt.id,
        "answer": answer.id,
        "volunteer": volunteer.id,
        "deck": deck.id,
        "statement": statement.id,
    }


def _snapshot() -> dict:
    """Every row of every table: what a refused form must leave as it was."""
    db.session.rollback()  # see what the requests committed
    return {
        table.name: sorted(map(repr, db.session.execute(table.select()).all()))
        for table in db.metadata.sorted_tables
    }


# name: (role or None, path, a right form, the status of a refusal)
FORMS = {
    "sign-in": (None, "/officer/login", {"email": "a@b.nl", "password": "x"}, 422),
    "new survey": ("editor", "/officer/surveys/new", {"start": "needs", "title": "X"}, 422),
    "settings": ("editor", "/officer/surveys/{survey}/settings", SETTINGS, 422),
    "question": ("editor", "/officer/surveys/{survey}/questions", QUESTION, 422),
    "channel": ("editor", "/officer/surveys/{survey}/channels", CHANNEL, 422),
    "channel edit": ("editor", "/officer/surveys/{survey}/channels/{channel}", CHANNEL, 422),
    "area": ("editor", "/officer/areas", AREA, 422),
    "area edit": ("editor", "/officer/areas/{area}", {"name": "Haven", "postcodes": ""}, 422),
    "area import": ("editor", "/officer/areas/import", {}, 422),
    "update": ("editor", "/officer/surveys/{survey}/updates", UPDATE, 422),
    "coordinator": ("coordinator", "/officer/volunteers/{volunteer}", {"status": "actief"}, 303),
    "note": ("analyst", "/officer/surveys/{survey}/insights/areas/{area}/notes", {}, 303),
    "note elsewhere": ("analyst", "/officer/surveys/{survey}/insights/areas/999999/notes", {}, 303),
    "moderation": ("analyst", "/officer/surveys/{survey}/answers/{answer}/moderation", {}, 400),
    "moderation there": ("analyst", "/officer/surveys/{deck}/answers/{answer}/moderation", {}, 400),
    "review": ("editor", "/officer/surveys/{deck}/opinions/statements/{statement}", {}, 400),
    "paper import": ("editor", "/officer/surveys/{survey}/import", {}, 303),
    "offer to help": (None, "/s/{code}/meehelpen", VOLUNTEER, 422),
}  # fmt: skip
REFUSED = "Dit verzoek begrijpen we niet"
# (form, what is changed in the right form, Dutch words in the reply or the flashed message)
CASES = [
    ("sign-in", {"email": ""}, "Vul je e-mailadres in"),
    ("sign-in", {"email": "a\x00@b.nl"}, UNREADABLE),
    ("sign-in", {"password": "x" * 1025}, TOO_LONG),
    ("new survey", {"title": " "}, "Geef de peiling een titel"),
    ("new survey", {"start": "raket"}, "Kies een soort peiling"),
    ("new survey", {"start": "template:geen"}, "Kies een soort peiling"),
    ("new survey", {"title": NUL}, UNREADABLE),
    ("new survey", {"title": "x" * 201}, TOO_LONG),
    ("settings", {"languages": ["en"]}, "Nederlands moet altijd"),
    ("settings", {"title_nl": ""}, "Nederlandse titel"),
    ("settings", {"title_nl": NUL}, UNREADABLE),
    ("settings", {"intro_en": "x" * 4001}, TOO_LONG),
    ("settings", {"min_group_size": "tien"}, "heel getal"),
    ("settings", {"min_group_size": "2"}, "tussen 5 en 1000"),
    ("settings", {"opens_at": "morgen"}, "geen geldige datum"),
    ("settings", {"opens_at": "2027-03-01", "closes_at": "2027-02-01"}, "einddatum ligt voor"),
    ("settings", {"area_id": "999999"}, "Dit gebied bestaat niet"),
    ("settings", {"area_id": "9" * 40}, "Dit gebied bestaat niet"),
    ("question", {"type": "raar"}, "Kies een soort vraag"),
    ("question", {"type": "statement"}, "Kies een soort vraag"),
    ("question", {"text": " "}, "Schrijf de vraag op"),
    ("question", {"text": "x" * 501}, TOO_LONG),
    ("question", {"text": NUL}, UNREADABLE),
    ("question", {"layer": "boven"}, "Kies een laag"),
    ("channel", {"label": " "}, "Geef het toegangspunt een naam"),
    ("channel", {"label": "x" * 121}, "De naam is te lang"),
    ("channel", {"label": NUL}, UNREADABLE),
    ("channel", {"kind": "raket"}, "Kies een soort toegangspunt"),
    ("channel", {"area": "noord"}, "Kies een gebied"),
    ("channel", {"area": "999999"}, "Kies een gebied"),
    ("channel edit", {"label": ""}, "Geef het toegangspunt een naam"),
    ("channel edit", {"area": "999999"}, "Kies een gebied"),
    ("area", {"name": ""}, "Geef het gebied een naam"),
    ("area", {"name": NUL}, UNREADABLE),
    ("area", {"name": "x" * 121}, TOO_LONG),
    ("area", {"level": "land"}, "Kies gemeente, wijk of buurt"),
    ("area", {"level": "wijk", "parent_id": "abc"}, "Kies onder welk gebied"),
    ("area", {"cbs_code": "GM12"}, "past niet bij"),
    ("area", {"cbs_code": "GM" + "0" * 20}, TOO_LONG),
    ("area edit", {"name": ""}, "Geef het gebied een naam"),
    ("area edit", {"postcodes": "99"}, "4 cijfers"),
    ("area edit", {"postcodes": "9901\x00"}, UNREADABLE),
    ("area import", {}, "Kies eerst een CSV-bestand"),
    ("update", {"heard": " "}, "Schrijf op wat jullie hoorden"),
    ("update", {"doing": "x" * 4001}, "te lang (hoogstens 4000"),
    ("update", {"heard": NUL}, UNREADABLE),
    ("update", {"status": "later"}, "Kies een status"),
    ("update", {"status": "niet"}, "waarom"),
    ("update", {"area_id": "999999"}, "Kies een gebied"),
    ("update", {"update_id": "x"}, "Er gaat nog iets mis"),
    ("coordinator", {"status": "weg"}, "Kies een geldige status"),
    ("coordinator", {"notes": "x" * 5001}, TOO_LONG),
    ("coordinator", {"notes": NUL}, UNREADABLE),
    ("note", {"text": " "}, "Schrijf eerst een notitie"),
    ("note", {"text": "x" * 2001}, "hoogstens 2000"),
    ("note", {"text": NUL}, UNREADABLE),
    ("note elsewhere", {"text": "Veel gezinnen"}, "Dit gebied bestaat niet"),
    ("moderation", {"state": "weg"}, REFUSED),
    ("moderation", {"state": "hidden\x00"}, REFUSED),
    ("moderation there", {"state": "hidden"}, REFUSED),
    ("review", {"decision": "misschien"}, REFUSED),
    ("paper import", {}, "Kies eerst een CSV-bestand"),
    ("offer to help", {"name": " "}, "Vul je naam in"),
    ("offer to help", {"name": NUL}, UNREADABLE),
    ("offer to help", {"email": "anna"}, "e-mailadres klopt niet"),
    ("offer to help", {"email": ""}, "e-mailadres of een telefoonnummer"),
    ("offer to help", {"buurt": "BU00000000"}, "Kies een buurt"),
    ("offer to help", {"consent": ""}, "vinkje"),
]


def _case_id(name: str, change: dict) -> str:
    return f"{name}: {', '.join(change) or 'nothing'}"


@pytest.mark.parametrize(
    ("name", "change", "words"), CASES, ids=[_case_id(n, c) for n, c, _ in CASES]
)
def test_a_form_with_mistakes_is_refused_in_dutch_and_stores_nothing(
    world, client, sign_in, name, change, words
):
    role, path, form, status = FORMS[name]
    if role:
        sign_in(client, role)
    before = _snapshot()
    result = client.post(path.format(**world), data={**form, **change})
    assert result.status_code == status, result.get_data(as_text=True)[:2000]
    if status == 303:
        with client.session_transaction() as session:
            shown = " ".join(message for _category, message in session.get("_flashes", []))
    else:
        shown = result.get_data(as_text=True)
    assert words in shown
    assert _snapshot() == before


def test_a_refused_form_shows_what_was_typed(world, client, sign_in):
    sign_in(client, "editor")
    result = client.post(
        f"/officer/surveys/{world['survey']}/channels", data={**CHANNEL, "kind": "raket"}
    )
    assert 'value="Poster bibliotheek"' in result.get_data(as_text=True)
    page = client.post(
        f"/officer/surveys/{world['survey']}/settings", data={**SETTINGS, "min_group_size": "2"}
    ).get_data(as_text=True)
    assert 'value="Peiling"' in page and 'value="2"' in page


def test_forms_show_what_is_stored(world, client, sign_in):
    sign_in(client, "editor")
    survey = db.session.get(Survey, world["survey"])
    survey.themes, survey.min_group_size = ["groen", "spelen"], 15
    db.session.commit()
    page = client.get(f"/officer/surveys/{survey.id}/settings").get_data(as_text=True)
    assert 'name="title_nl" type="text" maxlength="200" value="Peiling"' in page
    assert 'value="groen, spelen"' in page and 'value="15"' in page
    page = client.get(f"/officer/surveys/{survey.id}/channels/{world['channel']}")
    assert 'value="Poster"' in page.get_data(as_text=True)


def test_a_question_opened_for_editing_without_javascript(world, client, sign_in):
    sign_in(client, "editor")
    question = db.session.scalar(select(Question).where(Question.survey_id == world["survey"]))
    page = client.get(f"/officer/surveys/{world['survey']}/questions?edit={question.id}")
    assert page.status_code == 200 and f'id="q-{question.id}"' in page.get_data(as_text=True)


ACCEPTED = {  # the right forms above, and what the page says after them
    "new survey": {},
    "settings": {},
    "question": {},
    "channel": {},
    "channel edit": {},
    "area": {},
    "area edit": {},
    "update": {},
    "coordinator": {"notes": "Belt terug"},
    "note": {"text": "Veel jonge gezinnen"},
    "moderation": {"state": "hidden"},
    "review": {"decision": "approved"},
    "offer to help": {},
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_the_right_forms_are_accepted(world, client, sign_in, name):
    role, path, form, _status = FORMS[name]
    if role:
        sign_in(client, role)
    result = client.post(path.format(**world), data={**form, **ACCEPTED[name]})
    assert result.status_code == 303, result.get_data(as_text=True)[:2000]
