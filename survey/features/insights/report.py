"""The insight report of a survey: profile mixes per area and channel, gaps, recommendations."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from survey.core.audit import audit
from survey.core.csvfile import safe_cell
from survey.extensions import db
from survey.features.insights.service import current_model, profile_set, responses_frame
from survey.models import Area, Channel
from survey.models import Survey as SurveyModel
from survey.profiling.profiles import MIXED, ProfileSet

if TYPE_CHECKING:  # pandas and the engine load when a report is built
    import pandas as pd

    from survey.profiling.model import Model

UNSTABLE = 0.6  # a stability under this gets a warning on Inzichten
ROOT = "root"  # the whole survey (or its gemeente) in the tree of protected mixes
LEVELS = ("wijk", "buurt")


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
    codes = figures.named(profiles.codes, fitted.names)
    context = (profiles, codes, survey.min_group_size, lang)
    listed, channels, protected = _protected(survey, used, areas, codes, survey.min_group_size)
    return {
        "model": {
            "version": stored.version,
            "k": stored.k,
            "n": stored.n,
            "fitted_at": stored.fitted_at.isoformat(timespec="seconds"),
            "left_out": stored.data_summary.get("left_out", 0),
            "stability": stored.data_summary.get("stability"),
            "unstable": stored.data_summary.get("stability", 1.0) < UNSTABLE,
            "mostly_mixed": 2 * sum(name.startswith(MIXED) for name in fitted.names)
            > len(fitted.names),
            "assigned": len(used),
            "not_assigned": len(frame) - len(used),
            "profiles_changed": fitted.profile_digest != profiles.digest,
            "short": _short(stored.data_summary),
        },
        "profiles": [
            {"code": p.code, "name": p.name_in(lang), "description": p.description_in(lang)}
            for p in (*profiles.profiles, *(profiles.get(c) for c in codes[len(profiles.codes) :]))
        ],
        "areas": _areas(survey, listed, protected, context),
        "channels": _channels(channels, protected),
        "comparison": _comparison(fitted, profiles, lang, stored.data_summary.get("clusters")),
        "min_group_size": survey.min_group_size,
    }


def _short(summary: dict) -> dict | None:
    """The short module's agreement with the full one, when the fit could measure it."""
    if summary.get("short_agreement") is None:
        return None
    return {
        "items": summary["short_items"],
        "agreement": summary["short_agreement"],
        "n": summary["short_n"],
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


def _protected(survey: SurveyModel, used: pd.DataFrame, areas: dict, codes, min_n: int):
    """Each group's entry (n and mix) and its protected row: the whole, areas and channels.

    The whole is split by its wijken (each split by its buurten) and, separately, by its
    channels; all of them are on one page, so they are protected together as linked rows.
    """
    from survey.profiling import report as figures

    listed = _descendants(survey.area, list(areas.values()))
    channels = db.session.scalars(
        select(Channel).where(Channel.survey_id == survey.id).order_by(Channel.id)
    ).all()
    by_level = {lvl: figures.mixes(used["profile"], used[lvl], codes) for lvl in LEVELS}
    by_channel = figures.mixes(used["profile"], used["channel_id"], codes)
    whole = {"n": len(used), "mix": figures.mix_of(used["profile"], codes)} if len(used) else None
    entries = {ROOT: whole}
    entries |= {("area", a.id): by_level.get(a.level, {}).get(a.id) for a in listed}
    entries |= {("channel", c.id): by_channel.get(c.id) for c in channels}
    wijken = [a for a in listed if a.level == "wijk"]
    splits = {ROOT: [[("area", w.id) for w in wijken], [("channel", c.id) for c in channels]]}
    for wijk in wijken:
        splits[("area", wijk.id)] = [[("area", a.id) for a in listed if a.parent_id == wijk.id]]
    counts = {node: figures.counts_of(entry, codes) for node, entry in entries.items()}
    rows = figures.protect_mixes(counts, splits, ROOT, min_n)
    return listed, channels, {node: (entries[node], rows[node]) for node in entries}


def _areas(survey: SurveyModel, listed: list[Area], protected: dict, context) -> list[dict]:
    rows = [_area_row(survey.area, *protected[ROOT], survey, context)]
    for area in listed:
        rows.append(_area_row(area, *protected[("area", area.id)], survey, context))
    return rows


def _reference(area: Area | None) -> tuple[dict | None, Area | None]:
    """The area's own reference mix, else the nearest ancestor's."""
    while area is not None:
        if area.reference_mix:
            return area.reference_mix, area
        area = area.parent
    return None, None


def _area_row(area: Area | None, entry, row, survey, context) -> dict:
    from survey.profiling import report as figures

    profiles, codes, min_n, lang = context
    mix = figures.shown_mix(entry, row)
    raw_reference, source = _reference(area)
    reference = figures.normalise(raw_reference, profiles.codes)
    gap_rows = figures.gaps(mix, reference, profiles.codes)
    full = entry["mix"] if mix is not None else None  # the advice weighs hidden shares too
    recommendations = figures.recommend(full, reference, profiles, hidden=row.hidden)
    return {
        "area": (area.cbs_code or area.name) if area else survey.slug,
        "id": area.id if area else None,
        "name": area.name if area else survey.title_in(lang),
        "level": area.level if area else "peiling",
        "n": row.total,
        "mix": mix,
        "hidden": sorted(row.hidden) if mix is not None else [],
        "reference": reference,
        "reference_from": source.name if source is not None and source is not area else None,
        "gaps": gap_rows,
        "under": [g["code"] for g in gap_rows if g["under"]],
        "recommendations": [_with_reason(r, profiles, lang) for r in recommendations],
        "note": _advice_note(mix, reference, row.total, min_n),
    }


def _advice_note(mix, reference, n: int | None, min_n: int) -> str:
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
        if b["share"] is None and b["expected"] is None:
            parts.append(name)  # a hidden share: nothing about it is printed
        elif b["share"] is None:
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


def _channels(channels: list[Channel], protected: dict) -> list[dict]:
    from survey.profiling import report as figures

    rows = []
    for channel in channels:
        entry, row = protected[("channel", channel.id)]
        mix = figures.shown_mix(entry, row)
        rows.append(
            {
                "channel": channel.code,
                "label": channel.label,
                "kind": channel.kind,
                "n": row.total,
                "mix": mix,
                "hidden": sorted(row.hidden) if mix is not None else [],
            }
        )
    return rows


def _comparison(fitted: Model, profiles: ProfileSet, lang: str, sizes: dict | None) -> list[dict]:
    from survey.profiling.model import compare

    rows = compare(fitted, profiles, sizes)
    for row in rows:
        row["name"] = profiles.get(row["code"]).name_in(lang)
    return rows


def report_json(survey: SurveyModel, lang: str = "nl") -> dict:
    """The report in the JSON shape of `flask profiles report --json`:

    `stability` (0 to 1: the mean adjusted Rand index between fits on bootstrap resamples;
    null for a model stored before it was measured); `model` {version, k, n, fitted_at};
    `profiles` [{code, name, description}]; `areas`
    [{area, name, level, n, mix}] and `channels` [{channel, n, mix}], where `mix` maps every
    profile code to {share, low, high}; `recommendations` [{area, under_reached, instruments:
    [{instrument, name, weight, reason}]}]. The small-group rule of the page holds here too:
    `n` and `mix` are null for a group not shown, and a hidden profile share (under the
    minimum group size, or one that could be worked out from the other figures) is
    {share: null, low: null, high: null}.
    """
    full = build_report(survey, lang)
    return {
        "stability": full["model"]["stability"],
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


def mix_csv(survey: SurveyModel, officer=None, lang: str = "nl") -> str:
    """The profile mixes per area and per channel as CSV (`by,code,name,n,profile,share,low,
    high`), with the page's small-group rule: an empty cell is hidden. Never a row per person.
    The export is written to the Logboek."""
    data = report_json(survey, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["by", "code", "name", "n", "profile", "share", "low", "high"])
    groups = [("area", a["area"], a["name"], a) for a in data["areas"]]
    groups += [("channel", c["channel"], c["channel"], c) for c in data["channels"]]
    rows = 0
    for by, code, name, group in groups:
        for profile, cell in (group["mix"] or {}).items():
            values = [cell["share"], cell["low"], cell["high"]]
            writer.writerow(
                [by, code or "", safe_cell(name or ""), _blank(group["n"]), profile]
                + [_blank(v) for v in values]
            )
            rows += 1
    audit(officer, "export_profiles", survey.slug, rows=rows)
    db.session.commit()
    return out.getvalue()


def _blank(value) -> str:
    return "" if value is None else str(value)
