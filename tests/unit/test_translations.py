"""The gettext catalogs: complete, not fuzzy, placeholders kept, and loadable by the app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ["en", "tr", "pl", "ar"]
PLURAL_FORMS = {"en": 2, "tr": 2, "pl": 3, "ar": 6}
# Which msgstr[i] a count picks: Polish has one/few/many, Arabic zero/one/two/few/many/other.
PLURAL_INDEX = {
    "en": {1: 0, 2: 1, 5: 1},
    "tr": {1: 0, 2: 1, 5: 1},
    "pl": {1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 22: 1, 25: 2},
    "ar": {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5},
}
# %(name)s placeholders filled by gettext, and {n} placeholders filled by app.js.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def _messages(lang: str):
    """The catalog's entries, without the header and without obsolete ones."""
    return [m for m in _catalog(lang) if m.id]


def _strings(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def _key(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(lang):
    messages = _messages(lang)
    assert messages, f"{lang}: the catalog is empty"
    untranslated = [_key(m.id) for m in messages if not all(_strings(m))]
    fuzzy = [_key(m.id) for m in messages if m.fuzzy]
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert not _catalog(lang).fuzzy, f"{lang}: the catalog header is marked fuzzy"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_and_plural_forms_are_kept(lang):
    catalog = _catalog(lang)
    assert catalog.num_plurals == PLURAL_FORMS[lang]
    wrong = []
    for message in _messages(lang):
        ids = message.id if message.pluralizable else (message.id,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        strings = _strings(message)
        if message.pluralizable and len(strings) != catalog.num_plurals:
            wrong.append((_key(message.id), f"{len(strings)} plural forms"))
        wrong += [(_key(message.id), s) for s in strings if set(PLACEHOLDER.findall(s)) != wanted]
    assert not wrong, f"{lang}: placeholders or plural forms differ: {wrong[:5]}"
    errors = [(_key(m.id), [str(e) for e in errs]) for m, errs in catalog.check()]
    assert not errors, f"{lang}: {errors[:5]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_loads_and_translates(lang):
    """`pybabel compile -d translations` (make test runs it first) made a loadable catalog."""
    translations = Translations.load(str(TRANSLATIONS), [lang], domain="messages")
    assert isinstance(translations, Translations), (
        f"{lang}: no compiled catalog in {TRANSLATIONS}; run `pybabel compile -d translations`"
    )
    by_id = {m.id: m for m in _messages(lang)}
    assert translations.gettext("Volgende") == by_id["Volgende"].string != "Volgende"
    minutes = next(m for m in by_id.values() if m.pluralizable and "minuut" in m.id[0])
    for n, index in PLURAL_INDEX[lang].items():
        expected = minutes.string[index] % {"num": n}
        assert translations.ngettext(*minutes.id, n) % {"num": n} == expected


def test_catalogs_cover_every_text_in_the_code():
    """Texts added in code or templates after the last translation pass show up here."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    in_code = {_key(m[2]) for m in extract_from_dir(str(ROOT), method_map, options_map, keywords)}
    for lang in LANGUAGES:
        missing = sorted(in_code - {_key(m.id) for m in _messages(lang)})
        assert not missing, (
            f"{lang}: {len(missing)} texts are not in the catalog yet (run pybabel extract "
            f"and update, then translate), e.g. {missing[:5]}"
        )
