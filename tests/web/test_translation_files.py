"""Vertalingen: a survey's texts as a PO file, read back with a report; what residents see."""

from __future__ import annotations

import io
import uuid

import pytest
from babel.messages.pofile import read_po, write_po
from flask_babel import refresh
from sqlalchemy import select

from survey.core import outbox
from survey.extensions import db
from survey.features.feedback import service as feedback
from survey.features.translations import service as translating
from survey.models import AuditEvent, Channel, Question, Subscription, Survey, Update
from survey.models._types import utctoday
from tests.web.test_mail import smtp  # noqa: F401 (the real SMTP server fixture)

BOUNDARY = "vertaling-grens"
TURKISH = {
    "survey:title": "Mahalle anketi",
    "question:wens:text": "Mahallede en çok ne istiyorsunuz?",
    "question:wens:option:groen": "Daha fazla yeşil",
    "question:wens:option:spelen": "Oyun alanları",
    "question:tevreden:text": "Mahallenizden ne kadar memnunsunuz?",
    "question:tevreden:help": "1 hiç, 5 çok",
    "question:tevreden:low": "Hiç memnun değilim",
    "question:tevreden:high": "Çok memnunum",
}


@pytest.fixture
def survey(app) -> Survey:
    """An open survey in Dutch and Turkish, with a channel, two questions and an update."""
    found = Survey(
        slug=f"buurt-{uuid.uuid4().hex[:6]}",
        status="open",
        languages=["nl", "tr"],
        title={"nl": "Buurtpeiling"},
        intro={"nl": "Hallo {name}, vertel ons wat je wilt."},
    )
    found.questions = [
        Question(
            position=1,
            code="wens",
            type="single",
            text={"nl": "Wat wil je het liefst in de buurt?"},
            options=[
                {"value": "groen", "text": {"nl": "Meer groen"}},
                {"value": "spelen", "text": {"nl": "Speelplekken"}},
            ],
        ),
        Question(
            position=2,
            code="tevreden",
            type="scale",
            text={"nl": "Hoe tevreden ben je over je buurt?"},
            help={"nl": "1 is helemaal niet, 5 is heel erg"},
            settings={"low": {"nl": "Helemaal niet"}, "high": {"nl": "Heel erg"}},
        ),
    ]
    db.session.add(found)
    db.session.flush()
    db.session.add(Channel(code=f"c-{uuid.uuid4().hex[:6]}", survey_id=found.id, label="web"))
    db.session.add(Update(survey_id=found.id, status="gepland", heard="Meer groen gevraagd"))
    db.session.commit()
    return found


@pytest.fixture
def editor(client, sign_in):
    sign_in(client, "editor")
    return client


def _po(survey: Survey, translations: dict[str, str]) -> bytes:
    """The exported file with msgstrs filled in by context."""
    catalog = read_po(io.BytesIO(translating.export_po(survey, "tr")))
    for message in catalog:
        if message.context in translations:
            message.string = translations[message.context]
    out = io.BytesIO()
    write_po(out, catalog)
    return out.getvalue()


def _upload(client, survey: Survey, data: bytes, lang: str = "tr"):
    # The multipart body written out here: the test client would spool a large one to a
    # temporary file that it never closes.
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="vertaling.po"\r\n'
        "Content-Type: text/x-gettext-translation\r\n\r\n"
    )
    body = head.encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()
    url = f"/officer/surveys/{survey.id}/translations/{lang}"
    refresh()  # the test's app context outlives each request: forget the last page's locale
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def _page(client, url: str) -> str:
    refresh()  # the fixture's app context outlives requests: forget the locale it chose
    return client.get(url).get_data(as_text=True)


def _question_screen(client, survey: Survey, code: str, lang: str = "tr") -> str:
    """The screen a resident (a phone of their own, not the officer's browser) sees."""
    client = client.application.test_client()
    channel = survey.channels[0].code
    client.post(f"/s/{channel}/start", data={"response": str(uuid.uuid4())})
    return _page(client, f"/s/{channel}/v/{code}?lang={lang}")


def test_the_export_names_every_text_by_context_with_where_it_is_shown(survey, editor):
    result = editor.get(f"/officer/surveys/{survey.id}/translations/tr.po")
    assert result.status_code == 200
    assert "attachment" in result.headers["Content-Disposition"]
    catalog = read_po(io.BytesIO(result.data))
    found = {m.context: m for m in catalog if m.id}
    assert set(found) == {
        "survey:title",
        "survey:intro",
        *(c for c in TURKISH if c.startswith("question:")),
        f"update:{db.session.scalar(select(Update.id))}:heard",
    }
    assert found["question:wens:option:groen"].id == "Meer groen"
    assert found["question:tevreden:low"].id == "Helemaal niet"
    assert all(m.string == "" for m in found.values())
    assert "Vraag wens: antwoord groen" in found["question:wens:option:groen"].auto_comments
    assert str(catalog.locale) == "tr"


def test_a_round_trip_changes_what_residents_see_at_once(survey, editor):
    before = _question_screen(editor, survey, "tevreden")  # fills this process's structure copy
    assert "Hoe tevreden ben je over je buurt?" in before and "Helemaal niet" in before
    version = survey.structure_version

    result = _upload(editor, survey, _po(survey, TURKISH))
    assert result.status_code == 200, result.get_data(as_text=True)
    assert "8 vertalingen ingelezen, 2 nog niet vertaald." in result.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).structure_version > version

    scale = _question_screen(editor, survey, "tevreden")
    assert "Mahallenizden ne kadar memnunsunuz?" in scale
    assert "Hiç memnun değilim" in scale and "Çok memnunum" in scale and "1 hiç, 5 çok" in scale
    choice = _question_screen(editor, survey, "wens")
    assert "Daha fazla yeşil" in choice and "Oyun alanları" in choice
    dutch = _question_screen(editor, survey, "wens", "nl")
    assert "Meer groen" in dutch  # the Dutch source stays as it was
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import_translations"))
    assert event.detail == {"lang": "tr", "changed": 8}


def test_the_report_names_unknown_entries_placeholders_and_empty_ones_by_line(survey, editor):
    update_id = db.session.scalar(select(Update.id))
    po = "\n".join(
        [
            'msgid ""',  # 1
            'msgstr ""',  # 2
            '"Content-Type: text/plain; charset=UTF-8\\n"',  # 3
            "",  # 4
            'msgctxt "question:weg:text"',  # 5
            'msgid "Een vraag die er niet meer is"',  # 6
            'msgstr "Artık olmayan bir soru"',  # 7
            "",  # 8
            'msgctxt "survey:intro"',  # 9
            'msgid "Hallo {name}, vertel ons wat je wilt."',  # 10
            'msgstr "Merhaba {isim}, ne istediğini söyle."',  # 11
            "",  # 12
            'msgctxt "question:wens:text"',  # 13
            'msgid "Wat wil je het liefst in de buurt?"',  # 14
            'msgstr ""',  # 15
            "",  # 16
            'msgctxt "question:tevreden:text"',  # 17
            'msgid "Hoe blij ben je met je buurt?"',  # 18: an older Dutch text
            'msgstr "Mahallenden ne kadar mutlusun?"',  # 19
            "",
            f'msgctxt "update:{update_id}:heard"',  # 21
            'msgid "Meer groen gevraagd"',  # 22
            'msgstr "Daha fazla yeşil istendi"',  # 23
            "",
        ]
    ).encode()
    result = _upload(editor, survey, po)
    assert result.status_code == 422
    html = result.get_data(as_text=True)
    assert "Het bestand is niet ingelezen" in html
    assert "Regel 6: Onbekend item: question:weg:text" in html
    assert "Regel 10: survey:intro: de plekhouders kloppen niet met het Nederlands" in html
    assert "nodig: {name}" in html
    assert "Regel 18: Verouderd: de Nederlandse tekst van question:tevreden:text" in html
    db.session.expire_all()
    assert db.session.get(Update, update_id).translations == {}  # nothing is read

    fixed = po.replace(b"{isim}", b"{name}").replace(b'"question:weg:text"', b'"survey:title"')
    fixed = fixed.replace(b"Een vraag die er niet meer is", b"Buurtpeiling")
    result = _upload(editor, survey, fixed)
    html = result.get_data(as_text=True)
    assert result.status_code == 200, html
    assert "3 vertalingen ingelezen, 1 nog niet vertaald." in html  # the empty one counted
    assert "Regel 18: Verouderd" in html  # still named, and not read
    db.session.expire_all()
    assert db.session.get(Update, update_id).translations == {
        "tr": {"heard": "Daha fazla yeşil istendi"}
    }
    assert "tr" not in db.session.get(Survey, survey.id).questions[1].text


def test_the_command_exports_and_imports_and_fails_with_the_report(app, survey, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "tr.po"
    args = ["--survey", survey.slug, "--lang", "tr", str(path)]
    result = runner.invoke(args=["translations", "export", *args])
    assert result.exit_code == 0, result.output
    assert 'msgctxt "question:tevreden:low"' in path.read_text(encoding="utf-8")

    path.write_bytes(_po(survey, TURKISH))
    result = runner.invoke(args=["translations", "import", *args])
    assert result.exit_code == 0, result.output
    assert "8 vertalingen ingelezen" in result.output
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).title["tr"] == "Mahalle anketi"

    path.write_bytes(_po(survey, {"survey:intro": "Merhaba %(name)s"}))
    result = runner.invoke(args=["translations", "import", *args])
    assert result.exit_code == 1
    assert "Het bestand is niet ingelezen" in result.output
    assert "survey:intro: de plekhouders kloppen niet" in result.output

    result = runner.invoke(
        args=["translations", "export", "--survey", survey.slug, "--lang", "nl", str(path)]
    )
    assert result.exit_code != 0 and "brontaal" in result.output
    result = runner.invoke(
        args=["translations", "export", "--survey", "nope", "--lang", "tr", str(path)]
    )
    assert result.exit_code != 0 and "Er is geen peiling" in result.output


def test_the_page_shows_how_complete_each_language_is(survey, editor):
    html = editor.get(f"/officer/surveys/{survey.id}/translations").get_data(as_text=True)
    assert "0 van 10 (0%)" in html and "Türkçe" in html
    _upload(
        editor,
        survey,
        _po(survey, {"survey:title": "Mahalle anketi", "survey:intro": "Merhaba {name}"}),
    )
    html = editor.get(f"/officer/surveys/{survey.id}/translations").get_data(as_text=True)
    assert "2 van 10 (20%)" in html
    assert f"/officer/surveys/{survey.id}/translations/tr.po" in html
    assert translating.incomplete_languages(survey) == ["tr"]


def test_publishing_warns_when_an_offered_language_is_incomplete(survey, editor):
    survey.status = "draft"
    db.session.commit()
    result = editor.post(f"/officer/surveys/{survey.id}/publish")
    assert result.status_code == 303
    page = editor.get(result.headers["Location"]).get_data(as_text=True)
    assert "Let op: de vertaling is nog niet af in het Türkçe." in page
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).status == "open"  # a warning, not a refusal

    survey = db.session.get(Survey, survey.id)
    complete = {**TURKISH, "survey:intro": "Merhaba {name}"}
    complete[f"update:{db.session.scalar(select(Update.id))}:heard"] = "Daha fazla yeşil"
    _upload(editor, survey, _po(survey, complete))
    survey.status = "draft"
    db.session.commit()
    result = editor.post(f"/officer/surveys/{survey.id}/publish")
    assert "Let op" not in editor.get(result.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Dit bestand kunnen we niet lezen"),
        (b"naam;tekst\nQ1;hallo\n", "Dit is geen PO-bestand"),
        (b'msgid "a\xff\xfe"\nmsgstr "b"\n', "Dit bestand kunnen we niet lezen"),
        (b'msgid "a"\nzomaar wat\nmsgstr "b"\n', "Dit PO-bestand klopt niet"),
        (b'msgid ""\nmsgstr ""\n', "In dit PO-bestand staan geen teksten"),
        (b'msgid "x"\nmsgstr "' + b"y" * 1_100_000 + b'"\n', "Het bestand is te groot"),
    ],
)
def test_a_bad_file_is_refused_in_dutch(survey, editor, data, words):
    result = _upload(editor, survey, data)
    assert result.status_code == 422
    assert words in result.get_data(as_text=True)


def test_no_file_or_a_language_the_survey_does_not_offer(survey, editor):
    result = editor.post(f"/officer/surveys/{survey.id}/translations/tr")
    assert result.status_code == 422 and "Kies eerst een PO-bestand" in result.get_data(
        as_text=True
    )
    assert _upload(editor, survey, b"x", lang="pl").status_code == 404
    assert _upload(editor, survey, b"x", lang="nl").status_code == 404
    assert editor.get(f"/officer/surveys/{survey.id}/translations/pl.po").status_code == 404


def test_only_editors_handle_translations(survey, client, sign_in):
    sign_in(client, "analyst")
    assert client.get(f"/officer/surveys/{survey.id}/translations").status_code == 403


def test_the_phone_preview_switches_language(survey, editor):
    _upload(editor, survey, _po(survey, TURKISH))
    url = f"/officer/surveys/{survey.id}/questions"
    html = _page(editor, url)
    assert "Wat wil je het liefst in de buurt?" in html.split('id="preview"')[1]
    html = _page(editor, f"{url}?preview_lang=tr")
    preview = html.split('id="preview"')[1]
    assert 'lang="tr"' in html.split('id="preview"')[1][:40]
    assert "Mahallede en çok ne istiyorsunuz?" in preview and "Daha fazla yeşil" in preview
    assert 'aria-current="true">Türkçe' in html


def test_the_builder_edits_the_labels_of_a_scale_per_language(survey, editor):
    scale = survey.questions[1]
    form = {
        "code": "tevreden",
        "layer": "core",
        "text_nl": "Hoe tevreden ben je over je buurt?",
        "low_nl": "Niet",
        "low_tr": "Hiç",
        "high_nl": "Heel erg",
        "high_tr": "",
        "setting_min": "1",
        "setting_max": "5",
    }
    result = editor.post(f"/officer/surveys/{survey.id}/questions/{scale.id}", data=form)
    assert result.status_code == 303, result.get_data(as_text=True)
    db.session.expire_all()
    settings = db.session.get(Question, scale.id).settings
    assert settings["low"] == {"nl": "Niet", "tr": "Hiç"} and settings["high"] == {"nl": "Heel erg"}


def test_an_update_mail_goes_out_in_the_followers_language(survey, editor, smtp):  # noqa: F811
    sink, config = smtp()
    update = db.session.scalar(select(Update))
    for lang in ("tr", "nl"):
        db.session.add(
            Subscription(
                survey_id=survey.id,
                email=f"volger-{lang}@example.org",
                lang=lang,
                confirm_token=uuid.uuid4().hex,
                unsubscribe_token=uuid.uuid4().hex,
                confirmed_at=utctoday(),
            )
        )
    db.session.commit()
    context = f"update:{update.id}:heard"
    _upload(editor, survey, _po(survey, {**TURKISH, context: "Daha fazla yeşil istendi"}))
    update = db.session.get(Update, update.id)
    assert feedback.publish_update(update, None) == 2
    assert outbox.send_due(config) == {"sent": 2, "failed": 0}
    mails = {m["To"]: m for m in sink.messages}
    turkish = mails["volger-tr@example.org"]
    assert "Mahalle anketi" in turkish["Subject"]
    body = turkish.get_content()
    assert "Daha fazla yeşil istendi" in body and "Meer groen gevraagd" not in body
    assert "Planlandı" in body and "Gepland" not in body  # the mail's own words are Turkish
    dutch = mails["volger-nl@example.org"].get_content()
    assert "Meer groen gevraagd" in dutch and "Wat we hoorden" in dutch

    results = _page(editor, f"/r/{survey.channels[0].code}?lang=tr")
    assert "Daha fazla yeşil istendi" in results


def test_a_volunteers_mail_goes_out_in_the_language_they_used(app, survey, client, smtp):  # noqa: F811
    sink, config = smtp()
    data = {
        "name": "Ayşe Yılmaz",
        "email": "ayse@example.org",
        "availability": "1to4",
        "consent": "yes",
    }
    refresh()
    result = client.post(f"/s/{survey.channels[0].code}/meehelpen?lang=tr", data=data)
    assert result.status_code == 303, result.get_data(as_text=True)
    assert outbox.send_due(config) == {"sent": 1, "failed": 0}
    assert sink.messages[0]["Subject"] == "Yardım etmek istediğiniz için teşekkürler"
