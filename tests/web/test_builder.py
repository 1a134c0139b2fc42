"""The survey builder: templates, questions edited in place, show-if, hide-not-delete, publish."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey.core.errors import UserError
from survey.extensions import db
from survey.features.builder import questions as editing
from survey.features.builder import service as builder
from survey.features.builder.engagement import ITEM_CODES
from survey.models import Answer, AuditEvent, Question, Response, Survey
from survey.models._types import utcnow

HX = {"HX-Request": "true"}


@pytest.fixture
def editor(app, client, sign_in):
    """A signed-in editor; services called directly run as in a request (Dutch messages)."""
    officer = sign_in(client, "editor")
    with app.test_request_context():
        yield officer


def _new(client, **form) -> Survey:
    result = client.post("/officer/surveys/new", data=form)
    assert result.status_code == 303, result.get_data(as_text=True)
    survey_id = int(result.location.split("/")[-2])
    db.session.expire_all()
    return db.session.get(Survey, survey_id)


def _codes(survey: Survey) -> list[str]:
    db.session.expire_all()
    return [q.code for q in sorted(survey.questions, key=builder.order_key)]


def _answer(question: Question, value) -> None:
    response = Response(
        uuid=f"00000000-0000-4000-8000-{question.id:012d}", survey_id=question.survey_id
    )
    response.answers = [Answer(question_id=question.id, value=value)]
    db.session.add(response)
    db.session.commit()


def _edit_form(question: Question, **changes) -> dict:
    form = {
        "code": question.code,
        "layer": question.layer,
        "text_nl": question.text["nl"],
        "opt_value": [o["value"] for o in question.options],
        "opt_text_nl": [o["text"]["nl"] for o in question.options],
    }
    form.update(changes)
    return form


def test_the_behoeftepeiling_template_brings_themes_questions_and_the_engagement_module(
    editor, client
):
    survey = _new(client, start="template:behoeftepeiling", title="Peiling Noord")
    assert survey.title["nl"] == "Peiling Noord"
    assert survey.status == "draft" and survey.kind == "needs"
    assert survey.themes == ["groen", "spelen", "veiligheid", "ontmoeting", "verkeer", "zorg"]
    codes = _codes(survey)
    assert {"buurt", "themes", "kinderen", "speelplek"} <= set(codes)
    assert set(ITEM_CODES) <= set(codes)
    builder.check_conditions(survey)  # the template's show-if refers to an earlier question
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create_survey"))


def test_the_swipe_template_is_a_deck_of_statements(editor, client):
    survey = _new(client, start="template:jongeren-swipe")
    assert survey.kind == "swipe"
    assert 8 <= len(survey.questions) <= 12
    assert {q.type for q in survey.questions} == {"statement"}
    assert survey.title["nl"] == "Swipe je buurt"


def test_a_survey_from_scratch_needs_a_title(editor, client):
    result = client.post("/officer/surveys/new", data={"start": "needs", "title": " "})
    assert result.status_code == 422
    assert "titel" in result.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Survey.id))) == 0


def test_add_edit_and_options_in_place_with_htmx(editor, client):
    survey = _new(client, start="needs", title="Speelplekken")
    result = client.post(
        f"/officer/surveys/{survey.id}/questions",
        data={"type": "single", "text": "Waar speel je?", "layer": "core"},
        headers=HX,
    )
    assert result.status_code == 200
    html = result.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="questions"') and "Opslaan" in html
    question = survey.questions[0]
    url = f"/officer/surveys/{survey.id}/questions/{question.id}"
    # Too few options: refused with a message, nothing stored.
    result = client.post(
        url, data=_edit_form(question, opt_value=[""], opt_text_nl=["Park"]), headers=HX
    )
    assert result.status_code == 422
    assert "minstens twee" in result.get_data(as_text=True)
    form = _edit_form(
        question,
        text_en="Where do you play?",
        opt_value=["", ""],
        opt_text_nl=["Park", "Plein"],
        opt_text_en=["Park", "Square"],
        required="1",
    )
    result = client.post(url, data=form, headers=HX)
    assert result.status_code == 200
    assert result.get_data(as_text=True).lstrip().startswith(f'<li id="q-{question.id}"')
    db.session.expire_all()
    assert question.text == {"nl": "Waar speel je?", "en": "Where do you play?"}
    assert [o["value"] for o in question.options] == ["park", "plein"]
    assert question.required
    # Moving an option down in the form only redraws the form; saving stores the order.
    form = _edit_form(question, action="down:0")
    result = client.post(url, data=form, headers=HX)
    assert result.status_code == 200 and 'value="plein"' in result.get_data(as_text=True)
    db.session.expire_all()
    assert [o["value"] for o in question.options] == ["park", "plein"]
    client.post(
        url,
        data=_edit_form(question, opt_value=["plein", "park"], opt_text_nl=["Plein", "Park"]),
        headers=HX,
    )
    db.session.expire_all()
    assert [o["value"] for o in question.options] == ["plein", "park"]
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("update_question") == 2 and "add_question" in actions


def test_reorder_with_and_without_javascript(editor, client):
    survey = _new(client, start="needs", title="Volgorde")
    for text in ("Eerste vraag", "Tweede vraag", "Derde vraag"):
        editing.add_question(editor, survey, "yesno", text, "core")
    first, second, third = _codes(survey)
    q3 = next(q for q in survey.questions if q.code == third)
    result = client.post(
        f"/officer/surveys/{survey.id}/questions/{q3.id}/move",
        data={"direction": "up"},
        headers=HX,
    )
    assert result.status_code == 200 and 'id="questions"' in result.get_data(as_text=True)
    assert _codes(survey) == [first, third, second]
    result = client.post(
        f"/officer/surveys/{survey.id}/questions/{q3.id}/move", data={"direction": "up"}
    )
    assert result.status_code == 303 and result.location.endswith(f"#q-{q3.id}")
    assert _codes(survey) == [third, first, second]
    # The top question cannot go further up.
    client.post(f"/officer/surveys/{survey.id}/questions/{q3.id}/move", data={"direction": "up"})
    assert _codes(survey) == [third, first, second]


def test_show_if_may_only_refer_to_an_earlier_question(editor, client):
    survey = _new(client, start="needs", title="Voorwaarden")
    pet = editing.add_question(editor, survey, "yesno", "Heb je een huisdier?", "core")
    which = editing.add_question(editor, survey, "text", "Welk huisdier?", "core")
    later = editing.add_question(editor, survey, "yesno", "Heb je een tuin?", "core")
    choices = builder.condition_choices(survey, which)
    assert choices == [pet]
    # Referring to a later question: refused, nothing stored.
    url = f"/officer/surveys/{survey.id}/questions/{which.id}"
    form = _edit_form(which, show_if_question=later.code, show_if_in=["yes"])
    result = client.post(url, data=form, headers=HX)
    assert result.status_code == 422
    assert "eerder" in result.get_data(as_text=True)
    db.session.expire_all()
    assert which.show_if is None
    # A value the earlier question cannot have: refused too.
    form = _edit_form(which, show_if_question=pet.code, show_if_in=["misschien"])
    assert client.post(url, data=form, headers=HX).status_code == 422
    form = _edit_form(which, show_if_question=pet.code, show_if_in=["yes"])
    assert client.post(url, data=form, headers=HX).status_code == 200
    db.session.expire_all()
    assert which.show_if == {"question": pet.code, "in": ["yes"]}
    # Moving the condition's question below the question that depends on it is refused.
    result = client.post(
        f"/officer/surveys/{survey.id}/questions/{pet.id}/move",
        data={"direction": "down"},
        headers=HX,
    )
    assert result.status_code == 409
    assert _codes(survey) == [pet.code, which.code, later.code]
    # The condition fragment lists the earlier question's answers.
    result = client.get(
        f"/officer/surveys/{survey.id}/questions/{which.id}/condition",
        query_string={"show_if_question": pet.code},
        headers=HX,
    )
    assert 'name="show_if_in" value="yes"' in result.get_data(as_text=True)


def test_a_question_with_answers_is_hidden_not_deleted(editor, client):
    survey = _new(client, start="needs", title="Antwoorden blijven")
    kept = editing.add_question(editor, survey, "yesno", "Woon je hier lang?", "core")
    empty = editing.add_question(editor, survey, "text", "Nog iets?", "core")
    _answer(kept, "yes")
    with pytest.raises(UserError, match="antwoorden"):
        editing.delete_question(editor, kept)
    result = client.post(f"/officer/surveys/{survey.id}/questions/{kept.id}/delete", headers=HX)
    assert result.status_code == 409
    assert "Verberg de vraag" in result.get_data(as_text=True)
    assert db.session.get(Question, kept.id) is not None
    assert db.session.scalar(select(func.count(Answer.id)).where(Answer.question_id == kept.id))
    result = client.post(
        f"/officer/surveys/{survey.id}/questions/{kept.id}/hide", data={"hidden": "1"}, headers=HX
    )
    assert result.status_code == 200 and "verborgen" in result.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Question, kept.id).hidden
    # A question without answers can go.
    result = client.post(f"/officer/surveys/{survey.id}/questions/{empty.id}/delete")
    assert result.status_code == 303
    assert db.session.get(Question, empty.id) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "delete_question"))


def test_an_option_that_was_chosen_cannot_be_removed(editor, client):
    survey = _new(client, start="needs", title="Opties")
    question = editing.add_question(editor, survey, "single", "Welke kleur?", "core")
    draft = editing.draft_of(question)
    draft["options"] = [
        {"value": "rood", "text": {"nl": "Rood"}},
        {"value": "blauw", "text": {"nl": "Blauw"}},
    ]
    editing.update_question(editor, question, draft)
    _answer(question, "rood")
    draft["options"] = draft["options"][1:] + [{"value": "groen", "text": {"nl": "Groen"}}]
    with pytest.raises(UserError, match="al gekozen"):
        editing.update_question(editor, question, draft)
    db.session.expire_all()
    assert [o["value"] for o in question.options] == ["rood", "blauw"]


def test_settings_per_language_and_their_checks(editor, client):
    survey = _new(client, start="needs", title="Instellingen")
    url = f"/officer/surveys/{survey.id}/settings"
    assert client.get(url).status_code == 200
    form = {
        "languages": ["nl", "en", "tr"],
        "title_nl": "Nieuwe titel",
        "title_en": "New title",
        "intro_nl": "Welkom",
        "expectations_nl": "We bellen je binnen twee weken.",
        "themes": "Groen, spelen , ",
        "min_group_size": "12",
        "opens_at": "2027-03-01",
        "closes_at": "2027-04-01",
    }
    assert client.post(url, data=form).status_code == 303
    db.session.expire_all()
    assert survey.title == {"nl": "Nieuwe titel", "en": "New title"}
    assert survey.languages == ["nl", "en", "tr"]
    assert survey.themes == ["groen", "spelen"] and survey.min_group_size == 12
    assert survey.expectations == {"nl": "We bellen je binnen twee weken."}
    for bad in (
        {"closes_at": "2027-02-01"},
        {"min_group_size": "2"},
        {"languages": ["en"]},
        {"opens_at": "1 maart"},
    ):
        result = client.post(url, data={**form, **bad})
        assert result.status_code == 422, bad
        assert 'class="error"' in result.get_data(as_text=True)
    db.session.expire_all()
    assert survey.min_group_size == 12 and survey.languages == ["nl", "en", "tr"]


def test_publish_and_close(editor, client):
    survey = _new(client, start="needs", title="Open en dicht")
    result = client.post(f"/officer/surveys/{survey.id}/publish")
    assert result.status_code == 422 and "minstens één vraag" in result.get_data(as_text=True)
    editing.add_question(editor, survey, "yesno", "Ben je tevreden?", "core")
    assert client.post(f"/officer/surveys/{survey.id}/publish").status_code == 303
    db.session.expire_all()
    assert survey.status == "open"
    assert client.post(f"/officer/surveys/{survey.id}/close").status_code == 303
    db.session.expire_all()
    assert survey.status == "closed"
    assert survey.closes_at is not None and survey.closes_at <= utcnow()  # retention counts
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"publish_survey", "close_survey"} <= actions


def test_the_builder_page_shows_questions_preview_and_count(editor, client):
    survey = _new(client, start="template:behoeftepeiling")
    page = client.get(f"/officer/surveys/{survey.id}/questions").get_data(as_text=True)
    assert 'id="preview"' in page and "Vraag toevoegen" in page
    assert "0 reacties" in page
    assert f"/officer/surveys/{survey.id}/questions" in client.get("/officer/").get_data(
        as_text=True
    )
    question = survey.questions[1]
    result = client.post(
        f"/officer/surveys/{survey.id}/questions/{question.id}/preview",
        data=_edit_form(question, text_nl="Wat vind je het belangrijkst?"),
    )
    assert "Wat vind je het belangrijkst?" in result.get_data(as_text=True)
    db.session.expire_all()
    assert question.text["nl"] != "Wat vind je het belangrijkst?"  # a preview stores nothing


def test_analysts_cannot_build(app, client, sign_in):
    sign_in(client, "analyst")
    assert client.get("/officer/surveys/new").status_code == 403
    assert "Nieuwe peiling" not in client.get("/officer/").get_data(as_text=True)
