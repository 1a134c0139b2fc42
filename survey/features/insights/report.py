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
from survey.features.insights import expectation
from survey.features.insights.service import current_model, profile_set, responses_frame
from survey.models import Area, Channel
from survey.models import Survey as SurveyModel
from survey.profiling.profiles import MIXED, ProfileSet

if TYPE_CHECKING:  # pandas and the engine load when a report is built
    import pandas as pd

    from survey.profiling.model import Model

UNSTABLE = 0.6  # a stability under this gets a warning on Inzichten and in the PDF
# A group whose centroid lies at most this far from its prototype (root mean square over the
# prototype's items, scaled so a 1-5 item spans 1) is "dicht bij" it; up to the model's
# MIXED_DISTANCE (0.22) "redelijk"; beyond that "ver van" it. Page and PDF both use `closeness`.
CLOSE = 0.11
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
    dependence = expectation.dependence_of(stored.params)
    context = (profiles, codes, survey.min_group_size, lang, dependence, used)
    listed, channels, protected = _protected(survey, used, areas, codes, survey.min_group_size)
    stability = stored.data_summary.get("stability")
    unstable = _unstable(stability)
    mostly_mixed = 2 * sum(name.startswith(MIXED) for name in fitted.names) > len(fitted.names)
    return {
        "model": {
            "version": stored.version,
            "k": stored.k,
            "n": stored.n,
            "fitted_at": stored.fitted_at.isoformat(timespec="seconds"),
            "left_out": stored.data_summary.get("left_out", 0),
            "stability": stability,
            "stability_text": _decimal(stability, lang),
            "unstable": unstable,
            "mostly_mixed": mostly_mixed,
            "warnings": model_warnings(unstable, mostly_mixed),
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
        "expected_from_figures": dependence is not None,
        "channels": _channels(channels, protected),
        "comparison": _comparison(fitted, profiles, lang, stored.data_summary.get("clusters")),
        "min_group_size": survey.min_group_size,
    }


def mix_chart(report: dict, row: dict):
    """An area's profile mix with its intervals (and the expected shares) as an SVG chart, for
    the page and the PDF; None when the area's mix is not shown. Hidden shares say "te weinig"."""
    from survey.core.charts import interval_chart

    if row["mix"] is None:
        return None
    reference = row["reference"] or {}
    rows = [
        (p["name"], cell["share"], cell["low"], cell["high"], reference.get(p["code"]))
        for p in report["profiles"]
        if (cell := row["mix"].get(p["code"])) is not None
    ]
    return interval_chart(
        f"mix-{row['id'] or 'all'}",
        _("Profielen in %(area)s", area=row["name"]),
        _(
            "Per profiel het aandeel dat we bereikten (vierkantje) met de marge (streep) en, "
            "als we dat weten, het aandeel dat we verwachten (oranje streepje)."
        ),
        rows,
        _("te weinig"),
    )


def model_warnings(unstable: bool, mostly_mixed: bool) -> list[str]:
    """The warnings about the model itself, for the page and the PDF."""
    out = []
    if unstable:
        out.append(
            _(
                "Let op: dit model is niet stabiel. Met een andere steekproef van dezelfde "
                "reacties komen er andere groepen uit. Lees de profielen als een vraag, niet als "
                "een antwoord."
            )
        )
    if mostly_mixed:
        out.append(
            _(
                "Let op: de meeste groepen lijken op geen enkel profiel. De profielen passen niet "
                "goed bij deze inwoners: kijk zelf wat de groepen kenmerkt."
            )
        )
    return out


def stability_note() -> str:
    """What the stability figure means, in one line (page and PDF)."""
    return _(
        "Bij 1 komen met een andere steekproef van dezelfde reacties dezelfde groepen terug, "
        "bij 0 heel andere."
    )


def _unstable(stability: float | None) -> bool:
    """Whether a stability gets the warning; not measured (None) gets none."""
    return stability is not None and stability < UNSTABLE


def _decimal(value: float | None, lang: str) -> str | None:
    """A figure with two decimals, with a decimal comma in Dutch; None stays None."""
    if value is None:
        return None
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "nl" else text


def closeness(distance: float) -> str:
    """How near a group lies to its prototype, in words: the one rule for page and PDF."""
    from survey.profiling.model import MIXED_DISTANCE

    if distance <= CLOSE:
        return _("dicht bij het voorbeeld")
    if distance <= MIXED_DISTANCE:
        return _("redelijk dicht bij het voorbeeld")
    return _("ver van het voorbeeld")


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


def _area_row(area: Area | None, entry, row, survey, context) -> dict:
    from survey.profiling import report as figures

    profiles, codes, min_n, lang, dependence, used = context
    mix = figures.shown_mix(entry, row)
    expected = expectation.expect(area, dependence, codes, profiles.codes)
    reference = expected.shares
    gap_rows = figures.gaps(mix, reference, profiles.codes, bounds=expected.cells)
    full = entry["mix"] if mix is not None else None  # the advice weighs hidden shares too
    recommendations = figures.recommend(full, reference, profiles, hidden=row.hidden)
    respondents = (
        used if area is None or area.level not in LEVELS else used[used[area.level] == area.id]
    )
    weighted = expectation.weighted(respondents, area, codes) if mix is not None else None
    profile_score = _profile_score(mix, row, reference)
    if weighted is not None:
        weighted["shares"] = {
            c: None if c in row.hidden else v for c, v in weighted["shares"].items()
        }
    return {
        "area": (area.cbs_code or area.name) if area else survey.slug,
        "id": area.id if area else None,
        "name": area.name if area else survey.title_in(lang),
        "level": area.level if area else "peiling",
        "n": row.total,
        "mix": mix,
        "hidden": sorted(row.hidden) if mix is not None else [],
        "reference": reference,
        "expected": expected.cells,
        "expected_source": expected.source,
        "expected_year": expected.year,
        "reference_from": expected.area.name
        if expected.area is not None and expected.area is not area
        else None,
        "weighted": weighted,
        "expected_note": _expected_note(expected, area),
        "profile_representativeness": profile_score,
        "weighted_note": _weighted_note(weighted, profile_score),
        "gaps": gap_rows,
        "under": [g["code"] for g in gap_rows if g["under"]],
        "recommendations": [_with_reason(r, profiles, lang) for r in recommendations],
        "note": _advice_note(mix, reference, row.total, min_n),
    }


def _expected_note(expected: expectation.Expectation, area: Area | None) -> str:
    """Where the expected mix comes from, in a sentence (the page and the PDF)."""
    source = expected.area.name if expected.area is not None else ""
    if expected.source == expectation.FIGURES:
        return _(
            "Verwacht: berekend uit de CBS-cijfers van %(area)s (%(year)s).",
            area=source,
            year=expected.year or "?",
        )
    if expected.source == expectation.REFERENCE:
        return _("Verwacht: de mix die een collega invoerde voor %(area)s.", area=source)
    return ""


def _weighted_note(weighted: dict | None, profile_score: float | None) -> str:
    """What the weighted shares mean and how alike the reached residents are (page and PDF)."""
    if weighted is None:
        return ""
    parts = [
        _(
            "Gewogen: zo zou de mix zijn als de reacties dezelfde leeftijd en huishoudens hadden "
            "als het gebied volgens het CBS (%(year)s). Na weging tellen de reacties als %(n)s "
            "reacties.",
            year=weighted["year"] or "?",
            n=weighted["effective_n"],
        )
    ]
    if weighted["representativeness"]:
        score = round(weighted["representativeness"]["score"] * 100)
        parts.append(
            _("Lijken de reacties op het gebied? Leeftijd en huishouden: %(s)s van 100.", s=score)
        )
    if profile_score is not None:
        parts.append(_("Profielen: %(s)s van 100.", s=round(profile_score * 100)))
    return " ".join(parts)


def _profile_score(mix: dict | None, row, reference: dict | None) -> float | None:
    """How close the reached profile mix is to the expected one (1 - total variation
    distance); only when no share is hidden, as the score would tell about hidden ones."""
    from survey.profiling.weights import representativeness

    if mix is None or reference is None or row.hidden:
        return None
    reached = {c: cell["share"] for c, cell in mix.items()}
    return round(representativeness(reached, reference), 3)


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
        row["closeness"] = closeness(row["distance"])
    return rows


def report_json(survey: SurveyModel, lang: str = "nl") -> dict:
    """The report in the JSON shape of `flask profiles report --json`:

    `stability` (0 to 1: the mean adjusted Rand index between fits on bootstrap resamples;
    null for a model stored before it was measured); `model` {version, k, n, fitted_at};
    `profiles` [{code, name, description}]; `areas`
    [{area, name, level, n, mix, expected, expected_source}] and `channels` [{channel, n,
    mix}], where `mix` maps every profile code to {share, low, high}; `expected` is the mix
    expected in the area in the same shape (from CBS figures with its interval, or an
    officer's reference mix with low = high = share) or null, and `expected_source` says
    which: "figures", "reference" or null; `recommendations` [{area, under_reached, instruments:
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
        "areas": [
            {k: a[k] for k in ("area", "name", "level", "n", "mix", "expected", "expected_source")}
            for a in full["areas"]
        ],
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
