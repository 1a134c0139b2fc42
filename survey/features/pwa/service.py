"""What a phone keeps to answer a survey offline: the questions, their order and conditions.

The service worker decides the way through the questions on the phone (show-if, the
verdieping, progress) with static/js/navigation.js: the rule of answering/navigation.py.
"""

from __future__ import annotations

import hashlib
import json

from survey.features.answering import navigation
from survey.features.answering import service as answering
from survey.models import Channel, Question, Survey


def questions(survey: Survey) -> list[Question]:
    """Every question a resident may be shown, in order; show-if is decided on the phone."""
    return navigation.offered(survey.questions)


def describe(survey: Survey) -> dict:
    """The survey's structure, without texts: enough to walk through it offline."""
    return {
        "kind": survey.kind,
        "seconds_per_question": answering.seconds_per_question(survey),
        "questions": [
            {
                "code": q.code,
                "type": q.type,
                "layer": q.layer,
                "required": q.required,
                "show_if": q.show_if or None,
                "pick": int(q.settings.get("pick", 3)) if q.type == "ranking" else None,
            }
            for q in questions(survey)
        ],
    }


def version(channel: Channel, lang: str, build: str) -> str:
    """A fingerprint of everything an offline copy shows: it changes when the survey changes."""
    survey = channel.survey
    data = [
        build,
        lang,
        channel.code,
        [survey.kind, survey.status, survey.title, survey.intro, survey.organisation],
        [
            [q.code, q.position, q.type, q.text, q.help, q.options, q.settings, q.required]
            + [q.layer, q.show_if, q.hidden, q.review]
            for q in survey.questions
        ],
        [[a.cbs_code, a.name] for a in answering.buurten(survey)]
        if any(q.type == "area" for q in survey.questions)
        else [],
    ]
    blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]
