"""Personal data in text a resident wrote: find it, and mask it for whoever reads the text.

Kinds: e-mail addresses, Dutch phone numbers, a postcode with its house number, an IBAN (with
its mod-97 check), a BSN (nine digits that pass the 11-test) and a name after words such as
"ik ben" or "mijn buurman". Pure: imports nothing of the app.
"""

from __future__ import annotations

import re

MASKS = {
    "email": "[e-mail]",
    "phone": "[telefoon]",
    "address": "[adres]",
    "iban": "[rekening]",
    "bsn": "[bsn]",
    "name": "[naam]",
}

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# After +31, 0031 or the trunk 0 (an optional "(0)"): nine digits, the first not 0, with single
# spaces, dots or a hyphen between them: 06-12345678, +31 6 1234 5678, 010 123 45 67.
_SEP = r"(?:\s?-\s?|[ .])?"
_PHONE = re.compile(
    rf"(?<![\w+@])(?:\+31|0031|0)(?:\s?\(0\))?{_SEP}[1-9](?:{_SEP}\d){{8}}(?![\d@])"
)
# Postcode letters in capitals, or in lower case written against the digits ("1234ab"), so
# that "2024 en 12 bomen" is no address; then a house number with an optional addition.
_POSTCODE = r"[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})(?![A-Za-z])"
_HOUSE = r"\d{1,5}(?:\s?-\s?\d{1,4}|\s?[A-Za-z](?![A-Za-z]))?"
_ADDRESS = re.compile(
    rf"(?<![\w-])(?:{_POSTCODE}[ \t]+{_HOUSE}(?!\d)|{_HOUSE},?[ \t]+{_POSTCODE})(?![\w-])"
)
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]{4}){2,7}(?:\s?[A-Za-z0-9]{1,3})?)"
    r"(?![A-Za-z0-9])"
)
_BSN = re.compile(r"(?<![\d.,-])(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}\.\d{3}\.\d{3})(?![\d,-]|\.\d)")
_NAME_AFTER = re.compile(
    r"\b(?:ik\s+ben|ik\s+heet|mijn\s+naam\s+is|(?:mijn\s+)?buurman|(?:mijn\s+)?buurvrouw)\s+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")
_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "in", "op"}
# Capitalised words after "ik ben" that are no name.
_NOT_NAMES = {
    "Nederlander",
    "Nederlands",
    "Nederlandse",
    "Turks",
    "Turkse",
    "Marokkaans",
    "Marokkaanse",
    "Surinaams",
    "Surinaamse",
    "Pools",
    "Poolse",
    "Moslim",
    "Christen",
    "Het",
    "De",
    "Een",
    "Ik",
    "Wij",
    "Dat",
    "Dit",
    "Er",
    "Niet",
    "Wel",
    "Ook",
    "Heel",
    "Erg",
    "Blij",
    "Boos",
}


def _capitalised(word: str) -> bool:
    return word[0].isupper() and word not in _NOT_NAMES


def _iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact[2:4].isdigit():
        return False
    if compact.startswith("NL") and (len(compact) != 18 or not compact[4:8].isalpha()):
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _bsn_valid(candidate: str) -> bool:
    digits = [int(c) for c in candidate if c.isdigit()]
    if len(digits) != 9 or not any(digits):
        return False
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def _names(text: str):
    """Spans of one capitalised word (and an optional second, with particles) after a trigger."""
    for trigger in _NAME_AFTER.finditer(text):
        pos, start, end, words = trigger.end(), None, None, 0
        while words < 2:
            particles = pos
            while True:  # "van der" in "Jan van der Berg"
                word = _WORD.match(text, particles)
                if word is None or word.group() not in _PARTICLES or start is None:
                    break
                particles = _skip_space(text, word.end())
            word = _WORD.match(text, particles)
            if word is None or not _capitalised(word.group()):
                break
            start = word.start() if start is None else start
            end, words = word.end(), words + 1
            pos = _skip_space(text, end)
            if pos == end:
                break
        if start is not None:
            yield start, end


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


_DIGIT = re.compile(r"\d")
_NAME_HINTS = ("ik", "naam", "buur")  # in every trigger of _NAME_AFTER


def _candidates(text: str):
    """(kind, start, end) of every kind, in the order that decides overlaps.

    Most answers hold no digit, no "@" and no trigger word: those skip the patterns that
    need one (an export masks every open answer).
    """
    if "@" in text:
        for m in _EMAIL.finditer(text):
            yield "email", m.start(), m.end()
    if _DIGIT.search(text):
        for m in _IBAN.finditer(text):
            if _iban_valid(m.group()):
                yield "iban", m.start(), m.end()
        for m in _PHONE.finditer(text):
            yield "phone", m.start(), m.end()
        for m in _ADDRESS.finditer(text):
            yield "address", m.start(), m.end()
        for m in _BSN.finditer(text):
            if _bsn_valid(m.group()):
                yield "bsn", m.start(), m.end()
    lower = text.lower()
    if any(hint in lower for hint in _NAME_HINTS):
        for start, end in _names(text):
            yield "name", start, end


def find(text: str | None) -> list[tuple[str, int, int]]:
    """Personal data in a text as (kind, start, end), in text order; earlier kinds win overlaps."""
    if not text:
        return []
    found: list[tuple[str, int, int]] = []
    for kind, start, end in _candidates(text):
        if all(end <= s or start >= e for _k, s, e in found):
            found.append((kind, start, end))
    return sorted(found, key=lambda f: f[1])


def mask(text: str | None) -> str | None:
    """The text with each piece of personal data replaced by its mask ("[e-mail]", ...)."""
    if not text:
        return text
    parts, last = [], 0
    for kind, start, end in find(text):
        parts += [text[last:start], MASKS[kind]]
        last = end
    return "".join(parts) + text[last:]


def has_personal_data(text: str | None) -> bool:
    return bool(find(text))


def kinds(text: str | None) -> list[str]:
    """The kinds found, each once, in the order of MASKS."""
    found = {kind for kind, _s, _e in find(text)}
    return [kind for kind in MASKS if kind in found]
