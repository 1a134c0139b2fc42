"""The B1 check of Dutch texts: long sentences, long words, passive voice, officialese, rare
words, a score.

A helper for officers, not a gate: each rule is a rule of thumb from plain-language guides
(B1: sentences of at most 15 words, words of at most four syllables, active voice, everyday
words). The score is Flesch–Douma, the Dutch Flesch reading ease (textstat's constants for
"nl"), with syllables counted by Pyphen's Dutch hyphenation dictionary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).with_name("plainlanguage.json")
COMMON_FILE = Path(__file__).with_name("common_words_nl.txt")
RARE_MIN_LETTERS = 7  # shorter words are left alone: too many are fine and not in any list
RARE_SUGGESTION = "Is er een gewoner woord?"
# Endings stripped before a word is looked up (longest first): "buurten" -> "buurt".
ENDINGS = ("ste", "ten", "den", "en", "te", "de", "er", "e", "s", "t")
LINKS = ("en", "s", "e")  # between the parts of a compound: "fiets-en-stalling"
MAX_SENTENCE_WORDS = 15
MAX_SYLLABLES = 4
# Flesch–Douma: 206.835 - 0.93 * words per sentence - 77 * syllables per word.
DOUMA = (206.835, 0.93, 77.0)
# Douma scores from 60 up read as "easy" for most adults, which is about B1.
B1_SCORE = 60

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
WORDEN = frozenset({"word", "wordt", "worden", "werd", "werden", "geworden"})
ZIJN = frozenset({"is", "zijn", "was", "waren", "ben", "bent"})
# Past participles: ge-...-d/t/en, or a prefix that takes no ge- (be-, ver-, ont-, her-, er-).
# Only looked for in a sentence with a form of "worden" (or "zijn" and "door"), where an
# infinitive such as "vergeten" is rare.
PARTICIPLE = re.compile(r"^(?:ge|be|ver|ont|her|er)\w{2,}(?:d|t|en)$")
NOT_PARTICIPLES = frozenset(
    {"gebied", "geld", "geluid", "gezond", "gemeenten", "geven", "gehoord", "genoeg", "gebruiken"}
    | {"gewoon", "geleden", "gezien", "beter", "belangrijkst", "veiligheid", "verkeer"}
)


@dataclass(frozen=True)
class Finding:
    """One thing above B1: kind is sentence, word, passive, officialese or rare."""

    kind: str
    text: str  # the sentence, word or phrase as written
    start: int  # where it starts in the checked text
    suggestion: str = ""  # the plain alternative (officialese), a question (rare)
    count: int = 0  # words in the sentence, syllables in the word


@dataclass(frozen=True)
class Report:
    score: float  # Flesch–Douma; higher is easier
    words: int
    sentences: int
    findings: tuple[Finding, ...] = field(default=())

    @property
    def passes(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class Wordlist:
    pattern: re.Pattern  # every officialese form
    plain: dict  # officialese form (lower case) -> alternative
    allowed: frozenset = frozenset()  # long words that are the usual name of a thing


def load_wordlist(path: Path | str = DEFAULT_FILE) -> Wordlist:
    """Our officialese (found as whole words or phrases, any case) and allowed long words."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    entries = data["officialese"]
    plain = {form.lower(): entry["plain"] for entry in entries for form in entry["forms"]}
    forms = sorted(plain, key=len, reverse=True)  # "dienen te" before "dienen"
    alternatives = "|".join(re.escape(form) for form in forms)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return Wordlist(pattern, plain, frozenset(w.lower() for w in data.get("allowed", ())))


@cache
def _default_wordlist() -> Wordlist:
    return load_wordlist()


@cache
def common_words(path: Path | str = COMMON_FILE) -> frozenset:
    """Our list of everyday Dutch words (A2/B1), one a line; lines starting with # are notes."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _stems(word: str) -> list[str]:
    """The word and what it may be an inflection of: "straten" -> "strat", "straat"."""
    found = [word]
    for ending in ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3:
            found.append(stem)
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
                found.append(stem[:-1])  # "bakken" -> "bakk" -> "bak"
            if stem[-2] in "aeou" and stem[-3] not in "aeiou" and stem[-1] not in "aeiou":
                found.append(stem[:-2] + stem[-2] + stem[-2:])  # "straten" -> "straat"
            if stem[-1] in "vz":
                found.append(stem[:-1] + {"v": "f", "z": "s"}[stem[-1]])  # "huizen" -> "huis"
    return found


def _listed(word: str, known: frozenset) -> bool:
    return any(stem in known for stem in _stems(word))


def _compound(word: str, known: frozenset) -> bool:
    """Two listed words, each at least 3 letters, maybe with a linking s, e or en."""
    for i in range(3, len(word) - 2):
        left, right = word[:i], word[i:]
        if not _listed(right, known):
            continue
        lefts = [left] + [left[: -len(link)] for link in LINKS if left.endswith(link)]
        if any(len(part) >= 3 and part in known for part in lefts):
            return True
    return False


def is_rare(word: str, allowed: frozenset = frozenset(), known: frozenset | None = None) -> bool:
    """A word of 7 letters or more that is not everyday Dutch (nor its inflection or compound)."""
    known = common_words() if known is None else known
    word = word.lower()
    if len(word) < RARE_MIN_LETTERS or not word.isalpha() or word in allowed:
        return False
    return not any(
        stem in allowed or stem in known or _compound(stem, known) for stem in _stems(word)
    )


@cache
def _hyphenator():
    import pyphen  # loaded on first use: nothing heavy at import

    return pyphen.Pyphen(lang="nl_NL", left=1, right=1)


def syllables(word: str) -> int:
    """Syllables of a Dutch word, from its hyphenation points."""
    return sum(_part_syllables(word))


def _part_syllables(word: str) -> list[int]:
    # A compound written with hyphens ("PDF-bestanden") reads as its parts.
    return [len(_hyphenator().positions(part)) + 1 for part in word.split("-") if part]


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of a text with where each starts; a line break ends a sentence too."""
    found, start = [], 0
    for match in [*SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        if WORD.search(piece):
            lead = len(piece) - len(piece.lstrip())
            found.append((start + lead, piece.strip()))
        start = match.end() if match else end
    return found


def _passive(sentence: str) -> bool:
    words = [w.lower() for w in WORD.findall(sentence)]
    participles = [w for w in words if PARTICIPLE.match(w) and w not in NOT_PARTICIPLES]
    if not participles:
        return False
    # "zijn" + participle is also the active perfect ("ik ben gegaan"): only with a "door".
    return bool(WORDEN.intersection(words)) or (bool(ZIJN.intersection(words)) and "door" in words)


def check(text: str, wordlist: Wordlist | None = None) -> Report:
    """Check one Dutch text; the findings in the order they occur."""
    wordlist = wordlist or _default_wordlist()
    findings: list[Finding] = []
    words = syllable_count = 0
    parts = sentences(text or "")
    for start, sentence in parts:
        found, counted = _check_sentence(sentence, start, wordlist)
        findings += found
        words += len(counted)
        syllable_count += sum(counted)
    findings.sort(key=lambda f: f.start)
    return Report(_douma(words, len(parts), syllable_count), words, len(parts), tuple(findings))


def _check_sentence(sentence: str, start: int, wordlist: Wordlist):
    """The findings of one sentence, and the syllables of each of its words."""
    words = list(WORD.finditer(sentence))
    found = []
    if len(words) > MAX_SENTENCE_WORDS:
        found.append(Finding("sentence", sentence, start, count=len(words)))
    if _passive(sentence):
        found.append(Finding("passive", sentence, start))
    taken = set()  # where officialese is, a long word there is not flagged twice
    for match in wordlist.pattern.finditer(sentence):
        plain = wordlist.plain[match.group().lower()]
        found.append(Finding("officialese", match.group(), start + match.start(), plain))
        taken.update(range(match.start(), match.end()))
    parts = [_part_syllables(word.group()) for word in words]
    for word, part in zip(words, parts, strict=True):
        count = max(part)
        long = count > MAX_SYLLABLES and word.group().lower() not in wordlist.allowed
        if long and word.start() not in taken:
            found.append(Finding("word", word.group(), start + word.start(), count=count))
        elif word.start() not in taken and _rare(word.group(), word.start() == 0, wordlist):
            found.append(Finding("rare", word.group(), start + word.start(), RARE_SUGGESTION))
    return found, [sum(part) for part in parts]


def _rare(word: str, first: bool, wordlist: Wordlist) -> bool:
    # A capital inside a sentence is a name ("Voorbeeldstad"), all capitals an abbreviation.
    if (not first and word[:1].isupper()) or word.isupper():
        return False
    return any(is_rare(part, wordlist.allowed) for part in re.split(r"[-'’]", word))


def _douma(words: int, sentence_count: int, syllable_count: int) -> float:
    if not words or not sentence_count:
        return 0.0
    base, per_sentence, per_syllable = DOUMA
    score = base - per_sentence * words / sentence_count - per_syllable * syllable_count / words
    return round(score, 1)


def check_all(texts: dict[str, str]) -> dict[str, Report]:
    """Check several texts at once (name -> text); empty texts are left out."""
    return {name: check(text) for name, text in texts.items() if text and text.strip()}
