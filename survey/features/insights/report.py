"""The insight report of a survey: profile mixes per area and channel, gaps, recommendations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.features.insights.service import current_model, profile_set, responses_frame
from survey.models import Area, Channel
from survey.models import Survey as SurveyModel
from survey.profiling.profiles import ProfileSet

if TYPE_CHECKING:  # pandas and the engine load when a report is built
    import pandas as pd

    from survey.profiling.model import Model


def build_report(survey: SurveyModel, lang: str = "nl") -> dict:
    """Everything the Inzichten page, the PDF and `profiles report` show; no per-person data."""
    from survey.profiling import report as figures

    stored, fitted = current_model([survey])
    profiles = profile_set()
    frame = responses_frame([survey])
    frame["profile"] = fitted.assign(frame)
    used = frame[frame["profile"].notna()].copy()
    areas = {a.id: a for a in db.session.scalars(select(Area))}
    used["buurt"] = [_level_of(areas, a, "buurt") for a in used["area_id"]]
    used["wijk"] = [_level_of(areas, a, "wijk") for a in used["area_id"]]
    codes = figures.named(profiles.codes)
    context = (profiles, codes, survey.min_group_size, lang)
    return {
        "model": {
            "version": stored.version,
            "k": stored.k,
            "n": stored.n,
            "fitted_at": stored.fitted_at.isoformat(timespec="seconds"),
            "left_out": stored.data_summary.get("left_out", 0),
            "assigned": len(used),
            "not_assigned": len(frame) - len(used),
            "profiles_changed": fitted.profile_digest != profiles.digest,
        },
        "profiles": [
            {"code": p.code, "name": p.name_in(lang), "description": p.description_in(lang)}
            for p in (*profiles.profiles, profiles.mixed)
        ],
        "areas": _areas(survey, used, areas, context),
        "channels": _channels(survey, used, context),
        "comparison": _comparison(fitted, profiles, lang),
        "min_group_size": survey.min_group_size,
    }


def _level_of(areas: dict, area_id, level: str):
    unknown = area_id is None or area_id != area_id  # None, or NaN from the data frame
    area = None if unknown else areas.get(int(area_id))
    while area is not None and area.level != level:
        area = areas.get(area.parent_id)
    return area.id if area is not None else None


def _descendants(root: Area | None, areas: list[Area]) -> list[Area]:
    """The wijken and buurten under the survey's area (all of them when it has none)."""
    if root is None:
        wijken = [a for a in areas if a.level == "wijk"]
    else:
        wijken = [a for a in areas if a.parent_id == root.id and a.level == "wijk"]
    out = []
    for wijk in sorted(wijken, key=lambda a: a.name):
        out.append(wijk)
        out.extend(sorted((a for a in areas if a.parent_id == wijk.id), key=lambda a: a.name))
    return out


def _areas(survey: SurveyModel, used: pd.DataFrame, areas: dict, context) -> list[dict]:
    from survey.profiling import report as figures

    profiles, codes, min_n, lang = context
    total = len(used)
    by_wijk = figures.mixes(used["profile"], used["wijk"], codes)
    by_buurt = figures.mixes(used["profile"], used["buurt"], codes)
    listed = _descendants(survey.area, list(areas.values()))
    wijken = [a for a in listed if a.level == "wijk"]
    hidden = {"root"} if total < min_n else set()
    hidden |= figures.suppress({w.id: _n(by_wijk, w.id) for w in wijken}, total, min_n)
    for wijk in wijken:
        buurten = [a for a in listed if a.parent_id == wijk.id]
        if wijk.id in hidden:
            hidden |= {b.id for b in buurten}
        cells = {b.id: _n(by_buurt, b.id) for b in buurten}
        hidden |= figures.suppress(cells, _n(by_wijk, wijk.id), min_n)
    root_mix = {"n": total, "mix": figures.mix_of(used["profile"], codes)} if total else None
    rows = [_area_row(survey.area, root_mix, "root" in hidden, survey, context)]
    for area in listed:
        entry = (by_wijk if area.level == "wijk" else by_buurt).get(area.id)
        rows.append(_area_row(area, entry, area.id in hidden, survey, context))
    return rows


def _n(mixes: dict, key) -> int:
    return mixes[key]["n"] if key in mixes else 0


def _reference(area: Area | None) -> tuple[dict | None, Area | None]:
    """The area's own reference mix, else the nearest ancestor's."""
    while area is not None:
        if area.reference_mix:
            return area.reference_mix, area
        area = area.parent
    return None, None


def _area_row(area: Area | None, entry, hidden: bool, survey, context) -> dict:
    from survey.profiling import report as figures

    profiles, codes, min_n, lang = context
    n = entry["n"] if entry else 0
    mix = figures.public_mix(entry["mix"], hidden or n < min_n) if entry else None
    raw_reference, source = _reference(area)
    reference = figures.normalise(raw_reference, profiles.codes)
    gap_rows = figures.gaps(mix, reference, profiles.codes)
    recommendations = figures.recommend(mix, reference, profiles)
    return {
        "area": (area.cbs_code or area.name) if area else survey.slug,
        "id": area.id if area else None,
        "name": area.name if area else survey.title_in(lang),
        "level": area.level if area else "peiling",
        "n": n if mix is not None or n == 0 else None,
        "mix": mix,
        "reference": reference,
        "reference_from": source.name if source is not None and source is not area else None,
        "gaps": gap_rows,
        "under": [g["code"] for g in gap_rows if g["under"]],
        "recommendations": [_with_reason(r, profiles, lang) for r in recommendations],
        "note": _advice_note(mix, reference, n, min_n),
    }


def _advice_note(mix, reference, n: int, min_n: int) -> str:
    if mix is None and n == 0 and reference is None:
        return _("Nog geen reacties uit dit gebied.")
    if mix is None and reference is None:
        return _("Te weinig reacties om te tonen (minder dan %(m)s).", m=min_n)
    if mix is None:
        return _("Te weinig reacties om te tonen. Het advies volgt alleen de verwachte mix.")
    return ""


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{round(value * 100)}%"


def _with_reason(rec: dict, profiles: ProfileSet, lang: str) -> dict:
    instrument = profiles.instruments[rec["instrument"]]
    parts = []
    for b in rec["because"]:
        name = profiles.get(b["profile"]).name_in(lang)
        if b["share"] is None:
            parts.append(_("%(name)s (verwacht %(e)s)", name=name, e=_pct(b["expected"])))
        else:
            parts.append(_("%(name)s (bereikt %(s)s)", name=name, s=_pct(b["share"])))
    reason = _("Past bij %(names)s.", names=", ".join(parts))
    under = [profiles.get(b["profile"]).name_in(lang) for b in rec["because"] if b["under"]]
    if under:
        reason += " " + _("Minder bereikt dan verwacht: %(names)s.", names=", ".join(under))
    return {
        "instrument": rec["instrument"],
        "name": instrument.name_in(lang),
        "description": instrument.description_in(lang),
        "weight": rec["weight"],
        "because": rec["because"],
        "reason": reason,
    }


def _channels(survey: SurveyModel, used: pd.DataFrame, context) -> list[dict]:
    from survey.profiling import report as figures

    profiles, codes, min_n, lang = context
    channels = db.session.scalars(
        select(Channel).where(Channel.survey_id == survey.id).order_by(Channel.id)
    ).all()
    by_channel = figures.mixes(used["profile"], used["channel_id"], codes)
    cells = {c.id: _n(by_channel, c.id) for c in channels}
    hidden = figures.suppress(cells, len(used), min_n)
    if len(used) < min_n:
        hidden |= set(cells)
    rows = []
    for channel in channels:
        entry = by_channel.get(channel.id)
        n = entry["n"] if entry else 0
        shown = entry is not None and channel.id not in hidden
        rows.append(
            {
                "channel": channel.code,
                "label": channel.label,
                "kind": channel.kind,
                "n": n if shown or n == 0 else None,
                "mix": figures.public_mix(entry["mix"], not shown) if entry else None,
            }
        )
    return rows


def _comparison(fitted: Model, profiles: ProfileSet, lang: str) -> list[dict]:
    from survey.profiling.model import compare

    rows = compare(fitted, profiles)
    for row in rows:
        row["name"] = profiles.get(row["code"]).name_in(lang)
    return rows


def report_json(survey: SurveyModel, lang: str = "nl") -> dict:
    """The report in the documented JSON shape of `flask profiles report --json`."""
    full = build_report(survey, lang)
    return {
        "model": {k: full["model"][k] for k in ("version", "k", "n", "fitted_at")},
        "profiles": full["profiles"],
        "areas": [{k: a[k] for k in ("area", "name", "level", "n", "mix")} for a in full["areas"]],
        "channels": [{k: c[k] for k in ("channel", "n", "mix")} for c in full["channels"]],
        "recommendations": [
            {
                "area": a["area"],
                "under_reached": a["under"],
                "instruments": [
                    {k: r[k] for k in ("instrument", "name", "weight", "reason")}
                    for r in a["recommendations"]
                ],
            }
            for a in full["areas"]
        ],
    }
