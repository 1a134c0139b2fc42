"""Inzichten: the profiles CLI on the demo, the page, notes, the area PDF, reference mixes."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pypdf
import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.features.builder import engagement
from survey.models import Answer, Area, AreaNote, AuditEvent, ProfileModel, Response, Survey

MIX_KEYS = {"share", "low", "high"}


def _demo_survey() -> Survey:
    return db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))


def _fit(demo):
    result = demo.test_cli_runner().invoke(args=["profiles", "fit", "--survey", "demo-peiling"])
    assert result.exit_code == 0, result.output
    return result


def test_fit_stores_a_new_version_and_report_has_the_documented_shape(demo):
    before = db.session.scalar(select(func.count(ProfileModel.id)))
    result = _fit(demo)
    assert "respondents used" in result.output
    stability = db.session.scalars(select(ProfileModel).order_by(ProfileModel.id.desc())).first()
    assert f"Stability: {stability.data_summary['stability']:.2f} (" in result.output
    stored = db.session.scalars(select(ProfileModel).order_by(ProfileModel.id.desc())).first()
    assert db.session.scalar(select(func.count(ProfileModel.id))) == before + 1
    assert stored.scope == "demo-peiling" and stored.k == 8 and stored.version == before + 1

    out = demo.test_cli_runner().invoke(
        args=["profiles", "report", "--survey", "demo-peiling", "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) == {"stability", "model", "profiles", "areas", "channels", "recommendations"}
    assert data["stability"] == stability.data_summary["stability"] and 0 <= data["stability"] <= 1
    assert set(data["model"]) == {"version", "k", "n", "fitted_at"}
    assert data["model"]["version"] == stored.version and data["model"]["n"] == stored.n
    assert {p["code"] for p in data["profiles"]} >= {"kartrekkers", "afwachters", "gemengd"}
    assert all(set(p) == {"code", "name", "description"} for p in data["profiles"])
    areas = {a["area"]: a for a in data["areas"]}
    assert {"GM0999", "WK099902", "BU09990202"} <= set(areas)
    molenwijk = areas["BU09990202"]
    assert molenwijk["n"] >= 10 and set(molenwijk["mix"]["aanpakkers"]) == MIX_KEYS
    whole = [c["share"] for c in areas["GM0999"]["mix"].values()]
    assert sum(whole) == pytest.approx(1, abs=0.01)
    # A share of fewer than k people (or one that could be worked out) is null, low and high too.
    shares = [c["share"] for c in molenwijk["mix"].values()]
    assert None in shares and sum(s for s in shares if s is not None) < 1
    assert all(set(c.values()) == {None} for c in molenwijk["mix"].values() if c["share"] is None)
    hidden = [a for a in data["areas"] if a["mix"] is None]
    assert hidden and all(a["n"] is None or a["n"] == 0 for a in hidden)
    channels = {c["channel"]: c for c in data["channels"]}
    assert set(channels["demo-flyer-molen"]["mix"]["afwachters"]) == MIX_KEYS
    advice = {r["area"]: r for r in data["recommendations"]}
    first = advice["BU09990202"]["instruments"][0]
    assert first["reason"].startswith("Past bij") and 0 < first["weight"] <= 1


def test_mix_writes_the_mixes_per_area_and_channel_never_a_profile_per_person(demo, tmp_path):
    _fit(demo)
    path = tmp_path / "profielen.csv"
    runner = demo.test_cli_runner()
    result = runner.invoke(args=["profiles", "mix", "--survey", "demo-peiling", "--csv", str(path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert list(rows[0]) == ["by", "code", "name", "n", "profile", "share", "low", "high"]
    assert {r["by"] for r in rows} == {"area", "channel"}
    assert not {"response_id", "ref"} & set(rows[0])
    report = json.loads(
        runner.invoke(args=["profiles", "report", "--survey", "demo-peiling", "--json"]).output
    )
    groups = report["areas"] + report["channels"]
    assert len(rows) == sum(len(g["mix"] or {}) for g in groups)  # a row per group and profile
    by_area = {a["area"]: a for a in report["areas"]}
    for row in (r for r in rows if r["by"] == "area"):
        cell = (by_area[row["code"] or None]["mix"] or {}).get(row["profile"])
        shown = cell["share"] if cell else None
        assert row["share"] == ("" if shown is None else str(shown))  # the page's rule, hidden too
    assert any(r["share"] == "" for r in rows) or all(a["mix"] for a in report["areas"])
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "export_profiles" and event.detail["rows"] == len(rows)
    assert "assign" not in runner.invoke(args=["profiles", "--help"]).output


def test_unknown_survey_and_a_survey_with_too_few_responses_give_clear_messages(demo):
    runner = demo.test_cli_runner()
    result = runner.invoke(args=["profiles", "fit", "--survey", "bestaat-niet"])
    assert result.exit_code != 0 and "geen peiling" in result.output
    survey = Survey(slug=f"klein-{uuid.uuid4().hex[:6]}", title={"nl": "Klein"})
    db.session.add(survey)
    db.session.flush()
    questions = {q.item: q for q in engagement.add_engagement_module(survey)}
    for _ in range(3):
        response = Response(uuid=str(uuid.uuid4()), survey_id=survey.id)
        response.answers = [
            Answer(question_id=questions[item].id, value=3)
            for item in ("attachment", "trust", "heard", "knows_way", "think_along", "hands_on")
        ]
        db.session.add(response)
    db.session.commit()
    result = runner.invoke(args=["profiles", "fit", "--survey", survey.slug])
    assert result.exit_code != 0 and "Te weinig reacties" in result.output
    assert "3 bruikbaar" in result.output
    result = runner.invoke(args=["profiles", "report", "--survey", survey.slug, "--json"])
    assert result.exit_code != 0 and "nog geen model" in result.output


def test_reference_mixes_import_all_or_nothing(demo, tmp_path):
    good = tmp_path / "ref.csv"
    good.write_text("area,profile,share\nVogelzang,rustige_buren,0.6\nBU09990203,afwachters,0.2\n")
    result = demo.test_cli_runner().invoke(args=["profiles", "reference", str(good)])
    assert result.exit_code == 0, result.output
    vogelzang = db.session.scalar(select(Area).where(Area.cbs_code == "BU09990203"))
    db.session.refresh(vogelzang)
    assert vogelzang.reference_mix == {"rustige_buren": 0.75, "afwachters": 0.25}
    bad = tmp_path / "bad.csv"
    bad.write_text("area,profile,share\nBU09990201,rustige_buren,0.5\nNergens,afwachters,2\n")
    result = demo.test_cli_runner().invoke(args=["profiles", "reference", str(bad)])
    assert result.exit_code != 0 and "Nergens bestaat niet" in result.output
    bloemen = db.session.scalar(select(Area).where(Area.cbs_code == "BU09990201"))
    assert bloemen.reference_mix is None


def test_page_notes_pdf_and_refit_for_an_analyst(demo, demo_client, sign_in):
    survey = _demo_survey()
    molenwijk = db.session.scalar(select(Area).where(Area.cbs_code == "BU09990202"))
    sign_in(demo_client, "analyst")
    fitted = demo_client.post(f"/officer/surveys/{survey.id}/insights/fit")
    assert fitted.status_code == 303
    page = demo_client.get(f"/officer/surveys/{survey.id}/insights").get_data(as_text=True)
    assert "Een model om nieuwsgierig van te worden" in page
    assert "Molenwijk" in page and "Werkvormen die hier passen" in page
    assert "Wie elk toegangspunt bereikte" in page and "Wat een profielnaam betekent" in page
    stored = db.session.scalars(select(ProfileModel).order_by(ProfileModel.id.desc())).first()
    stability = stored.data_summary["stability"]
    assert 0 <= stability <= 1
    assert f"Stabiliteit van het model: {stability:.2f}.".replace(".", ",", 1) in page
    text = f"Buurtcoach: veel nieuwe gezinnen {uuid.uuid4().hex[:6]}"
    posted = demo_client.post(
        f"/officer/surveys/{survey.id}/insights/areas/{molenwijk.id}/notes", data={"text": text}
    )
    assert posted.status_code == 303
    assert db.session.scalar(select(AreaNote).where(AreaNote.text == text)) is not None
    assert text in demo_client.get(f"/officer/surveys/{survey.id}/insights").get_data(as_text=True)
    empty = demo_client.post(
        f"/officer/surveys/{survey.id}/insights/areas/{molenwijk.id}/notes", data={"text": " "}
    )
    assert empty.status_code == 303
    pdf = demo_client.get(f"/officer/surveys/{survey.id}/insights/areas/{molenwijk.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    words = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Inzichten: Molenwijk" in words and text in words
    assert (
        demo_client.get(f"/officer/surveys/{survey.id}/insights/areas/999999.pdf").status_code
        == 404
    )


def test_coordinators_do_not_see_insights(demo, demo_client, sign_in):
    survey = _demo_survey()
    sign_in(demo_client, "coordinator")
    assert demo_client.get(f"/officer/surveys/{survey.id}/insights").status_code == 403
    assert demo_client.post(f"/officer/surveys/{survey.id}/insights/fit").status_code == 403


def _molenwijk_counts(survey: Survey, molenwijk: Area) -> dict:
    from survey.features.insights.service import current_model, responses_frame

    frame = responses_frame([survey])
    labels = current_model([survey])[1].assign(frame)
    return labels[frame["area_id"] == molenwijk.id].value_counts().to_dict()


def test_small_profile_shares_and_the_ones_that_give_them_away_are_not_shown(
    demo, demo_client, sign_in
):
    survey = _demo_survey()
    molenwijk = db.session.scalar(select(Area).where(Area.cbs_code == "BU09990202"))
    sign_in(demo_client, "analyst")
    demo_client.post(f"/officer/surveys/{survey.id}/insights/fit")
    k = survey.min_group_size
    counts = _molenwijk_counts(survey, molenwijk)
    out = demo.test_cli_runner().invoke(
        args=["profiles", "report", "--survey", "demo-peiling", "--json"]
    )
    mix = {a["area"]: a for a in json.loads(out.output)["areas"]}["BU09990202"]["mix"]
    hidden = {code for code, cell in mix.items() if cell["share"] is None}
    assert {code for code, n in counts.items() if 0 < n < k} <= hidden
    assert any(counts.get(code, 0) >= k for code in hidden)  # a complementary share
    shown = {code for code in mix if code not in hidden and counts.get(code, 0) >= k}
    assert shown  # big shares are still shown

    page = demo_client.get(f"/officer/surveys/{survey.id}/insights").get_data(as_text=True)
    section = page.split(f'id="gebied-{molenwijk.id}"', 1)[1].split("</section>", 1)[0]
    names = {p["code"]: p["name"] for p in json.loads(out.output)["profiles"]}
    for code in hidden:
        cells = section.split(f'<th scope="row">{names[code]}', 1)[1].split("</tr>", 1)[0]
        reached = cells.split("<td", 2)[1]  # the expected share after it may be shown
        assert "te weinig" in reached and "%" not in reached and "<svg" not in cells
    for code in shown:
        cells = section.split(f'<th scope="row">{names[code]}', 1)[1].split("</tr>", 1)[0]
        assert f"{round(mix[code]['share'] * 100)}%" in cells
    assert f'id="te-weinig-{molenwijk.id}"' in section and "uitrekenen" in section
    flyer = {c["channel"]: c for c in json.loads(out.output)["channels"]}["demo-flyer-molen"]
    assert any(cell["share"] is None for cell in flyer["mix"].values())
    row = page.split(">Flyer deur-aan-deur Molenwijk</th>", 1)[1].split("</tr>", 1)[0]
    assert row.count("te weinig") == sum(c["share"] is None for c in flyer["mix"].values())
    for code in hidden:  # nor does the advice say what was reached
        assert f"{names[code]} (bereikt" not in section

    pdf = demo_client.get(f"/officer/surveys/{survey.id}/insights/areas/{molenwijk.id}.pdf")
    words = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "te weinig" in words and "uitrekenen" in words
    for code in hidden:
        assert f"{names[code]} (bereikt" not in words


def test_groups_that_match_no_profile_are_listed_apart_with_what_sets_them_apart(
    demo, demo_client, sign_in
):
    from survey.features.insights.service import profile_set

    survey = _demo_survey()
    sign_in(demo_client, "analyst")
    demo_client.post(f"/officer/surveys/{survey.id}/insights/fit")
    stored = db.session.scalars(select(ProfileModel).order_by(ProfileModel.id.desc())).first()
    params = dict(stored.params)  # as if two clusters had matched no prototype
    codes = profile_set().codes
    params["names"] = ["gemengd-a", *codes[1:3], "gemengd-b", *codes[4:]]
    stored.params = params
    db.session.commit()
    out = demo.test_cli_runner().invoke(
        args=["profiles", "report", "--survey", "demo-peiling", "--json"]
    )
    data = json.loads(out.output)
    profiles = {p["code"]: p["name"] for p in data["profiles"]}
    assert profiles["gemengd-a"] == "Gemengd A" and profiles["gemengd-b"] == "Gemengd B"
    assert "gemengd" not in profiles
    whole = data["areas"][0]["mix"]
    assert {"gemengd-a", "gemengd-b"} <= set(whole) and "gemengd" not in whole
    page = demo_client.get(f"/officer/surveys/{survey.id}/insights").get_data(as_text=True)
    assert page.count("lijkt op geen enkel profiel goed") == 2
    assert "Gemengd A" in page and "Gemengd B" in page
    assert page.count("dan gemiddeld") >= 4  # two items for each of the two groups


def test_an_unstable_model_is_said_in_plain_words(demo, demo_client, sign_in):
    _fit(demo)
    sign_in(demo_client, "analyst")
    survey = _demo_survey()
    stored = db.session.scalars(select(ProfileModel).order_by(ProfileModel.id.desc())).first()
    url = f"/officer/surveys/{survey.id}/insights"
    assert "niet stabiel" not in demo_client.get(url).get_data(as_text=True)
    stored.data_summary = {**stored.data_summary, "stability": 0.31}
    db.session.commit()
    page = demo_client.get(url).get_data(as_text=True)
    assert "dit model is niet stabiel" in page and "Stabiliteit van het model: 0,31." in page
    _fit(demo)  # a new fit: the demo's own stability again


def _pdf_words(client, survey: Survey, area: Area) -> str:
    pdf = client.get(f"/officer/surveys/{survey.id}/insights/areas/{area.id}.pdf")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    return " ".join(text.split())  # lines wrap anywhere


def test_the_area_pdf_says_how_sure_the_model_is(demo, demo_client, sign_in):
    _fit(demo)
    sign_in(demo_client, "analyst")
    survey = _demo_survey()
    molenwijk = db.session.scalar(select(Area).where(Area.cbs_code == "BU09990202"))
    stored = db.session.scalars(select(ProfileModel).order_by(ProfileModel.id.desc())).first()
    stored.data_summary = {**stored.data_summary, "stability": 0.3}
    db.session.commit()
    words = _pdf_words(demo_client, survey, molenwijk)
    assert "Stabiliteit van het model: 0,30." in words and "bij 0 heel andere" in words
    assert "Let op: dit model is niet stabiel." in words
    assert "Let op: de meeste groepen" not in words

    stored.data_summary = {**stored.data_summary, "stability": 0.9}
    params = dict(stored.params)  # five of eight groups match no profile; one lies far off
    params["names"] = [f"gemengd-{c}" for c in "abcde"] + params["names"][5:]
    params["distances"] = [0.05, 0.15, 0.3, *params["distances"][3:]]
    stored.params = params
    db.session.commit()
    words = _pdf_words(demo_client, survey, molenwijk)
    assert "Stabiliteit van het model: 0,90." in words and "niet stabiel" not in words
    assert "Let op: de meeste groepen lijken op geen enkel profiel." in words
    assert "Gemengd A: dicht bij het voorbeeld" in words
    assert "Gemengd B: redelijk dicht bij het voorbeeld" in words
    assert "Gemengd C: ver van het voorbeeld" in words
    page = demo_client.get(f"/officer/surveys/{survey.id}/insights").get_data(as_text=True)
    assert "Gemengd C · ver van het voorbeeld" in page and "bij 0 heel andere" in page
    assert "de meeste groepen lijken op geen enkel profiel" in page
    _fit(demo)  # a new fit: the demo's own model again
