"""The engagement module "Hoe doe jij mee?": the standard items of DESIGN.md, in full (ten
questions) or short (five), and the three optional "over jou" questions."""

from __future__ import annotations

from survey.extensions import db
from survey.models import Question, Survey
from survey.profiling.characteristics import CHARACTERISTICS
from survey.profiling.profiles import load_profiles

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
ABOUT_YOU_HELP = {
    "nl": "Over jou. We vragen dit om te zien of we alle soorten bewoners bereiken. "
    "Je hoeft deze vraag niet te beantwoorden.",
    "en": "About you. We ask this to see whether we reach all kinds of residents. "
    "You do not have to answer this question.",
}


def _about_you(code: str, nl: str, en: str, labels: dict[str, tuple[str, str]]) -> dict:
    options = [
        {"value": value, "text": {"nl": labels[value][0], "en": labels[value][1]}}
        for value in CHARACTERISTICS[code]
    ]
    return {
        "code": code,
        "item": code,
        "type": "single",
        "text": {"nl": nl, "en": en},
        "options": options,
    }


ABOUT_YOU: list[dict] = [
    _about_you(
        "age_band",
        "Hoe oud ben je?",
        "How old are you?",
        {
            "15-24": ("15 tot 25 jaar", "15 to 24"),
            "25-44": ("25 tot 45 jaar", "25 to 44"),
            "45-64": ("45 tot 65 jaar", "45 to 64"),
            "65+": ("65 jaar of ouder", "65 or older"),
        },
    ),
    _about_you(
        "household",
        "Wonen er kinderen bij je in huis?",
        "Do children live in your home?",
        {"children": ("Ja", "Yes"), "no_children": ("Nee", "No")},
    ),
    _about_you(
        "tenure",
        "Heb je een koophuis of een huurhuis?",
        "Do you own or rent your home?",
        {"own": ("Koophuis", "I own it"), "rent": ("Huurhuis", "I rent it")},
    ),
]
ABOUT_YOU_CODES = tuple(q["code"] for q in ABOUT_YOU)


def has_module(survey: Survey) -> bool:
    """Whether a survey asks any engagement item already (the full or the short module)."""
    return any(q.item in ITEM_CODES for q in survey.questions)


def add_engagement_module(
    survey: Survey, layer: str = "core", short: bool = False, short_items=None
) -> list[Question]:
    """Append the module to a survey: all ten items, or with `short` the five `short_items`
    (item codes; the shipped profiles.json list when None), then the "over jou" questions.
    Skips questions the survey has already. No commit.
    """
    if short and short_items is None:
        short_items = load_profiles().short_module
    chosen = [i for i in ITEMS if i["code"] in short_items] if short else ITEMS
    present = {q.code for q in survey.questions}
    position = max((q.position for q in survey.questions), default=0)
    added = []
    for spec, help_text in [
        *((i, MODULE_HELP) for i in chosen),
        *((q, ABOUT_YOU_HELP) for q in ABOUT_YOU),
    ]:
        if spec["code"] in present:
            continue
        position += 1
        question = Question(
            position=position,
            layer=layer,
            required=False,
            help=help_text,
            options=spec.get("options", []),
            settings=spec.get("settings", {}),
            code=spec["code"],
            item=spec["item"],
            type=spec["type"],
            text=spec["text"],
        )
        survey.questions.append(question)
        added.append(question)
    db.session.flush()
    return added
