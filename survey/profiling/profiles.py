"""Profile definitions: the engagement items, and eight profiles read from a JSON file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_FILE = Path(__file__).with_name("profiles.json")
MIXED = "gemengd"

# The engagement items of DESIGN.md: answer range of each scalar item.
SCALAR_ITEMS: dict[str, tuple[int, int]] = {
    "attachment": (1, 5),
    "local_network": (1, 5),
    "trust": (1, 5),
    "heard": (1, 5),
    "knows_way": (1, 5),
    "think_along": (1, 5),
    "hands_on": (1, 5),
    "influence": (0, 5),
    "time": (0, 3),
}
CHANNEL_CODES = ("online", "social", "print", "in_person")
ITEMS = (*SCALAR_ITEMS, "channels")  # the ten items a respondent may answer
FEATURES = (*SCALAR_ITEMS, *CHANNEL_CODES)  # the columns of the feature matrix


class DefinitionError(ValueError):
    """A definitions file that cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class Profile:
    code: str
    name: dict
    description: dict
    prototype: dict  # feature -> value on the answer scale (channels 0/1)
    channels: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()

    def name_in(self, lang: str) -> str:
        return _text(self.name, lang)

    def description_in(self, lang: str) -> str:
        return _text(self.description, lang)


@dataclass(frozen=True)
class Instrument:
    code: str
    name: dict
    description: dict

    def name_in(self, lang: str) -> str:
        return _text(self.name, lang)

    def description_in(self, lang: str) -> str:
        return _text(self.description, lang)


@dataclass(frozen=True)
class ProfileSet:
    profiles: tuple[Profile, ...]
    instruments: dict[str, Instrument]
    mixed: Profile
    digest: str = ""
    by_code: dict = field(default_factory=dict)
    short_module: tuple[str, ...] = ()  # the items of the short module (empty: none given)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.profiles]

    def get(self, code: str) -> Profile:
        """The profile with this code; the mixed group for codes not in this set.

        A mixed code with a letter (gemengd-a, gemengd-b, one per cluster that matches no
        prototype) gives the mixed group named with that letter: "Gemengd A", "Mixed A".
        """
        if code in self.by_code:
            return self.by_code[code]
        letter = mixed_letter(code)
        if letter is None:
            return self.mixed
        name = {lang: f"{text} {letter.upper()}" for lang, text in self.mixed.name.items()}
        return Profile(code, name, self.mixed.description, {})


def mixed_letter(code: str) -> str | None:
    """The letter of a mixed code such as gemengd-b; None for any other code."""
    prefix = MIXED + "-"
    if code.startswith(prefix) and len(code) == len(prefix) + 1 and "a" <= code[-1] <= "z":
        return code[-1]
    return None


def is_mixed(code: str) -> bool:
    """Whether the code is the mixed group, with or without a letter."""
    return code == MIXED or mixed_letter(code) is not None


def _text(texts: dict, lang: str) -> str:
    return texts.get(lang) or texts.get("nl") or next(iter(texts.values()), "")


def load_profiles(path: str | Path | None = None) -> ProfileSet:
    """Read and check a definitions file (the shipped one when path is empty)."""
    path = Path(path) if path else DEFAULT_FILE
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except OSError as exc:
        raise DefinitionError(f"cannot read profile definitions {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise DefinitionError(f"profile definitions {path} are not valid JSON: {exc}") from None
    return parse_profiles(data, hashlib.sha256(raw).hexdigest()[:12])


def parse_profiles(data: dict, digest: str = "") -> ProfileSet:
    """Build a ProfileSet from the decoded JSON, with a clear message for every problem."""
    if not isinstance(data, dict):
        raise DefinitionError("profile definitions must be a JSON object")
    instruments = {}
    for spec in data.get("instruments") or []:
        if not isinstance(spec, dict) or not spec.get("code"):
            raise DefinitionError("every instrument needs a code")
        instrument = Instrument(spec["code"], _texts(spec, "name"), _texts(spec, "description"))
        instruments[instrument.code] = instrument
    profiles = tuple(_profile(spec, instruments) for spec in data.get("profiles") or [])
    codes = [p.code for p in profiles]
    if len(profiles) < 2:
        raise DefinitionError("profile definitions need at least two profiles")
    if len(set(codes)) != len(codes) or MIXED in codes:
        raise DefinitionError(f"profile codes must be unique and not {MIXED!r}")
    mixed_spec = data.get("mixed") or {}
    mixed = Profile(
        MIXED,
        mixed_spec.get("name") or {"nl": "Gemengd", "en": "Mixed"},
        mixed_spec.get("description") or {"nl": "", "en": ""},
        {},
    )
    short = _short_module(data.get("short_module"))
    return ProfileSet(profiles, instruments, mixed, digest, {p.code: p for p in profiles}, short)


def _short_module(spec) -> tuple[str, ...]:
    """The short module's item codes: distinct codes of ITEMS, in the order of ITEMS."""
    if spec is None:
        return ()
    if not isinstance(spec, list) or not spec or not all(isinstance(c, str) for c in spec):
        raise DefinitionError("short_module must be a list of item codes")
    unknown = [c for c in spec if c not in ITEMS]
    if unknown:
        raise DefinitionError(f"short_module: unknown items {', '.join(unknown)}")
    if len(set(spec)) != len(spec):
        raise DefinitionError("short_module: an item is listed twice")
    return tuple(c for c in ITEMS if c in spec)


def _texts(spec: dict, key: str) -> dict:
    texts = spec.get(key)
    if not isinstance(texts, dict) or not texts.get("nl"):
        raise DefinitionError(f"{spec.get('code', '?')}: {key} needs at least a Dutch text")
    return texts


def _profile(spec: dict, instruments: dict) -> Profile:
    code = spec.get("code") if isinstance(spec, dict) else None
    if not code or not isinstance(code, str):
        raise DefinitionError("every profile needs a code")
    prototype = spec.get("prototype") or {}
    if len(prototype) < 2:
        raise DefinitionError(f"{code}: the prototype needs at least two items")
    for feature, value in prototype.items():
        if feature not in FEATURES:
            raise DefinitionError(f"{code}: unknown item {feature!r} in the prototype")
        low, high = SCALAR_ITEMS.get(feature, (0, 1))
        if not isinstance(value, int | float) or not low <= value <= high:
            raise DefinitionError(f"{code}: {feature} must be between {low} and {high}")
    unknown = [c for c in spec.get("instruments", []) if c not in instruments]
    if unknown:
        raise DefinitionError(f"{code}: unknown instruments {', '.join(unknown)}")
    bad_channels = [c for c in spec.get("channels", []) if c not in CHANNEL_CODES]
    if bad_channels:
        raise DefinitionError(f"{code}: unknown channels {', '.join(bad_channels)}")
    return Profile(
        code,
        _texts(spec, "name"),
        _texts(spec, "description"),
        {k: float(v) for k, v in prototype.items()},
        tuple(spec.get("channels", [])),
        tuple(spec.get("instruments", [])),
    )
