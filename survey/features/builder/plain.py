"""The B1 check beside the builder's Dutch texts: which texts of a question or survey to check."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from survey.profiling import plainlanguage


@dataclass(frozen=True)
class Checked:
    label: str
    text: str
    report: plainlanguage.Report


def _checked(texts) -> list[Checked]:
    return [
        Checked(str(label), text, plainlanguage.check(text))
        for label, text in texts
        if text and text.strip()
    ]


def question_checks(text: dict, help: dict | None, options: list) -> list[Checked]:
    """The Dutch question text, its help and its options (a saved question or a draft)."""
    texts = [(_l("Vraag"), (text or {}).get("nl", "")), (_l("Uitleg"), (help or {}).get("nl", ""))]
    texts += [
        (_l("Antwoord %(n)s", n=i), (o.get("text") or {}).get("nl", ""))
        for i, o in enumerate(options or [], 1)
    ]
    return _checked(texts)


def survey_checks(title: str, intro: str, expectations: str) -> list[Checked]:
    """The Dutch title, intro and expectations text of a survey."""
    return _checked(
        [
            (_l("Titel"), title),
            (_l("Uitleg aan het begin"), intro),
            (_l("Verwachtingen"), expectations),
        ]
    )


def open_points(checks: list[Checked]) -> int:
    return sum(len(c.report.findings) for c in checks)
