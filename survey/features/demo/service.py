"""The demo municipality Voorbeeldstad: areas, two surveys, channels, synthetic answers."""

from __future__ import annotations

import random
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from survey.extensions import db
from survey.features.accounts import service as officers
from survey.features.builder import engagement
from survey.models import (
    Answer,
    Area,
    Channel,
    Officer,
    Question,
    Response,
    Survey,
    Update,
    Volunteer,
)

DEMO_OFFICER = ("beheer@voorbeeldstad.nl", "voorbeeld-demo")
NAMESPACE = uuid.UUID("6f0c0d3e-5b1a-4c7e-9a55-0b7e2f1d2a10")
THEMES = ["groen", "spelen", "veiligheid", "ontmoeting", "verkeer", "zorg"]
THEME_TEXT = {
    "groen": ("Groen", "Green"),
    "spelen": ("Spelen", "Play"),
    "veiligheid": ("Veiligheid", "Safety"),
    "ontmoeting": ("Ontmoeten", "Meeting people"),
    "verkeer": ("Verkeer", "Traffic"),
    "zorg": ("Zorg en hulp", "Care and help"),
}
WIJKEN = {
    ("WK099901", "Centrum"): [
        ("BU09990101", "Oude Haven", ["9901", "9902"]),
        ("BU09990102", "Marktkwartier", ["9903"]),
    ],
    ("WK099902", "Noord"): [
        ("BU09990201", "Bloemenbuurt", ["9911"]),
        ("BU09990202", "Molenwijk", ["9912", "9913"]),
        ("BU09990203", "Vogelzang", ["9914"]),
    ],
    ("WK099903", "Zuid"): [
        ("BU09990301", "Parkzicht", ["9921"]),
        ("BU09990302", "Spoorzijde", ["9922", "9923"]),
    ],
}
CHANNELS = [  # code, label, kind, buurt code (None: whole municipality)
    ("demo-peiling", "Website gemeente", "social", None),
    ("demo-bieb", "Poster bibliotheek", "poster", "BU09990102"),
    ("demo-flyer-molen", "Flyer deur-aan-deur Molenwijk", "door", "BU09990202"),
    ("demo-buurthuis", "Poster buurthuis Parkzicht", "poster", "BU09990301"),
    ("demo-school", "Flyer basisschool De Spoorzijde", "school", "BU09990302"),
]
# Latent engagement types for the synthetic residents, after the eight profiles of
# survey/profiling/profiles.json: item means (1-5 scales, influence 0-5, time 0-3) and the
# channels they prefer. They only make the demo data believable.
_ITEM_ORDER = (
    "attachment",
    "local_network",
    "trust",
    "heard",
    "knows_way",
    "think_along",
    "hands_on",
    "influence",
    "time",
)
TYPES = {  # code: (item means in _ITEM_ORDER, preferred channels)
    "kartrekkers": ((4.6, 4.0, 3.2, 3.2, 4.3, 4.5, 4.5, 4.5, 3), ["in_person", "online"]),
    "online_meedenkers": ((3.0, 2.6, 3.2, 3.0, 3.0, 4.3, 2.0, 2.5, 1), ["online", "social"]),
    "aanpakkers": ((4.3, 4.3, 3.0, 3.0, 3.0, 2.2, 4.6, 1.5, 2.5), ["in_person"]),
    "kritische_betrokkenen": ((4.3, 3.2, 1.8, 1.6, 3.2, 4.5, 3.0, 4.2, 2), ["in_person", "social"]),
    "rustige_buren": ((2.0, 1.7, 3.0, 2.8, 2.8, 1.8, 1.7, 1.0, 0.5), ["print"]),
    "tevreden_volgers": ((3.0, 3.0, 4.3, 4.0, 3.6, 2.3, 2.0, 1.0, 1), ["print", "online"]),
    "nieuwe_buren": ((2.8, 1.5, 3.2, 3.0, 1.6, 3.4, 3.4, 2.5, 1.5), ["social", "in_person"]),
    "afwachters": ((3.0, 3.0, 2.0, 1.8, 2.0, 2.5, 2.4, 1.5, 1), ["in_person"]),
}
# Who each channel reaches (weights over TYPES, in order): the website reaches the online
# contributors, the door-to-door flyer the wait-and-see and quiet neighbours, and so on.
CHANNEL_REACH = {
    "demo-peiling": (2, 6, 1, 3, 1, 3, 3, 1),
    "demo-bieb": (1, 2, 1, 1, 3, 5, 1, 1),
    "demo-flyer-molen": (1, 1, 3, 1, 4, 2, 1, 5),
    "demo-buurthuis": (4, 1, 5, 2, 1, 1, 3, 2),
    "demo-school": (1, 3, 2, 1, 1, 1, 5, 2),
}
# Who lives where, by the municipality's own estimate (profile code -> expected share).
REFERENCE_MIXES = {
    "BU09990202": {  # Molenwijk: new homes brought young families; the flyer missed them
        "kartrekkers": 0.05,
        "online_meedenkers": 0.20,
        "aanpakkers": 0.10,
        "kritische_betrokkenen": 0.05,
        "rustige_buren": 0.15,
        "tevreden_volgers": 0.10,
        "nieuwe_buren": 0.20,
        "afwachters": 0.15,
    },
    "BU09990301": {  # Parkzicht: a young, new neighbourhood
        "kartrekkers": 0.10,
        "online_meedenkers": 0.20,
        "aanpakkers": 0.10,
        "kritische_betrokkenen": 0.05,
        "rustige_buren": 0.10,
        "tevreden_volgers": 0.10,
        "nieuwe_buren": 0.25,
        "afwachters": 0.10,
    },
    "WK099901": {  # Centrum: a broad mix
        "kartrekkers": 0.08,
        "online_meedenkers": 0.17,
        "aanpakkers": 0.10,
        "kritische_betrokkenen": 0.10,
        "rustige_buren": 0.20,
        "tevreden_volgers": 0.15,
        "nieuwe_buren": 0.10,
        "afwachters": 0.10,
    },
}


def _t(nl: str, en: str) -> dict:
    return {"nl": nl, "en": en}


def _options(pairs: list[tuple[str, str, str]]) -> list[dict]:
    return [{"value": v, "text": _t(nl, en)} for v, nl, en in pairs]


THEME_OPTIONS = _options([(k, *THEME_TEXT[k]) for k in THEMES])

NEEDS_QUESTIONS = [
    dict(
        code="buurt",
        type="area",
        required=True,
        text=_t("In welke buurt woon je?", "Which neighbourhood do you live in?"),
    ),
    dict(
        code="themes",
        type="multiple",
        required=True,
        options=THEME_OPTIONS,
        settings={"max": 3},
        text=_t(
            "Wat is voor jou het belangrijkst in je buurt?",
            "What matters most to you in your neighbourhood?",
        ),
    ),
    dict(
        code="woonplezier",
        type="scale",
        required=True,
        settings={
            "min": 1,
            "max": 5,
            "low": _t("Heel onprettig", "Very unpleasant"),
            "high": _t("Heel prettig", "Very pleasant"),
        },
        text=_t(
            "Hoe prettig woon je in je buurt?", "How pleasant is living in your neighbourhood?"
        ),
    ),
    dict(
        code="kinderen",
        type="yesno",
        required=False,
        text=_t(
            "Wonen er kinderen onder de 12 bij je in huis?",
            "Do children under 12 live in your home?",
        ),
    ),
    dict(
        code="speelplek",
        type="single",
        required=False,
        show_if={"question": "kinderen", "in": ["yes"]},
        options=_options(
            [
                ("plein", "Op een pleintje", "On a square"),
                ("park", "In het park", "In the park"),
                ("straat", "Op straat", "In the street"),
                ("binnen", "Vooral binnen", "Mostly indoors"),
            ]
        ),
        text=_t("Waar spelen de kinderen het liefst?", "Where do the children like to play most?"),
    ),
    dict(
        code="idee",
        type="text",
        required=False,
        settings={"maxlength": 500},
        text=_t("Wat zou je buurt beter maken?", "What would make your neighbourhood better?"),
    ),
    dict(
        code="plannen",
        type="ranking",
        layer="deeper",
        settings={"pick": 3},
        options=_options(
            [
                ("bomen", "Meer bomen", "More trees"),
                ("speeltuin", "Een nieuwe speeltuin", "A new playground"),
                ("verlichting", "Betere verlichting", "Better street lighting"),
                ("bankjes", "Bankjes om elkaar te ontmoeten", "Benches to meet"),
                ("drempels", "Minder hard rijden", "Slower traffic"),
            ]
        ),
        text=_t(
            "Zet deze plannen op volgorde: wat eerst?", "Put these plans in order: what first?"
        ),
    ),
    dict(
        code="jaren",
        type="number",
        layer="deeper",
        settings={"min": 0, "max": 100},
        text=_t(
            "Hoeveel jaar woon je al in deze buurt?",
            "How many years have you lived in this neighbourhood?",
        ),
    ),
    dict(
        code="buurthuis",
        type="single",
        layer="deeper",
        options=_options(
            [("vaak", "Vaak", "Often"), ("soms", "Soms", "Sometimes"), ("nooit", "Nooit", "Never")]
        ),
        text=_t("Kom je weleens in het buurthuis?", "Do you ever visit the community centre?"),
    ),
]
STATEMENTS = [
    (
        "Er is genoeg te doen voor jongeren in mijn buurt.",
        "There is enough to do for young people in my neighbourhood.",
    ),
    ("Ik voel me 's avonds veilig op straat.", "I feel safe in the street at night."),
    (
        "Er moet een plek komen waar jongeren mogen chillen.",
        "There should be a place where young people can hang out.",
    ),
    ("De gemeente luistert naar jongeren.", "The municipality listens to young people."),
    ("Er moeten meer sportveldjes komen.", "There should be more sports pitches."),
    (
        "Ik wil meedenken over plannen voor mijn buurt.",
        "I want to think along about plans for my neighbourhood.",
    ),
    ("Er rijden te veel auto's te hard.", "Too many cars drive too fast."),
    ("Mijn buurt is schoon.", "My neighbourhood is clean."),
    ("Er moet meer groen komen.", "There should be more green."),
    (
        "Ik wil zelf helpen bij een buurtactie.",
        "I want to help with a neighbourhood action myself.",
    ),
]


def load_demo() -> dict:
    """Create Voorbeeldstad; running it again changes nothing."""
    areas = _areas()
    needs = _needs_survey(areas)
    swipe = _swipe_survey(areas)
    _officer()
    counts = {
        "needs_responses": _synthetic_needs(needs, areas),
        "swipe_responses": _synthetic_swipe(swipe, areas),
    }
    _volunteers_and_updates(needs, areas)
    _reference_mixes(areas)
    _scans(needs.channels + swipe.channels)
    db.session.commit()
    return counts


def _scans(channels) -> None:
    """Give each channel a believable number of QR scans: more than the responses it started."""
    db.session.flush()
    for i, channel in enumerate(channels):
        if channel.scans == 0:
            starts = db.session.scalar(
                select(func.count(Response.id)).where(Response.channel_id == channel.id)
            )
            channel.scans = starts + starts * (3 + i % 4) // 10


def _get_or_add(model, where: dict, **values):
    found = db.session.scalar(select(model).filter_by(**where))
    if found is None:
        found = model(**where, **values)
        db.session.add(found)
        db.session.flush()
    return found


def _areas() -> dict[str, Area]:
    gemeente = _get_or_add(Area, {"cbs_code": "GM0999"}, level="gemeente", name="Voorbeeldstad")
    areas = {"GM0999": gemeente}
    for (wk_code, wk_name), buurten in WIJKEN.items():
        wijk = _get_or_add(Area, {"cbs_code": wk_code}, level="wijk", name=wk_name, parent=gemeente)
        areas[wk_code] = wijk
        for bu_code, bu_name, postcodes in buurten:
            areas[bu_code] = _get_or_add(
                Area,
                {"cbs_code": bu_code},
                level="buurt",
                name=bu_name,
                parent=wijk,
                postcodes=postcodes,
            )
    return areas


def _survey(slug: str, **values) -> tuple[Survey, bool]:
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is not None:
        return survey, False
    survey = Survey(slug=slug, **values)
    db.session.add(survey)
    return survey, True


def _needs_survey(areas) -> Survey:
    survey, new = _survey(
        "demo-peiling",
        kind="needs",
        status="open",
        area=areas["GM0999"],
        organisation="Gemeente Voorbeeldstad",
        languages=["nl", "en", "tr", "pl", "ar"],
        themes=THEMES,
        min_group_size=10,
        opens_at=datetime(2026, 10, 1, tzinfo=UTC),
        title=_t("Hoe maken we jouw buurt beter?", "How do we make your neighbourhood better?"),
        intro=_t(
            "De gemeente wil weten wat jij belangrijk vindt in je buurt. Met je antwoorden "
            "kiezen we wat we eerst aanpakken.",
            "The municipality wants to know what matters to you in your neighbourhood. "
            "Your answers help us choose what to do first.",
        ),
        expectations=_t(
            "Wil je meehelpen? De gemeente kan materiaal en een klein budget geven "
            "(tot 500 euro per actie). Buurtcoördinator Sanne de Vries belt of mailt je "
            "binnen twee weken.",
            "Want to help? The municipality can give materials and a small budget "
            "(up to 500 euros per action). Neighbourhood coordinator Sanne de Vries "
            "will call or e-mail you within two weeks.",
        ),
    )
    if new:
        for position, spec in enumerate(NEEDS_QUESTIONS, start=1):
            survey.questions.append(Question(position=position, **spec))
        engagement.add_engagement_module(survey)
    _channels(survey, areas, [c for c in CHANNELS])
    return survey


def _swipe_survey(areas) -> Survey:
    survey, new = _survey(
        "demo-swipe",
        kind="swipe",
        status="open",
        area=areas["GM0999"],
        organisation="Gemeente Voorbeeldstad",
        languages=["nl", "en"],
        themes=THEMES,
        title=_t("Swipe je buurt", "Swipe your neighbourhood"),
        intro=_t(
            "10 uitspraken over je buurt. Eens of oneens? Het duurt een minuut.",
            "10 statements about your neighbourhood. Agree or disagree? It takes a minute.",
        ),
    )
    if new:
        for position, (nl, en) in enumerate(STATEMENTS, start=1):
            survey.questions.append(
                Question(position=position, code=f"s{position}", type="statement", text=_t(nl, en))
            )
    _channels(survey, areas, [("demo-swipe", "Poster jongerencentrum", "poster", None)])
    return survey


def _channels(survey: Survey, areas, specs) -> None:
    db.session.flush()
    for code, label, kind, buurt in specs:
        _get_or_add(
            Channel,
            {"code": code},
            survey_id=survey.id,
            label=label,
            kind=kind,
            area_id=areas[buurt].id if buurt else None,
        )


def _officer() -> None:
    email, password = DEMO_OFFICER
    if officers.find_officer(email) is None:
        db.session.add(
            Officer(
                email=email,
                name="Demo beheerder",
                role="admin",
                password_hash=officers.hash_password(password),
            )
        )


def _add_response(survey, key: str, channel, area, when, values: dict, lang="nl", deeper=False):
    response_uuid = str(uuid.uuid5(NAMESPACE, key))
    if db.session.scalar(select(Response.id).where(Response.uuid == response_uuid)):
        return 0
    questions = {q.code: q for q in survey.questions}
    response = Response(
        uuid=response_uuid,
        survey_id=survey.id,
        channel_id=channel.id,
        area_id=area.id if area else None,
        lang=lang,
        started_at=when,
        updated_at=when + timedelta(minutes=2),
        layer="deeper" if deeper else "core",
        completed_at=when + timedelta(minutes=2) if values.pop("_complete", True) else None,
    )
    response.answers = [
        Answer(question_id=questions[code].id, value=value, answered_at=when)
        for code, value in values.items()
    ]
    db.session.add(response)
    return 1


def _synthetic_needs(survey: Survey, areas) -> int:
    rng = random.Random(20261126)
    channels = {c.code: c for c in survey.channels}
    buurten = [a for a in areas.values() if a.level == "buurt"]
    start = datetime(2026, 10, 1, 8, tzinfo=UTC)
    added = 0
    for i in range(320):
        channel = channels[rng.choice(list(channels))]
        area = channel.area if channel.area else rng.choice(buurten)
        kind = rng.choices(list(TYPES), weights=CHANNEL_REACH[channel.code])[0]
        item_means, preferred = TYPES[kind]
        means = dict(zip(_ITEM_ORDER, item_means, strict=True))
        values = {
            "buurt": {"area": area.cbs_code, "area_id": area.id},
            "themes": sorted(rng.sample(THEMES, rng.randint(1, 3)), key=THEMES.index),
            "woonplezier": rng.randint(2, 5),
            "kinderen": rng.choice(["yes", "no"]),
        }
        if values["kinderen"] == "yes":
            values["speelplek"] = rng.choice(["plein", "park", "straat", "binnen"])
        if rng.random() < 0.85:
            for code, mean in means.items():
                high = 5 if code not in ("influence", "time") else {"influence": 5, "time": 3}[code]
                low = 1 if high == 5 and code != "influence" else 0
                values[code] = min(high, max(low, round(rng.gauss(mean, 0.7))))
            extra = rng.sample(["online", "social", "print", "in_person"], 1)
            values["channels"] = sorted(set(preferred + (extra if rng.random() < 0.3 else [])))
        deeper = rng.random() < 0.4
        if deeper:
            values["plannen"] = rng.sample(
                ["bomen", "speeltuin", "verlichting", "bankjes", "drempels"], 3
            )
            values["jaren"] = rng.randint(0, 40)
        values["_complete"] = rng.random() < 0.9
        when = start + timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 600))
        added += _add_response(survey, f"needs-{i}", channel, area, when, values, deeper=deeper)
    return added


def _reference_mixes(areas) -> None:
    for code, mix in REFERENCE_MIXES.items():
        if areas[code].reference_mix is None:
            areas[code].reference_mix = mix


def _synthetic_swipe(survey: Survey, areas) -> int:
    rng = random.Random(99)
    channel = survey.channels[0]
    codes = [q.code for q in survey.questions if q.type == "statement"]
    leanings = [
        [1, -1, 1, -1, 1, 1, 1, 0, 1, 1],
        [-1, 1, 0, 1, -1, -1, 1, 1, 0, -1],
        [1, 1, 1, -1, 1, 0, -1, -1, 1, 0],
    ]
    start = datetime(2026, 10, 5, 12, tzinfo=UTC)
    added = 0
    for i in range(90):
        lean = leanings[i % 3]
        values = {}
        for code, direction in zip(codes, lean, strict=True):
            r = rng.random()
            vote = direction if r < 0.75 else (-direction if r < 0.9 else 0)
            values[code] = {1: "agree", -1: "disagree", 0: "skip"}[vote or 0]
        added += _add_response(
            survey, f"swipe-{i}", channel, None, start + timedelta(days=rng.randint(0, 30)), values
        )
    return added


def _volunteers_and_updates(survey: Survey, areas) -> None:
    people = [
        ("Fatma Yilmaz", "fatma@example.org", "BU09990202", ["groen", "ontmoeting"]),
        ("Kees Bakker", None, "BU09990101", ["veiligheid"]),
        ("Joanna Nowak", "joanna@example.org", "BU09990301", ["spelen", "groen"]),
    ]
    for name, email, buurt, themes in people:
        _get_or_add(
            Volunteer,
            {"survey_id": survey.id, "name": name},
            erase_token=secrets.token_urlsafe(32),  # the manage link must not be guessable
            area_id=areas[buurt].id,
            email=email,
            phone=None if email else "06-12345678",
            themes=themes,
            availability="1 tot 4 uur per maand",
        )
    updates = [
        (
            "gedaan",
            "Veel mensen in Molenwijk willen meer groen.",
            "We hebben twaalf bomen geplant aan de Molenstraat.",
            "",
            "BU09990202",
        ),
        (
            "gepland",
            "Ouders in Parkzicht missen een veilige speelplek.",
            "In het voorjaar komt er een speeltuin in het Parkzichtpark.",
            "",
            "BU09990301",
        ),
        (
            "niet",
            "Sommige mensen willen een parkeergarage in het centrum.",
            "",
            "Daar is geen plek en geen geld voor. We kijken wel naar betere fietsenrekken.",
            None,
        ),
    ]
    for i, (status, heard, doing, not_doing, buurt) in enumerate(updates):
        _get_or_add(
            Update,
            {"survey_id": survey.id, "heard": heard},
            status=status,
            doing=doing,
            not_doing=not_doing,
            area_id=areas[buurt].id if buurt else None,
            published_at=datetime(2026, 11, 1 + i * 5, tzinfo=UTC),
        )
