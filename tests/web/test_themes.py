"""Thema's on Open antwoorden: themes of the open answers, officers' edits that stay, the
public results, the `themes` command, and Dutch refusals of bad input."""

from __future__ import annotations

import json

from sqlalchemy import select

from survey.extensions import db
from survey.features.responses import themes
from survey.models import Answer, AuditEvent, Survey, Theme
from survey.profiling.synthetic_texts import planted_answers
from tests.web.test_dashboard import add_response, make_survey

HTMX = {"HX-Request": "true"}


def _themed_survey(min_group: int = 10, per_topic: int = 15) -> tuple[Survey, dict[int, str]]:
    """A survey whose open question has four planted topics; answer id -> topic."""
    survey = make_survey(min_group=min_group)
    topic_of = {}
    for _i, topic, text in planted_answers(4, per_topic, seed=3):
        response = add_response(survey, {"kleur": "rood", "idee": text})
        answer = next(a for a in response.answers if a.value == text)
        topic_of[answer.id] = topic
    return survey, topic_of


def _views(app, survey):
    with app.test_request_context():
        return {
            v.question.code: v for v in themes.refresh_themes(db.session.get(Survey, survey.id))
        }


def _page(client, survey) -> str:
    result = client.get(f"/officer/surveys/{survey.id}/open-answers")
    assert result.status_code == 200
    return result.get_data(as_text=True)


def _theme_of(view, topic_of, topic) -> Theme:
    return max(
        (item.theme for item in view.themes),
        key=lambda t: sum(topic_of.get(i) == topic for i in t.answer_ids),
    )


def test_the_page_shows_the_themes_of_an_open_question(app, client, sign_in):
    survey, topic_of = _themed_survey()
    sign_in(client, "analyst")
    page = _page(client, survey)
    assert "Thema’s" in page and 'id="themes-' in page
    view = _views(app, survey)["idee"]
    assert view.theme_set.chosen_k == 4 and len(view.themes) == 4
    for item in view.themes:
        assert f'id="theme-{item.theme.id}"' in page
        assert ", ".join(item.theme.top_words) in page
        assert len(item.quotes) == 3


def test_too_few_answers_give_a_message_not_themes(app, client, sign_in):
    survey = make_survey()
    for text in ("Meer bomen", "Drempels graag", "Een speeltuin"):
        add_response(survey, {"idee": text})
    sign_in(client, "analyst")
    assert "Nog te weinig antwoorden om thema’s te vinden" in _page(client, survey)


def test_a_name_stays_when_new_answers_come_in_and_themes_merge_and_hide(app, client, sign_in):
    survey, topic_of = _themed_survey()
    sign_in(client, "editor")
    view = _views(app, survey)["idee"]
    groen = _theme_of(view, topic_of, "groen")
    url = f"/officer/surveys/{survey.id}/themes/{groen.id}"
    result = client.post(f"{url}/name", data={"name": "Groen en bomen"})
    assert result.status_code == 303 and result.location.endswith(f"#themes-{view.question.id}")
    for _i, _topic, text in planted_answers(1, 5, seed=9):  # five more answers about green
        add_response(survey, {"idee": text})
    view = _views(app, survey)["idee"]
    renamed = _theme_of(view, topic_of, "groen")
    assert renamed.name == "Groen en bomen" and renamed.size >= 20
    assert "Groen en bomen" in _page(client, survey)

    verkeer = _theme_of(view, topic_of, "verkeer")
    spelen = _theme_of(view, topic_of, "spelen")
    sizes = verkeer.size + spelen.size
    result = client.post(
        f"/officer/surveys/{survey.id}/themes/{spelen.id}/merge", data={"into": verkeer.id}
    )
    assert result.status_code == 303
    view = _views(app, survey)["idee"]  # found again: the merge holds
    assert len(view.themes) == 3
    assert _theme_of(view, topic_of, "verkeer").size == sizes

    afval = _theme_of(view, topic_of, "afval")
    result = client.post(
        f"/officer/surveys/{survey.id}/themes/{afval.id}/flag", data={"flag": "hide"}, headers=HTMX
    )
    assert result.status_code == 200
    fragment = result.get_data(as_text=True)
    assert fragment.startswith(f'<section id="themes-{view.question.id}"')
    assert "Verborgen thema’s" in fragment and "Weer tonen" in fragment
    view = _views(app, survey)["idee"]
    assert [t.id for t in view.hidden] == [afval.id] and len(view.themes) == 2
    events = set(db.session.scalars(select(AuditEvent.action)))
    assert {"rename_theme", "merge_themes", "flag_theme"} <= events


def test_a_personal_or_hidden_answer_is_never_a_representative(app, client, sign_in):
    survey, topic_of = _themed_survey()
    groen = [i for i, topic in topic_of.items() if topic == "groen"]
    kept = groen[-1]
    for number, answer_id in enumerate(groen[:-1]):
        answer = db.session.get(Answer, answer_id)
        if number % 3 == 0:
            answer.personal_data = "found"
        elif number % 3 == 1:
            answer.personal_data = "confirmed"
        else:
            answer.moderation = "personal" if number % 2 else "hidden"
    db.session.commit()
    view = _views(app, survey)["idee"]
    theme = _theme_of(view, topic_of, "groen")
    assert set(theme.representative_ids) <= {kept}
    quotes = next(item.quotes for item in view.themes if item.theme.id == theme.id)
    assert quotes == [db.session.get(Answer, kept).value]
    sign_in(client, "analyst")
    page = _page(client, survey)
    section = page[page.index('id="theme-' + str(theme.id)) : page.index("Alle open antwoorden")]
    for answer_id in groen[:-1]:
        assert f"<blockquote>{db.session.get(Answer, answer_id).value}</blockquote>" not in section


def test_the_number_of_themes_can_be_set(app, client, sign_in):
    survey, _topic_of = _themed_survey()
    sign_in(client, "analyst")
    question = _views(app, survey)["idee"].question
    url = f"/officer/surveys/{survey.id}/questions/{question.id}/themes"
    assert client.post(url, data={"k": "2"}).status_code == 303
    view = _views(app, survey)["idee"]
    assert view.theme_set.k == 2 and view.theme_set.chosen_by == "given" and len(view.themes) == 2
    assert client.post(url, data={"k": ""}).status_code == 303  # back to the computer's choice
    assert _views(app, survey)["idee"].theme_set.chosen_k == 4


def test_bad_input_is_refused_in_dutch(app, client, sign_in):
    survey, _topic_of = _themed_survey()
    sign_in(client, "analyst")
    view = _views(app, survey)["idee"]
    theme = view.themes[0].theme
    base = f"/officer/surveys/{survey.id}"
    cases = [
        (f"{base}/themes/999999/name", {"name": "Iets"}, 404, "Dit thema bestaat niet (meer)."),
        (f"{base}/themes/{theme.id}/name", {"name": "   "}, 422, "Geef het thema een naam."),
        (f"{base}/themes/{theme.id}/name", {"name": "x" * 81}, 422, "Dit is te lang."),
        (f"{base}/themes/{theme.id}/merge", {"into": theme.id}, 422, "Kies een ander thema"),
        (f"{base}/themes/{theme.id}/merge", {"into": "abc"}, 422, "Kies een thema om mee"),
        (f"{base}/themes/{theme.id}/flag", {"flag": "weg"}, 422, "Kies wat er met dit thema moet."),
    ]
    for k in ("1", "9", "abc"):
        url = f"{base}/questions/{view.question.id}/themes"
        cases.append((url, {"k": k}, 422, "Kies een aantal thema’s van 2 tot en met 8."))
    cases.append(
        (f"{base}/questions/999999/themes", {"k": "3"}, 422, "Deze open vraag bestaat niet")
    )
    for headers in ({}, HTMX):
        for url, data, status, message in cases:
            result = client.post(url, data=data, headers=headers)
            body = result.get_data(as_text=True)
            assert result.status_code == status, (url, data, body[:300])
            assert message in body.replace("&#39;", "’").replace("'", "’"), (url, data)
    assert db.session.get(Theme, theme.id).name is None


def test_the_public_results_show_approved_themes_and_hide_small_ones(app, client, sign_in):
    survey, topic_of = _themed_survey(min_group=10)
    view = _views(app, survey)["idee"]
    groen = _theme_of(view, topic_of, "groen")
    verkeer = _theme_of(view, topic_of, "verkeer")
    sign_in(client, "analyst")
    base = f"/officer/surveys/{survey.id}/themes"
    client.post(f"{base}/{groen.id}/name", data={"name": "Meer groen"})
    client.post(f"{base}/{groen.id}/flag", data={"flag": "publish"})
    public = client.get(f"/r/{survey.slug}-a").get_data(as_text=True)
    assert "Meer groen: ongeveer 15 antwoorden" in public
    assert verkeer.label not in public  # not approved
    survey = db.session.get(Survey, survey.id)
    survey.min_group_size = 20  # now the theme (15 answers) is a small group
    db.session.commit()
    assert "Meer groen" not in client.get(f"/r/{survey.slug}-a").get_data(as_text=True)


def test_the_themes_command_prints_json(app):
    survey, _topic_of = _themed_survey()
    view = _views(app, survey)["idee"]
    theme = view.themes[0].theme
    theme.name = "Eigen naam"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["themes", "--survey", survey.slug, "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert len(listed) == 4
    assert all(set(t) == {"question", "name", "top_words", "size", "answer_ids"} for t in listed)
    assert {t["question"] for t in listed} == {"idee"}
    assert "Eigen naam" in {t["name"] for t in listed}
    assert sum(t["size"] for t in listed) == 60
    readable = app.test_cli_runner().invoke(args=["themes", "--survey", survey.slug])
    assert "idee: Eigen naam" in readable.output
    missing = app.test_cli_runner().invoke(args=["themes", "--survey", "nope"])
    assert missing.exit_code != 0
