"""PDFs in every script: posters, flyers, the feedback poster and the area report in Turkish,
Polish and Arabic, with embedded Unicode fonts, read back as a screen reader would (pdftotext)."""

from __future__ import annotations

import io
import subprocess

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from survey import create_app
from survey.config import ConfigError
from survey.core.pdf import check_fonts
from survey.extensions import db
from survey.features.feedback.poster import results_url
from survey.models import Area, Channel, Survey
from tests.web.test_dashboard import make_survey

TITLES = {
    "nl": "Testpeiling",
    "tr": "Çarşı ve ağaçlar için fikriniz",
    "pl": "Więcej łąk i zieleni",
    "ar": "رأيك يهمنا",
}
# The language's own letters, as they must come back out of the PDF. (No Arabic word with the
# lam-alef ligature: pdftotext gives the two letters of one ligature glyph in reverse.)
OWN = {
    "tr": ["Çarşı", "ağaçlar", "için", "Mahalleniz"],
    "pl": ["Więcej", "łąk", "Powiedz", "osiedlu"],
    "ar": ["رأيك", "يهمنا", "امسح", "بكاميرا", "هاتفك"],
}


def pdf_words(data: bytes) -> str:
    """The text of a PDF as pdftotext gives it (Arabic in logical order)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Each font a PDF uses, and whether its TrueType file is embedded (FontFile2)."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            inner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = inner.get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = (
                descriptor is not None and "/FontFile2" in descriptor.get_object()
            )
    return fonts


def assert_unicode_fonts(data: bytes, arabic: bool = False) -> None:
    fonts = pdf_fonts(data)
    assert fonts and all(fonts.values()), fonts
    assert not any("Helvetica" in name for name in fonts), fonts
    assert any("NotoSans" in name for name in fonts)
    if arabic:
        assert any("NotoSansArabic" in name for name in fonts), fonts


def pdf_lang(data: bytes) -> str:
    return str(PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"])


def _survey() -> Survey:
    survey = make_survey()
    survey.languages = ["nl", "en", "tr", "pl", "ar"]
    survey.title = dict(TITLES)
    db.session.commit()
    return survey


def _channel(client, survey: Survey, lang: str = "") -> Channel:
    data = {"label": "Poster bibliotheek", "kind": "poster", "area": "", "lang": lang}
    result = client.post(f"/officer/surveys/{survey.id}/channels", data=data)
    assert result.status_code == 303, result.get_data(as_text=True)
    return db.session.scalar(
        select(Channel).where(Channel.survey_id == survey.id, Channel.label == data["label"])
    )


@pytest.mark.parametrize("name", ["poster.pdf", "flyer.pdf"])
@pytest.mark.parametrize("lang", ["tr", "pl", "ar"])
def test_posters_and_flyers_are_printed_in_the_asked_language(app, client, sign_in, name, lang):
    survey = _survey()
    sign_in(client, "editor")
    channel = _channel(client, survey)
    result = client.get(f"/officer/surveys/{survey.id}/channels/{channel.id}/{name}?lang={lang}")
    assert result.status_code == 200 and result.mimetype == "application/pdf"
    words = pdf_words(result.data)
    for word in OWN[lang]:
        assert word in words, (word, words)
    assert f"127.0.0.1:5000/s/{channel.code}" in words  # the address stays left to right
    assert_unicode_fonts(result.data, arabic=lang == "ar")
    assert pdf_lang(result.data) == lang
    assert PdfReader(io.BytesIO(result.data)).metadata.title == TITLES[lang]
    # The officer's own pages keep their language: a printout's ?lang= is not remembered.
    assert "lang=" not in result.headers.get("Set-Cookie", "")


def test_a_dutch_poster_keeps_its_dutch_texts_and_embeds_its_font(app, client, sign_in):
    survey = _survey()
    sign_in(client, "editor")
    channel = _channel(client, survey)
    result = client.get(f"/officer/surveys/{survey.id}/channels/{channel.id}/poster.pdf")
    words = pdf_words(result.data)
    assert "Testpeiling" in words and "Praat mee over je buurt!" in words
    assert_unicode_fonts(result.data)
    assert pdf_lang(result.data) == "nl"


@pytest.mark.parametrize("asked", ["de", "xx", "tr"])
def test_a_language_the_survey_lacks_gives_a_clear_dutch_400(app, client, sign_in, asked):
    survey = make_survey()  # Dutch and English only
    sign_in(client, "editor")
    channel = _channel(client, survey)
    for url in (
        f"/officer/surveys/{survey.id}/channels/{channel.id}/poster.pdf?lang={asked}",
        f"/officer/surveys/{survey.id}/poster.pdf?lang={asked}",
    ):
        result = client.get(url)
        assert result.status_code == 400
        assert "Deze peiling is er niet in die taal" in result.get_data(as_text=True)
        assert "Nederlands (nl), English (en)" in result.get_data(as_text=True)


def test_a_channel_prints_in_its_own_language_unless_another_is_asked(app, client, sign_in):
    survey = _survey()
    sign_in(client, "editor")
    channel = _channel(client, survey, "pl")
    assert channel.lang == "pl"
    base = f"/officer/surveys/{survey.id}/channels/{channel.id}"
    assert 'value="pl" lang="pl" selected' in client.get(base).get_data(as_text=True)
    page = client.get(f"/officer/surveys/{survey.id}/channels").get_data(as_text=True)
    assert f"/officer/surveys/{survey.id}/poster.pdf?channel={channel.id}" in page
    assert "Więcej łąk" in pdf_words(client.get(f"{base}/flyer.pdf").data)
    assert "Testpeiling" in pdf_words(client.get(f"{base}/flyer.pdf?lang=nl").data)

    data = {"label": "Poster moskee", "kind": "poster", "area": "", "lang": "ar"}
    assert client.post(base, data=data).status_code == 303
    db.session.expire_all()
    assert db.session.get(Channel, channel.id).lang == "ar"
    assert "يهمنا" in pdf_words(client.get(f"{base}/poster.pdf").data)

    data["lang"] = ""  # back to Dutch
    assert client.post(base, data=data).status_code == 303
    db.session.expire_all()
    assert db.session.get(Channel, channel.id).lang is None


def test_a_channel_language_must_be_one_of_the_survey(app, client, sign_in):
    survey = make_survey()  # Dutch and English only
    sign_in(client, "editor")
    data = {"label": "Poster", "kind": "poster", "area": "", "lang": "tr"}
    result = client.post(f"/officer/surveys/{survey.id}/channels", data=data)
    assert result.status_code == 422
    assert "Kies een taal van de peiling uit de lijst." in result.get_data(as_text=True)
    data["lang"] = "x" * 40
    assert client.post(f"/officer/surveys/{survey.id}/channels", data=data).status_code == 422


def _demo_survey() -> Survey:
    return db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))


@pytest.mark.parametrize(
    "lang, words",
    [("tr", ["Siz söylediniz, biz yaptık"]), ("pl", ["Wy mówicie"]), ("ar", ["قلتم", "ففعلنا"])],
)
def test_the_feedback_poster_of_a_channel_leads_to_its_own_public_page(
    demo, demo_client, sign_in, lang, words
):
    sign_in(demo_client, "editor")
    survey = _demo_survey()
    channel = db.session.scalar(select(Channel).where(Channel.code == "demo-flyer-molen"))
    result = demo_client.get(
        f"/officer/surveys/{survey.id}/poster.pdf?channel={channel.id}&lang={lang}"
    )
    assert result.status_code == 200 and result.mimetype == "application/pdf"
    text = pdf_words(result.data)
    for word in words:
        assert word in text, (word, text)
    assert "http://127.0.0.1:5000/r/demo-flyer-molen" in text
    assert channel.area.name in text  # the findings and updates of the channel's own place
    assert_unicode_fonts(result.data, arabic=lang == "ar")
    assert pdf_lang(result.data) == lang
    page = PdfReader(io.BytesIO(result.data)).pages[0]
    image = Image.open(io.BytesIO(page.images[0].data))
    assert zxingcpp.read_barcodes(image)[0].text == "http://127.0.0.1:5000/r/demo-flyer-molen"
    assert results_url(survey, channel) == "http://127.0.0.1:5000/r/demo-flyer-molen"


def test_the_feedback_poster_refuses_another_survey_s_channel(demo, demo_client, sign_in):
    sign_in(demo_client, "editor")
    survey = _demo_survey()
    other = db.session.scalar(select(Channel).where(Channel.code == "demo-swipe"))
    base = f"/officer/surveys/{survey.id}/poster.pdf"
    assert demo_client.get(f"{base}?channel={other.id}").status_code == 404
    assert demo_client.get(f"{base}?channel=abc").status_code == 404
    # The poster form's defaults: no channel, no language (Dutch).
    result = demo_client.get(f"{base}?area_id=&channel=&lang=")
    assert result.status_code == 200 and pdf_lang(result.data) == "nl"
    assert "/r/demo-peiling" in pdf_words(result.data)


@pytest.mark.parametrize(
    "lang, words", [("pl", ["Do kogo dotarliśmy"]), ("ar", ["من", "وصلنا", "إليهم"])]
)
def test_the_area_report_is_printed_in_the_asked_language(demo, demo_client, sign_in, lang, words):
    sign_in(demo_client, "analyst")
    survey = _demo_survey()
    molenwijk = db.session.scalar(select(Area).where(Area.cbs_code == "BU09990202"))
    assert demo_client.post(f"/officer/surveys/{survey.id}/insights/fit").status_code == 303
    url = f"/officer/surveys/{survey.id}/insights/areas/{molenwijk.id}.pdf"
    result = demo_client.get(f"{url}?lang={lang}")
    assert result.status_code == 200, result.get_data(as_text=True)
    text = pdf_words(result.data)
    for word in words:
        assert word in text, (word, text)
    assert_unicode_fonts(result.data, arabic=lang == "ar")
    assert pdf_lang(result.data) == lang
    assert demo_client.get(f"{url}?lang=de").status_code == 400


def test_the_app_refuses_to_start_without_its_pdf_fonts(tmp_path):
    with pytest.raises(ConfigError, match="fonts-noto-core"):
        check_fonts(tmp_path)
    with pytest.raises(ConfigError, match="NotoSansArabic-Regular.ttf"):
        create_app({"TESTING": True, "PDF_FONT_DIR": str(tmp_path)})
