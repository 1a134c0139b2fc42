"""Vertalingen: a survey's texts (and its updates) for one language as a PO file, and back.

A PO file is what translators and their tools (Poedit, Weblate, Lokalise) already read: each
entry's msgid is the Dutch source text, its msgctxt names the item ("question:Q3:option:2"),
its msgstr is the translation, and a comment says where residents see it. Nothing here is a
format of our own. Reading a file back checks every entry and changes nothing when one is
wrong (an unknown item, placeholders that differ from the Dutch); a Dutch text that changed
since the export is left out and named, so no translation of an old text slips in.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.core.forms import CONTROL
from survey.extensions import db
from survey.models import Officer, Survey, Update, bump_structure

SOURCE = "nl"
MAX_BYTES = 1024 * 1024
MAX_TEXT = 5000
# {name}, {0}, %(name)s, %s, %d: what a program fills in, so a translation must keep them
PLACEHOLDER = re.compile(r"\{[A-Za-z0-9_]*\}|%\([A-Za-z0-9_]+\)[sdif]|%[sdif]")
UPDATE_FIELDS = ("heard", "doing", "not_doing")


@dataclass
class Item:
    """One translatable text: where it is kept, its Dutch source and where residents see it."""

    context: str
    source: str
    translation: str
    where: str
    owner: object  # the Survey, Question or Update that holds it
    path: tuple  # how to reach it on the owner: ("text",), ("options", 2), ("settings", "low")


@dataclass
class Report:
    """What reading a PO file found; `errors` refuse the whole file."""

    lang: str
    entries: int = 0
    changed: int = 0
    untranslated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


# --- the items of a survey ------------------------------------------------------------------


def _texts_of(owner, path: tuple) -> dict:
    value = getattr(owner, path[0])
    if path[0] == "options":
        value = value[path[1]].get("text")
    elif path[0] == "settings":
        value = (value or {}).get(path[1])
    return value if isinstance(value, dict) else {}


def _item(context: str, owner, path: tuple, lang: str, where) -> Item | None:
    texts = _texts_of(owner, path)
    source = texts.get(SOURCE) or ""
    if not isinstance(source, str) or not source.strip():
        return None
    return Item(context, source, texts.get(lang) or "", str(where), owner, path)


SCALE_ENDS = {"low": _l("laagste kant van de schaal"), "high": _l("hoogste kant van de schaal")}


def _question_items(question, lang: str) -> list[Item | None]:
    code = question.code
    where = _l("Vraag %(code)s", code=code)

    def item(name: str, path: tuple, shown):
        return _item(f"question:{code}:{name}", question, path, lang, shown)

    found = [
        item("text", ("text",), where),
        item("help", ("help",), _l("%(w)s: uitleg", w=where)),
    ]
    for n, option in enumerate(question.options or []):
        value = option.get("value")
        shown = _l("%(w)s: antwoord %(value)s", w=where, value=value)
        found.append(item(f"option:{value}", ("options", n), shown))
    for end, label in SCALE_ENDS.items():
        found.append(item(end, ("settings", end), _l("%(w)s: %(end)s", w=where, end=label)))
    return found


def _update_items(update: Update, lang: str) -> list[Item]:
    found = []
    for name in UPDATE_FIELDS:
        source = getattr(update, name) or ""
        if source.strip():
            current = ((update.translations or {}).get(lang) or {}).get(name) or ""
            where = _l("Terugkoppeling %(n)s (uitkomsten en mail aan volgers)", n=update.id)
            found.append(
                Item(f"update:{update.id}:{name}", source, current, str(where), update, (name,))
            )
    return found


def find_survey(slug: str) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def items(survey: Survey, lang: str) -> list[Item]:
    """Every text of the survey that residents may see, in the order of the survey."""
    found = [
        _item("survey:title", survey, ("title",), lang, _l("Titel van de peiling")),
        _item("survey:intro", survey, ("intro",), lang, _l("Uitleg aan het begin")),
        _item(
            "survey:expectations",
            survey,
            ("expectations",),
            lang,
            _l("Verwachtingen (vrijwilligers)"),
        ),
    ]
    for question in sorted(survey.questions, key=lambda q: (q.position, q.id or 0)):
        if not question.resident_written:  # a resident's own statement is not translated
            found += _question_items(question, lang)
    updates = db.session.scalars(
        select(Update).where(Update.survey_id == survey.id).order_by(Update.id)
    )
    for update in updates:
        found += _update_items(update, lang)
    return [i for i in found if i is not None]


def completeness(survey: Survey, lang: str) -> tuple[int, int]:
    """(translated, total) items of the survey in a language."""
    found = items(survey, lang)
    return sum(1 for i in found if i.translation.strip()), len(found)


def overview(survey: Survey) -> list[dict]:
    """Per offered language but Dutch: how many items are translated, and the percentage."""
    rows = []
    for lang in survey.languages or []:
        if lang == SOURCE:
            continue
        done, total = completeness(survey, lang)
        percent = 100 if total == 0 else done * 100 // total
        rows.append({"lang": lang, "translated": done, "total": total, "percent": percent})
    return rows


def incomplete_languages(survey: Survey) -> list[str]:
    return [row["lang"] for row in overview(survey) if row["translated"] < row["total"]]


def _check_lang(survey: Survey, lang: str) -> None:
    if lang == SOURCE:
        raise UserError(_l("Nederlands is de brontaal: die vertaal je niet."), field="lang")
    if lang not in (survey.languages or []):
        raise UserError(_l("De peiling wordt niet in deze taal aangeboden."), field="lang")


# --- export ---------------------------------------------------------------------------------


def export_po(survey: Survey, lang: str) -> bytes:
    """The survey's texts for one language as a PO file (UTF-8)."""
    _check_lang(survey, lang)
    catalog = Catalog(
        locale=lang,
        project=f"Buurtpeiling: {survey.slug}",
        fuzzy=False,
        charset="utf-8",
    )
    for item in items(survey, lang):
        catalog.add(item.source, item.translation, context=item.context, auto_comments=[item.where])
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, sort_output=False)
    return out.getvalue()


# --- import ---------------------------------------------------------------------------------


def _catalog(data: bytes) -> Catalog:
    if len(data) > MAX_BYTES:
        raise UserError(_l("Het bestand is te groot (hoogstens 1 MB)."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            _l("Dit bestand kunnen we niet lezen. Sla het op als PO-bestand in UTF-8."),
            field="file",
        ) from None
    if "\x00" in text or "msgid" not in text:
        raise UserError(
            _l("Dit is geen PO-bestand. Download het bestand hier en vul dat in."), field="file"
        )
    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except (PoFileError, ValueError, IndexError) as exc:
        raise UserError(
            _l("Dit PO-bestand klopt niet: %(reason)s", reason=str(exc)[:200]), field="file"
        ) from None
    if not any(m.id for m in catalog):
        raise UserError(_l("In dit PO-bestand staan geen teksten."), field="file")
    return catalog


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text or ""))


UNKNOWN = _l("Onbekend item: %(ctx)s")
OUTDATED = _l("Verouderd: de Nederlandse tekst van %(ctx)s is veranderd. Vertaal de nieuwe tekst.")
MISMATCH = _l("%(ctx)s: de plekhouders kloppen niet met het Nederlands (nodig: %(wanted)s).")
UNSTORABLE = _l("%(ctx)s: deze tekst kunnen we niet bewaren (te lang of een vreemd teken).")


def _problem(found: list, message, text, **values) -> None:
    found.append((message.lineno or 0, str(text) % values))


def _check(message, item: Item | None, report: Report) -> str | None:
    """The translation to store, or None; problems go into the report by line number."""
    string = message.string if isinstance(message.string, str) else (message.string or [""])[0]
    if item is None:
        _problem(report.errors, message, UNKNOWN, ctx=message.context or "(geen msgctxt)")
        return None
    if not string.strip() or message.fuzzy:
        report.untranslated += 1
        return None
    if message.id != item.source:
        _problem(report.notes, message, OUTDATED, ctx=item.context)
        return None
    if placeholders(string) != placeholders(item.source):
        wanted = " ".join(placeholders(item.source)) or "-"
        _problem(report.errors, message, MISMATCH, ctx=item.context, wanted=wanted)
        return None
    if CONTROL.search(string) or len(string) > MAX_TEXT:
        _problem(report.errors, message, UNSTORABLE, ctx=item.context)
        return None
    return string


def _store(item: Item, lang: str, text: str) -> None:
    """Put a translation on its owner as new values, so that the JSON columns are saved."""
    owner, path = item.owner, item.path
    if isinstance(owner, Update):
        translations = copy.deepcopy(owner.translations or {})
        translations.setdefault(lang, {})[path[0]] = text
        owner.translations = translations
        return
    value = copy.deepcopy(getattr(owner, path[0]) or ({} if path[0] != "options" else []))
    if path[0] == "options":
        value[path[1]]["text"] = {**(value[path[1]].get("text") or {}), lang: text}
    elif path[0] == "settings":
        value[path[1]] = {**(value.get(path[1]) or {}), lang: text}
    else:
        value[lang] = text
    setattr(owner, path[0], value)


def import_po(officer: Officer | None, survey: Survey, lang: str, data: bytes) -> Report:
    """Read a translated PO file into the survey; any error refuses the whole file.

    What residents see changes at once: the question structure's version goes up, so every
    app server reads the questions afresh.
    """
    _check_lang(survey, lang)
    catalog = _catalog(data)
    by_context = {item.context: item for item in items(survey, lang)}
    report = Report(lang)
    chosen = []
    for message in catalog:
        if not message.id:  # the header
            continue
        report.entries += 1
        text = _check(message, by_context.get(message.context or ""), report)
        item = by_context.get(message.context or "")
        if text is not None and text != item.translation:
            chosen.append((item, text))
    if report.errors:
        return report
    for item, text in chosen:
        _store(item, lang, text)
    report.changed = len(chosen)
    if chosen:
        bump_structure(survey)
    audit(officer, "import_translations", survey.slug, lang=lang, changed=report.changed)
    db.session.commit()
    return report


def summary(report: Report):
    """One line on what the import did."""
    return _l(
        "%(changed)s vertalingen ingelezen, %(untranslated)s nog niet vertaald.",
        changed=report.changed,
        untranslated=report.untranslated,
    )
