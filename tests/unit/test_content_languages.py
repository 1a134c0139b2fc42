"""The shipped content in five languages: the demo, the survey templates, the engagement
module and the profiles each have every resident-facing text in nl, en, tr, pl and ar."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from survey.config import LANGUAGES
from survey.features.builder import engagement
from survey.models._types import TRANSLATION_STATUSES
from survey.profiling.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    ROOT / "survey/features/demo/voorbeeldstad.json",
    *sorted((ROOT / "survey/features/builder/survey_templates").glob("*.json")),
    ROOT / "survey/profiling/profiles.json",
]
OTHERS = ("tr", "pl", "ar")
LETTERS = {"tr": "şğıçöüİŞĞÇÖÜ", "pl": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"}
ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN = re.compile(r"[A-Za-z]")


def _texts(node, where="") -> list[tuple[str, dict]]:
    """Every {lang: text} in a decoded file, with where it is."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("nl"), str):
            return [(where, node)]
        for key, value in node.items():
            if key != "translation_status":
                found += _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _texts(value, f"{where}[{i}]")
    return found


def _update_texts(data: dict) -> list[tuple[str, dict]]:
    """The demo's updates keep Dutch in their fields and the other languages beside them."""
    return [
        (f"updates[{i}].{field}", {"nl": update[field], **update["translations"][field]})
        for i, update in enumerate(data.get("updates", []))
        for field in ("heard", "doing", "not_doing")
    ]


def _module_texts() -> list[tuple[str, dict]]:
    found = [("module help", engagement.MODULE_HELP), ("about-you help", engagement.ABOUT_YOU_HELP)]
    found += [(f"agree {end}", texts) for end, texts in engagement.AGREE.items()]
    for spec in engagement.ITEMS + engagement.ABOUT_YOU:
        found += _texts(spec, spec["code"])
    return found


def _all_texts() -> dict[str, list[tuple[str, dict]]]:
    found = {}
    for path in FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        found[path.name] = _texts(data) + _update_texts(data)
    found["engagement.py"] = _module_texts()
    return found


CONTENT = _all_texts()


@pytest.mark.parametrize("name", list(CONTENT))
def test_every_text_is_in_all_five_languages(name):
    texts = CONTENT[name]
    assert len(texts) >= 10
    problems = []
    for where, text in texts:
        missing = [lang for lang in LANGUAGES if lang not in text]
        if missing:
            problems.append(f"{where}: no {', '.join(missing)}")
        elif text["nl"] and not all(text[lang].strip() for lang in LANGUAGES):
            problems.append(f"{where}: an empty translation")
        elif text["nl"] and any(text[lang] == text["nl"] for lang in OTHERS):
            problems.append(f"{where}: a translation that is the Dutch text")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(CONTENT))
def test_the_translations_are_written_in_their_own_script(name):
    texts = [t for _, t in CONTENT[name] if t["nl"]]
    for lang, letters in LETTERS.items():
        joined = " ".join(t[lang] for t in texts)
        assert any(c in letters for c in joined), f"{name}: no {lang} letters at all"
    for where, text in CONTENT[name]:
        arabic = text["ar"]
        if not text["nl"]:
            continue
        # names of places and people (Molenwijk, Sanne de Vries) and "QR" stay in Latin letters
        assert len(ARABIC.findall(arabic)) > 2 * len(LATIN.findall(arabic)), f"{where}: {arabic}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_says_who_wrote_each_language(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    status = data["translation_status"]
    assert set(status) == set(LANGUAGES) and status["nl"] == "source"
    assert all(status[lang] == "needs_native_check" for lang in OTHERS)
    items = [u.get("translation_status", {}) for u in data.get("updates", [])]
    assert all(set(s.values()) <= set(TRANSLATION_STATUSES) for s in [status, *items])


def test_the_module_says_who_wrote_each_language():
    status = engagement.TRANSLATION_STATUS
    assert set(status) == set(LANGUAGES) and set(status.values()) <= set(TRANSLATION_STATUSES)


def test_the_profiles_load_with_their_translations():
    profiles = load_profiles()
    for profile in [*profiles.profiles, profiles.mixed]:
        assert {profile.name_in(lang) for lang in LANGUAGES} == {
            profile.name[lang] for lang in LANGUAGES
        }
        assert profile.description_in("ar") != profile.description_in("nl")
    assert profiles.get("gemengd-b").name_in("tr") == "Karışık B"
