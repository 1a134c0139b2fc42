""" "Lees voor": the browser's own speech reads the question and its options (issue 17).

Headless Chromium has no voices, so each test gives the page a stand-in speechSynthesis that
records what it is asked to say and which voices it claims to have.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.resident import fill_question

# A stand-in for window.speechSynthesis: voices for the languages in window.__voiceLangs
# (filled in after a voiceschanged event, as Chromium does), and a log of every utterance.
STAND_IN = """
(() => {
  const langs = %s;
  const listeners = [];
  let voices = [];
  window.__spoken = [];
  window.__cancelled = 0;
  const synth = {
    speaking: false,
    getVoices: () => voices,
    addEventListener: (name, fn) => { if (name === "voiceschanged") listeners.push(fn); },
    speak: (u) => { window.__spoken.push({text: u.text, lang: u.lang,
                                          voice: u.voice ? u.voice.lang : null});
                    window.__lastUtterance = u; },
    cancel: () => { window.__cancelled += 1; },
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; };
  setTimeout(() => {
    voices = langs.map((lang) => ({lang, name: "Stand-in " + lang, localService: true}));
    listeners.forEach((fn) => fn(new Event("voiceschanged")));
  }, 50);
})();
"""

BUTTON = "button[data-read-aloud]"


def _context(browser, playwright, langs):
    context = browser.new_context(**playwright.devices["Pixel 7"], locale="nl-NL")
    context.add_init_script(STAND_IN % ("[" + ",".join(f'"{x}"' for x in langs) + "]"))
    return context


@pytest.fixture
def voiced(browser, playwright):
    """A page whose browser has a Dutch and an English voice."""
    context = _context(browser, playwright, ["nl-NL", "en-GB"])
    yield context.new_page()
    context.close()


@pytest.fixture
def voiceless(browser, playwright):
    """A page whose browser only speaks German."""
    context = _context(browser, playwright, ["de-DE"])
    yield context.new_page()
    context.close()


def _spoken(page):
    return page.evaluate("window.__spoken")


def _to_themes(page, base_url, query=""):
    """Start the demo survey and answer the first question, to the one with options."""
    page.goto(f"{base_url}/s/demo-peiling{query}")
    page.locator("form[action$='/start'] button[type=submit]").click()
    form = page.locator("form.question")
    expect(form.locator("#f-area")).to_be_visible()
    fill_question(form)
    form.locator("button.primary").click()
    expect(page.locator("label.option").first).to_be_visible()


def test_the_button_reads_the_question_and_its_options_in_dutch(
    voiced, base_url, assert_accessible
):
    page = voiced
    _to_themes(page, base_url)
    button = page.locator(BUTTON)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert_accessible(page, "question with Lees voor")

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#read-aloud-status")).to_contain_text("voorlezen")
    spoken = _spoken(page)
    texts = [u["text"] for u in spoken]
    assert texts[0] == "Wat is voor jou het belangrijkst in je buurt?"
    assert {"Groen", "Spelen", "Veiligheid", "Verkeer", "Zorg en hulp"} <= set(texts)
    assert {u["lang"] for u in spoken} == {"nl"} and {u["voice"] for u in spoken} == {"nl-NL"}
    assert_accessible(page, "while reading")

    page.keyboard.press("Enter")  # the same button stops
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.__cancelled") >= 1


def test_the_button_resets_when_the_reading_ends(voiced, base_url):
    page = voiced
    _to_themes(page, base_url)
    page.locator(BUTTON).click()
    expect(page.locator(BUTTON)).to_have_attribute("aria-pressed", "true")
    page.evaluate("window.__lastUtterance.onend()")
    expect(page.locator(BUTTON)).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#read-aloud-status")).to_have_text("")


def test_in_english_it_reads_english(voiced, base_url):
    page = voiced
    _to_themes(page, base_url, "?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(BUTTON).click()
    spoken = _spoken(page)
    texts = [u["text"] for u in spoken]
    assert texts[0] == "What matters most to you in your neighbourhood?"
    assert "Green" in texts and "Care and help" in texts
    assert {u["lang"] for u in spoken} == {"en"} and {u["voice"] for u in spoken} == {"en-GB"}


def test_the_intro_and_the_swipe_card_can_be_read_too(voiced, base_url, assert_accessible):
    page = voiced
    page.goto(f"{base_url}/s/demo-peiling")
    page.locator(BUTTON).click()
    assert _spoken(page)[0]["text"] == "Hoe maken we jouw buurt beter?"
    assert_accessible(page, "intro")

    page.goto(f"{base_url}/s/demo-swipe")
    page.get_by_role("button", name="Begin").click()
    expect(page.locator(".progress p")).to_have_text("Uitspraak 1 van 10")
    page.evaluate("window.__spoken = []")
    page.locator(BUTTON).focus()
    page.keyboard.press("Enter")
    texts = [u["text"] for u in _spoken(page)]
    card = page.locator(".card-text").inner_text()
    assert texts == [card, "Oneens", "Sla over", "Eens"]  # no arrows read out
    assert_accessible(page, "swipe card")


def test_without_a_voice_for_the_language_the_button_stays_hidden(
    voiceless, base_url, assert_accessible
):
    page = voiceless
    _to_themes(page, base_url)
    page.wait_for_function("window.speechSynthesis.getVoices().length > 0")
    expect(page.locator(BUTTON)).to_be_hidden()
    expect(page.get_by_role("button", name="Lees voor")).to_have_count(0)
    assert_accessible(page, "question without a voice")
