"""The engagement module "Hoe doe jij mee?": the standard items of DESIGN.md."""

from __future__ import annotations

from survey.extensions import db
from survey.models import Question, Survey

AGREE = {
    "low": {"nl": "Helemaal oneens", "en": "Strongly disagree"},
    "high": {"nl": "Helemaal eens", "en": "Strongly agree"},
}


def _scale(code: str, nl: str, en: str) -> dict:
    return {
        "code": code,
        "item": code,
        "type": "scale",
        "text": {"nl": nl, "en": en},
        "settings": {"min": 1, "max": 5, **AGREE},
    }


def _labelled(code: str, nl: str, en: str, labels: list[tuple[str, str]]) -> dict:
    options = [{"value": str(i), "text": {"nl": a, "en": b}} for i, (a, b) in enumerate(labels)]
    return {
        "code": code,
        "item": code,
        "type": "scale",
        "text": {"nl": nl, "en": en},
        "options": options,
        "settings": {"min": 0, "max": len(labels) - 1},
    }


ITEMS: list[dict] = [
    _scale(
        "attachment",
        "Ik voel me verbonden met mijn buurt.",
        "I feel connected to my neighbourhood.",
    ),
    _scale(
        "local_network",
        "Veel familie of vrienden van mij wonen dichtbij.",
        "Many of my family or friends live nearby.",
    ),
    _scale("trust", "Ik vertrouw de gemeente.", "I trust the municipality."),
    _scale(
        "heard",
        "Als ik mijn mening geef, doet de gemeente daar iets mee.",
        "If I give my opinion, the municipality does something with it.",
    ),
    _scale(
        "knows_way",
        "Ik weet hoe ik iets voor elkaar krijg bij de gemeente.",
        "I know how to get things done at the municipality.",
    ),
    _scale(
        "think_along",
        "Ik geef graag mijn mening over plannen.",
        "I like to give my views on plans.",
    ),
    _scale("hands_on", "Ik help graag zelf mee.", "I like to help out myself."),
    _labelled(
        "influence",
        "Hoeveel invloed wil je op plannen voor je buurt?",
        "How much say do you want in plans for your neighbourhood?",
        [
            ("Geen", "None"),
            ("Op de hoogte blijven", "Stay informed"),
            ("Mijn mening geven", "Give my opinion"),
            ("Advies geven", "Give advice"),
            ("Samen plannen maken", "Make plans together"),
            ("Mee beslissen", "Co-decide"),
        ],
    ),
    _labelled(
        "time",
        "Hoeveel tijd heb je per maand voor je buurt?",
        "How much time a month do you have for your neighbourhood?",
        [
            ("Geen", "None"),
            ("Minder dan 1 uur", "Under 1 hour"),
            ("1 tot 4 uur", "1 to 4 hours"),
            ("Meer dan 4 uur", "Over 4 hours"),
        ],
    ),
    {
        "code": "channels",
        "item": "channels",
        "type": "multiple",
        "text": {
            "nl": "Hoe hoor je het liefst van plannen in je buurt?",
            "en": "How do you prefer to hear about plans in your neighbourhood?",
        },
        "options": [
            {"value": "online", "text": {"nl": "Website of e-mail", "en": "Website or e-mail"}},
            {"value": "social", "text": {"nl": "Sociale media", "en": "Social media"}},
            {
                "value": "print",
                "text": {"nl": "Brief, krant of poster", "en": "Letter, paper or poster"},
            },
            {"value": "in_person", "text": {"nl": "Persoonlijk", "en": "In person"}},
        ],
    },
]
ITEM_CODES = tuple(item["code"] for item in ITEMS)
MODULE_HELP = {
    "nl": "Hoe doe jij mee? Deze vragen zijn niet verplicht.",
    "en": "How do you take part? These questions are optional.",
}


def add_engagement_module(survey: Survey, layer: str = "core") -> list[Question]:
    """Append the module's items to a survey (skipping items it has already); no commit."""
    present = {q.code for q in survey.questions}
    position = max((q.position for q in survey.questions), default=0)
    added = []
    for item in ITEMS:
        if item["code"] in present:
            continue
        position += 1
        question = Question(
            position=position,
            layer=layer,
            required=False,
            help=MODULE_HELP,
            options=item.get("options", []),
            settings=item.get("settings", {}),
            code=item["code"],
            item=item["item"],
            type=item["type"],
            text=item["text"],
        )
        survey.questions.append(question)
        added.append(question)
    db.session.flush()
    return added
