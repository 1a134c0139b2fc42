"""The demo municipality Voorbeeldstad: areas, two surveys, channels, synthetic answers.

What the demo contains is data (voorbeeldstad.json beside this file); this module loads it
and draws the synthetic residents. Running it again changes nothing.
"""

from __future__ import annotations

import json
import random
import secrets
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import func, select

from survey.extensions import db
from survey.features.accounts import service as officers
from survey.features.areas import boundaries as area_boundaries
from survey.features.areas import figures as area_figures
from survey.features.builder import engagement
from survey.features.insights import service as insights
from survey.models import (
    Answer,
    Area,
    Channel,
    Officer,
    ProfileModel,
    Question,
    Response,
    Survey,
    Update,
    Volunteer,
    question_from_spec,
)
from survey.models._types import translation_status

DATA_FILE = Path(__file__).with_name("voorbeeldstad.json")
NAMESPACE = uuid.UUID("6f0c0d3e-5b1a-4c7e-9a55-0b7e2f1d2a10")
SURVEY_FIELDS = ("kind", "status", "organisation", "languages", "min_group_size")
SURVEY_TEXTS = ("title", "intro", "expectations")
NEEDS_RESPONSES = 320  # synthetic residents who answered the needs survey
# The draw of those residents: one where Inzichten shows Molenwijk with both shown and hidden
# (too small or complementary) profile shares, as the demo should explain both.
NEEDS_SEED = 3
OPEN_EVERY = 3  # every third synthetic resident writes an open answer (themes to find)


@cache
def demo_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def demo_officer() -> tuple[str, str]:
    """The demo admin's e-mail address and password."""
    officer = demo_data()["officer"]
    return officer["email"], officer["password"]


def load_demo(with_officer: bool = True) -> dict:
    """Create Voorbeeldstad (with its admin unless asked not to); running it again changes
    nothing."""
    data = demo_data()
    areas = _areas(data)
    area_figures.store_figures(DATA_FILE.with_name("voorbeeldstad_kerncijfers.csv").read_bytes())
    area_boundaries.store_boundaries(DATA_FILE.with_name("voorbeeldstad_grenzen.json").read_bytes())
    needs = _survey(data["needs_survey"], areas, data)
    swipe = _survey(data["swipe_survey"], areas, data)
    if with_officer:
        _officer(data["officer"])
    counts = {
        "needs_responses": _synthetic_needs(needs, areas, data),
        "swipe_responses": _synthetic_swipe(swipe, data),
    }
    _volunteers_and_updates(needs, areas, data)
    _reference_mixes(areas, data["reference_mixes"])
    _scans(needs.channels + swipe.channels)
    db.session.commit()
    return counts


def fit_demo_model() -> ProfileModel | None:
    """Fit the needs survey's profile model once, so Inzichten is full on the first visit;
    None when it has a model already (running the demo again changes nothing)."""
    needs = db.session.scalar(
        select(Survey).where(Survey.slug == demo_data()["needs_survey"]["slug"])
    )
    if needs is None or insights.latest_model([needs]) is not None:
        return None
    return insights.fit_model([needs])


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


def _areas(data: dict) -> dict[str, Area]:
    spec = data["gemeente"]
    gemeente = _get_or_add(Area, {"cbs_code": spec["code"]}, level="gemeente", name=spec["name"])
    areas = {spec["code"]: gemeente}
    for wijk_spec in data["wijken"]:
        wijk = _get_or_add(
            Area,
            {"cbs_code": wijk_spec["code"]},
            level="wijk",
            name=wijk_spec["name"],
            parent=gemeente,
        )
        areas[wijk_spec["code"]] = wijk
        for buurt in wijk_spec["buurten"]:
            areas[buurt["code"]] = _get_or_add(
                Area,
                {"cbs_code": buurt["code"]},
                level="buurt",
                name=buurt["name"],
                parent=wijk,
                postcodes=buurt["postcodes"],
            )
    return areas


def _survey(spec: dict, areas, data: dict) -> Survey:
    """The survey of a spec with its questions (added once) and its channels."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == spec["slug"]))
    if survey is None:
        survey = Survey(
            slug=spec["slug"],
            area=areas[data["gemeente"]["code"]],
            themes=[t["value"] for t in data["themes"]],
            opens_at=_day(spec.get("opens_at")),
            **{f: spec[f] for f in SURVEY_FIELDS if f in spec},
            **{f: spec[f] for f in SURVEY_TEXTS if f in spec},
        )
        db.session.add(survey)
        status = data.get("translation_status")
        for position, question in enumerate(spec.get("questions", []), start=1):
            survey.questions.append(question_from_spec(position, question, status))
        for position, text in enumerate(spec.get("statements", []), start=1):
            survey.questions.append(
                Question(
                    position=position,
                    code=f"s{position}",
                    type="statement",
                    text=text,
                    settings=translation_status({}, status),
                )
            )
        if spec.get("engagement_module"):
            _engagement_module(survey, spec["engagement_module"])
    db.session.flush()
    for channel in spec["channels"]:
        _get_or_add(
            Channel,
            {"code": channel["code"]},
            survey_id=survey.id,
            label=channel["label"],
            kind=channel["kind"],
            area_id=areas[channel["buurt"]].id if channel["buurt"] else None,
        )
    return survey


def _engagement_module(survey: Survey, spec: dict) -> None:
    """The module in its layer (short: the shipped five items and the over-jou questions);
    with `rest`, the other items of the ten in that layer, so some residents answer all ten
    and the short module's agreement can be measured on the demo itself."""
    engagement.add_engagement_module(survey, spec["layer"], short=spec.get("short", False))
    if spec.get("rest"):
        engagement.add_engagement_module(survey, spec["rest"])


def _day(text: str | None) -> datetime | None:
    return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC) if text else None


def _officer(spec: dict) -> None:
    if officers.find_officer(spec["email"]) is None:
        db.session.add(
            Officer(
                email=spec["email"],
                name=spec["name"],
                role="admin",
                password_hash=officers.hash_password(spec["password"]),
            )
        )


def _add_response(survey, key: str, channel, area, when, values: dict, deeper=False) -> int:
    response_uuid = str(uuid.uuid5(NAMESPACE, key))
    if db.session.scalar(select(Response.id).where(Response.uuid == response_uuid)):
        return 0
    questions = {q.code: q for q in survey.questions}
    response = Response(
        uuid=response_uuid,
        survey_id=survey.id,
        channel_id=channel.id,
        area_id=area.id if area else None,
        lang="nl",
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


def _engagement_answers(rng: random.Random, kind: dict) -> dict:
    """A resident of a latent type answers the engagement items, with some noise."""
    values = {}
    for code, mean in kind["means"].items():
        high = {"influence": 5, "time": 3}.get(code, 5)
        low = 1 if high == 5 and code != "influence" else 0
        values[code] = min(high, max(low, round(rng.gauss(mean, 0.7))))
    extra = rng.sample(["online", "social", "print", "in_person"], 1)
    values["channels"] = sorted(set(kind["channels"] + (extra if rng.random() < 0.3 else [])))
    return values


def _about_you_answers(rng: random.Random, kind: dict) -> dict:
    """A resident of a latent type answers the over-jou questions, each skipped now and then."""
    return {
        code: rng.choices(list(chances), weights=list(chances.values()))[0]
        for code, chances in kind["about_you"].items()
        if rng.random() < 0.9
    }


def _by_layer(survey: Survey, values: dict, deeper: bool) -> dict:
    """Only the answers to questions of the layers the resident reached."""
    layers = {q.code: q.layer for q in survey.questions}
    return {c: v for c, v in values.items() if deeper or layers.get(c, "core") == "core"}


def _synthetic_needs(survey: Survey, areas, data: dict) -> int:
    rng = random.Random(NEEDS_SEED)
    open_texts = list(data["synthetic"]["open_answers"])
    random.Random(NEEDS_SEED + 1).shuffle(open_texts)  # a drawer of its own: the rest stays
    types = data["synthetic"]["types"]
    reach = data["synthetic"]["channel_reach"]
    themes = [t["value"] for t in data["themes"]]
    channels = {c.code: c for c in survey.channels}
    buurten = [a for a in areas.values() if a.level == "buurt"]
    start = datetime(2026, 10, 1, 8, tzinfo=UTC)
    added = 0
    for i in range(NEEDS_RESPONSES):
        channel = channels[rng.choice(list(channels))]
        area = channel.area if channel.area else rng.choice(buurten)
        kind = types[rng.choices(list(types), weights=reach[channel.code])[0]]
        values = {
            "buurt": {"area": area.cbs_code, "area_id": area.id},
            "themes": sorted(rng.sample(themes, rng.randint(1, 3)), key=themes.index),
            "woonplezier": rng.randint(2, 5),
            **_about_you_answers(rng, kind),
        }
        if values.get("household") == "children":
            values["speelplek"] = rng.choice(["plein", "park", "straat", "binnen"])
        if rng.random() < 0.85:
            values |= _engagement_answers(rng, kind)
        deeper = rng.random() < 0.4
        if deeper:
            values["plannen"] = rng.sample(
                ["bomen", "speeltuin", "verlichting", "bankjes", "drempels"], 3
            )
            values["jaren"] = rng.randint(0, 40)
            thinks_along = rng.random() < kind["means"]["think_along"] / 6
            values["bewonersavond"] = "yes" if thinks_along else "no"
        if i % OPEN_EVERY == 0:  # in turn, so no two say the same word for word
            values["idee"] = open_texts[(i // OPEN_EVERY) % len(open_texts)]
        values = _by_layer(survey, values, deeper)
        values["_complete"] = rng.random() < 0.9
        when = start + timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 600))
        added += _add_response(survey, f"needs-{i}", channel, area, when, values, deeper=deeper)
    return added


def _reference_mixes(areas, mixes: dict) -> None:
    for code, mix in mixes.items():
        if code in areas and areas[code].reference_mix is None:
            areas[code].reference_mix = mix


def _synthetic_swipe(survey: Survey, data: dict) -> int:
    rng = random.Random(99)
    channel = survey.channels[0]
    codes = [q.code for q in survey.questions if q.type == "statement"]
    leanings = data["synthetic"]["swipe_leanings"]
    start = datetime(2026, 10, 5, 12, tzinfo=UTC)
    added = 0
    for i in range(90):
        values = {}
        for code, direction in zip(codes, leanings[i % len(leanings)], strict=True):
            r = rng.random()
            vote = direction if r < 0.75 else (-direction if r < 0.9 else 0)
            values[code] = {1: "agree", -1: "disagree", 0: "skip"}[vote or 0]
        when = start + timedelta(days=rng.randint(0, 30))
        added += _add_response(survey, f"swipe-{i}", channel, None, when, values)
    return added


def _update_translations(texts: dict) -> dict:
    """{field: {lang: text}} in the demo file -> {lang: {field: text}} as Update keeps them."""
    out: dict = {}
    for field_name, by_lang in texts.items():
        for lang, text in by_lang.items():
            if text:
                out.setdefault(lang, {})[field_name] = text
    return out


def _volunteers_and_updates(survey: Survey, areas, data: dict) -> None:
    for person in data["volunteers"]:
        _get_or_add(
            Volunteer,
            {"survey_id": survey.id, "name": person["name"]},
            erase_token=secrets.token_urlsafe(32),  # the manage link must not be guessable
            area_id=areas[person["buurt"]].id,
            email=person["email"],
            phone=None if person["email"] else "06-12345678",
            themes=person["themes"],
            availability="1 tot 4 uur per maand",
        )
    for i, update in enumerate(data["updates"]):
        _get_or_add(
            Update,
            {"survey_id": survey.id, "heard": update["heard"]},
            status=update["status"],
            doing=update["doing"],
            not_doing=update["not_doing"],
            translations=_update_translations(update.get("translations", {})),
            area_id=areas[update["buurt"]].id if update["buurt"] else None,
            published_at=datetime(2026, 11, 1 + i * 5, tzinfo=UTC),
        )
