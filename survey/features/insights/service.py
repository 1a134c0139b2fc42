"""Area insights: fit and store the profile model, assign responses, build the report."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Text, and_, case, cast, func, select

from survey.core.audit import audit
from survey.core.errors import UserError
from survey.extensions import db
from survey.features.builder import service as builder
from survey.models import (
    Answer,
    Area,
    AreaNote,
    Channel,
    Officer,
    ProfileModel,
    Question,
    Response,
    counted,
)
from survey.models import Survey as SurveyModel
from survey.profiling.characteristics import CHARACTERISTICS
from survey.profiling.profiles import ITEMS, ProfileSet, load_profiles

if TYPE_CHECKING:  # pandas and the engine (scikit-learn) load when a model is used
    import pandas as pd

    from survey.profiling.model import Model


@lru_cache(maxsize=4)
def _profiles(path: str | None) -> ProfileSet:
    return load_profiles(path)


def profile_set() -> ProfileSet:
    """The profile definitions this municipality uses (PROFILES_FILE, else the shipped file)."""
    return _profiles(current_app.config.get("PROFILES_FILE"))


def scope_of(surveys: list[SurveyModel]) -> str:
    return ",".join(sorted(s.slug for s in surveys))


def find_survey(slug: str) -> SurveyModel:
    survey = builder.find_survey(slug)
    if survey is None:
        raise UserError(_("Er is geen peiling met de code %(slug)s.", slug=slug))
    return survey


def responses_frame(surveys: list[SurveyModel]) -> pd.DataFrame:
    """One row per response: id, ref, area, channel, and the answers to the engagement items
    and the "over jou" characteristics (None where not answered).

    One query, pivoted in the database (one row per response, a column per item) and read in
    batches, so a million responses cost a million rows, not fifteen million answers. The
    answers arrive as JSON text and are parsed once per distinct value.
    """
    import json

    import pandas as pd

    ids = [s.id for s in surveys]
    items = (*ITEMS, *CHARACTERISTICS)
    value = cast(Answer.value, Text)
    query = (
        select(
            Response.id,
            Response.ref,
            Response.area_id,
            Response.channel_id,
            *(func.max(case((Question.item == item, value))).label(item) for item in items),
        )
        .select_from(Response)
        .outerjoin(Answer, Answer.response_id == Response.id)
        .outerjoin(
            Question,
            and_(
                Question.id == Answer.question_id,
                Question.survey_id.in_(ids),
                Question.item.is_not(None),
            ),
        )
        .where(Response.survey_id.in_(ids), counted())
        .group_by(Response.id, Response.ref, Response.area_id, Response.channel_id)
        .order_by(Response.id)
        .execution_options(yield_per=50_000)
    )
    columns = ["response_id", "ref", "area_id", "channel_id", *items]
    parsed: dict = {None: None}  # JSON text -> value, shared by every batch

    def batch_frame(batch) -> pd.DataFrame:
        """A batch with its JSON texts parsed, so the raw strings are freed batch by batch."""
        part = pd.DataFrame(batch, columns=columns, dtype=object)
        for item in items:
            for text in part[item].unique():
                if text not in parsed:
                    parsed[text] = json.loads(text)
            part[item] = part[item].map(parsed.__getitem__).astype(object)
        return part

    parts = [batch_frame(batch) for batch in db.session.execute(query).partitions()]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    for column in ("response_id", "area_id", "channel_id"):
        frame[column] = pd.to_numeric(frame[column])
    return frame.set_index("response_id", drop=False)


def fit_model(surveys: list[SurveyModel], officer: Officer | None = None) -> ProfileModel:
    """Fit on all responses of the surveys and store it as the next version of their scope."""
    from survey.profiling import model as engine

    profiles = profile_set()
    frame = responses_frame(surveys)
    try:
        fitted, labels, summary = engine.fit(frame, profiles)
    except engine.TooFewRespondents as few:
        raise UserError(
            _(
                "Te weinig reacties om een model te maken: %(usable)s bruikbaar, er zijn er "
                "minstens %(needed)s nodig. Een reactie telt mee als minstens 5 vragen over "
                "meedoen zijn beantwoord, zoals de 5 vragen van de korte module.",
                usable=few.usable,
                needed=few.needed,
            )
        ) from None
    scope = scope_of(surveys)
    version = (
        db.session.scalar(select(func.max(ProfileModel.version)).where(ProfileModel.scope == scope))
        or 0
    ) + 1
    from survey.profiling.expected import fit_dependence
    from survey.profiling.report import named

    frame["profile"] = labels
    codes = named(profiles.codes, fitted.names)
    dependence = fit_dependence(frame[list(CHARACTERISTICS)], frame["profile"], codes)
    stored = ProfileModel(
        scope=scope,
        version=version,
        k=fitted.k,
        n=summary["used"],
        params={**fitted.to_json(), "expected": dependence.to_json() if dependence else None},
        data_summary={
            **summary,
            "stability": round(engine.stability(frame, profiles, fitted=fitted), 3),
            **_short_summary(fitted, frame),
            "surveys": sorted(s.slug for s in surveys),
        },
    )
    db.session.add(stored)
    audit(officer, "fit_profiles", scope, version=version, n=summary["used"])
    db.session.commit()
    return stored


def _short_summary(fitted: Model, frame: pd.DataFrame) -> dict:
    """The short module chosen on this data and how often it gives the full profile; nothing
    when too few respondents answered enough of the ten items to measure it."""
    from survey.profiling import short

    try:
        chosen = short.choose_items(fitted, frame)
    except short.NotMeasurable:
        return {}
    return {
        "short_items": list(chosen.items),
        "short_agreement": round(chosen.agreement, 3),
        "short_n": chosen.n,
    }


def latest_model(surveys: list[SurveyModel]) -> ProfileModel | None:
    return db.session.scalar(
        select(ProfileModel)
        .where(ProfileModel.scope == scope_of(surveys))
        .order_by(ProfileModel.version.desc())
        .limit(1)
    )


def current_model(surveys: list[SurveyModel]) -> tuple[ProfileModel, Model]:
    stored = latest_model(surveys)
    if stored is None:
        raise UserError(_("Er is nog geen model voor deze peiling. Maak eerst een model."))
    from survey.profiling.model import Model

    return stored, Model.from_json(stored.params)


def add_note(area_id: int, officer: Officer, text: str) -> AreaNote:
    """Store an officer's own note (checked by NoteForm) on an area."""
    if db.session.get(Area, area_id) is None:
        raise UserError(_("Dit gebied bestaat niet."))
    note = AreaNote(area_id=area_id, officer_id=officer.id if officer else None, text=text)
    db.session.add(note)
    db.session.commit()
    return note


def notes_by_area(area_ids: list[int]) -> dict[int, list[AreaNote]]:
    notes = db.session.scalars(
        select(AreaNote).where(AreaNote.area_id.in_(area_ids)).order_by(AreaNote.created_at)
    ).all()
    out: dict[int, list[AreaNote]] = {}
    for note in notes:
        out.setdefault(note.area_id, []).append(note)
    return out


def import_reference_mixes(text: str) -> int:
    """Store reference mixes from CSV `area,profile,share`; all rows or none. Returns areas."""
    codes = set(profile_set().codes)
    areas = {a.cbs_code: a for a in db.session.scalars(select(Area)) if a.cbs_code}
    by_name = {a.name.lower(): a for a in db.session.scalars(select(Area))}
    mixes: dict[int, dict] = {}
    problems = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or not {"area", "profile", "share"} <= set(reader.fieldnames):
        raise UserError(_("De kolommen moeten area, profile en share heten."))
    for line, row in enumerate(reader, start=2):
        area = areas.get((row["area"] or "").strip()) or by_name.get(
            (row["area"] or "").strip().lower()
        )
        share = _share(row["share"])
        if area is None:
            problems.append(_("regel %(n)s: gebied %(a)s bestaat niet", n=line, a=row["area"]))
        elif (row["profile"] or "").strip() not in codes:
            problems.append(_("regel %(n)s: profiel %(p)s bestaat niet", n=line, p=row["profile"]))
        elif share is None:
            problems.append(_("regel %(n)s: aandeel moet tussen 0 en 1 liggen", n=line))
        else:
            mixes.setdefault(area.id, {})[row["profile"].strip()] = share
    if problems:
        raise UserError("; ".join(problems[:10]))
    if not mixes:
        raise UserError(_("Het bestand heeft geen regels."))
    for area_id, mix in mixes.items():
        total = sum(mix.values())
        if total <= 0:
            raise UserError(_("De aandelen van een gebied tellen op tot 0."))
        db.session.get(Area, area_id).reference_mix = {
            c: round(v / total, 4) for c, v in mix.items()
        }
    db.session.commit()
    return len(mixes)


def _share(raw: str | None) -> float | None:
    try:
        value = float((raw or "").strip().replace(",", "."))
    except ValueError:
        return None
    return value if 0 <= value <= 1 else None


def channel_codes() -> list[str]:
    return [c.code for c in db.session.scalars(select(Channel).order_by(Channel.id))]
