"""The B1 check of Dutch texts, and every Dutch text we ship passing it (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from survey.profiling import plainlanguage as plain

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    ROOT / "survey/features/demo/voorbeeldstad.json",
    *sorted((ROOT / "survey/features/builder/survey_templates").glob("*.json")),
    ROOT / "survey/profiling/profiles.json",
]


def _kinds(text: str) -> list[str]:
    return [f.kind for f in plain.check(text).findings]


def test_a_plain_text_passes_with_a_high_score():
    report = plain.check("Wat vind jij belangrijk in je buurt? Kies er drie.")
    assert report.passes and report.sentences == 2 and report.words == 10
    assert report.score >= plain.B1_SCORE


def test_a_long_sentence_is_flagged_with_its_length():
    text = (
        "Wij willen graag van alle bewoners van de wijk weten wat zij van de nieuwe plannen "
        "voor het park en de straat vinden."
    )
    (finding,) = [f for f in plain.check(text).findings if f.kind == "sentence"]
    assert finding.count == 23 and finding.start == 0 and finding.text == text


def test_a_long_word_is_flagged_with_its_syllables_and_place():
    text = "Kom naar de informatiebijeenkomst."
    (finding,) = plain.check(text).findings
    assert (finding.kind, finding.text, finding.start) == ("word", "informatiebijeenkomst", 12)
    assert finding.count > plain.MAX_SYLLABLES


def test_a_compound_with_hyphens_reads_as_its_parts():
    assert plain.check("Lees de PDF-bestanden.").passes
    assert plain.syllables("PDF-bestanden") == plain.syllables("PDF") + plain.syllables("bestanden")


def test_names_everyone_uses_are_allowed_although_long():
    assert plain.check("Een keukentafelgesprek.").passes


@pytest.mark.parametrize(
    "text",
    [
        "Het plan wordt door de gemeente gemaakt.",
        "De bomen werden vorig jaar geplant.",
        "De brief is door de wijkagent verstuurd.",
        "Dit wordt besproken.",
    ],
)
def test_passive_sentences_are_flagged(text):
    assert "passive" in _kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "De gemeente maakt een plan.",
        "Ik ben naar het park gegaan.",  # "zijn" + participle without "door": the active perfect
        "Wat wordt jouw keuze?",
        "Het gebied wordt groter.",
    ],
)
def test_active_sentences_are_not_flagged_as_passive(text):
    assert "passive" not in _kinds(text)


def test_officialese_is_flagged_with_the_plain_alternative():
    text = "Ten behoeve van de participatie informeren wij u middels een brief inzake het plein."
    found = {f.text: f.suggestion for f in plain.check(text).findings if f.kind == "officialese"}
    assert found == {
        "Ten behoeve van": "voor",
        "participatie": "meedoen",
        "informeren": "vertellen, laten weten",
        "middels": "met, door",
        "inzake": "over",
    }


def test_officialese_is_found_as_a_whole_word_only():
    found = plain.check("Een rekening van de thansmarkt.").findings
    assert [f.kind for f in found] == ["rare"]  # not officialese "thans"
    assert [f.text for f in plain.check("Wij faciliteren dat.").findings] == ["faciliteren"]


def test_the_wordlist_has_about_forty_entries_each_with_an_alternative():
    data = json.loads(plain.DEFAULT_FILE.read_text(encoding="utf-8"))
    assert len(data["officialese"]) >= 40
    assert all(entry["forms"] and entry["plain"] for entry in data["officialese"])


def test_a_rare_official_word_is_flagged_with_a_question():
    (finding,) = plain.check("Wij willen de cohesie in de buurt.").findings
    assert (finding.kind, finding.text, finding.start) == ("rare", "cohesie", 14)
    assert finding.suggestion == plain.RARE_SUGGESTION
    assert ("rare", "cohesie") in [
        (f.kind, f.text) for f in plain.check("Wij bevorderen de cohesie.").findings
    ]


@pytest.mark.parametrize(
    "text",
    [
        "De speeltuin, het buurthuis en de fietsenstalling.",  # compounds, one with a linking -en-
        "De straten en huizen van onze buurten.",  # inflections of listed words
        "Een keukentafelgesprek.",  # allowed
        "Woon je in Voorbeeldstad?",  # a name
    ],
)
def test_everyday_words_compounds_inflections_and_names_are_not_rare(text):
    assert "rare" not in _kinds(text)


def test_the_common_words_are_a_few_thousand_in_lower_case():
    words = plain.common_words()
    assert len(words) >= 2000 and all(w == w.lower() and " " not in w for w in words)
    assert {"gemeente", "buurt", "wijk", "straat", "park", "bewoner", "meedoen"} <= words
    assert all(w.isalpha() for w in words)
    data = json.loads(plain.DEFAULT_FILE.read_text(encoding="utf-8"))
    officialese = {form.lower() for entry in data["officialese"] for form in entry["forms"]}
    assert not words & officialese


def test_findings_come_in_the_order_of_the_text():
    report = plain.check("Indien u wilt, kom. Het wordt door ons geregeld. Middels de app.")
    assert [f.start for f in report.findings] == sorted(f.start for f in report.findings)
    assert [f.kind for f in report.findings] == ["officialese", "passive", "officialese"]


def test_empty_text_has_no_findings_and_no_score():
    report = plain.check("")
    assert report.passes and report.score == 0 and report.words == 0
    assert plain.check_all({"a": "", "b": "  ", "c": "Groen"}).keys() == {"c"}


def test_the_score_is_flesch_douma():
    # 6 words, 1 sentence, 7 syllables: 206.835 - 0.93 * 6 - 77 * 7 / 6
    assert plain.check("Hoe prettig woon je hier nu?").score == pytest.approx(111.4, abs=0.1)
    # 12 words, 1 sentence, 20 syllables
    assert (
        plain.check("De gemeente wil weten wat jij belangrijk vindt in je eigen buurt.").score < 85
    )


def _dutch_texts(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "nl" and isinstance(value, str):
                yield path, value
            else:
                yield from _dutch_texts(value, f"{path}.{key}")
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            yield from _dutch_texts(value, f"{path}[{i}]")


def _shipped_texts():
    from survey.features.builder import engagement

    for file in SHIPPED:
        yield from (
            (f"{file.name}{path}", text)
            for path, text in _dutch_texts(json.loads(file.read_text(encoding="utf-8")))
        )
    module = (engagement.ITEMS, engagement.MODULE_HELP, engagement.ABOUT_YOU)
    yield from (
        (f"engagement.py{p}", t) for p, t in _dutch_texts([*module, engagement.ABOUT_YOU_HELP])
    )


def test_every_dutch_text_we_ship_is_plain():
    texts = list(_shipped_texts())
    failing = [
        f"{where}: {text!r} -> {[(f.kind, f.text) for f in plain.check(text).findings]}"
        for where, text in texts
        if not plain.check(text).passes
    ]
    assert len(texts) > 150
    assert not failing, "Above B1:\n" + "\n".join(failing)
