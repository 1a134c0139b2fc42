"""Exports read back with pandas: right rows and columns, nothing withheld, no formulas."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.features.responses.exports import META_COLUMNS
from survey.models import AuditEvent, Question
from tests.web.test_dashboard import _t, add_response, areas_by_name, make_survey

CODES = ["kleur", "hobby", "cijfer", "idee", "jaren"]


def _read(result, fmt: str) -> pd.DataFrame:
    assert result.status_code == 200, result.get_data(as_text=True)
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(result.data), dtype=str, keep_default_na=False)
    return pd.read_excel(
        io.BytesIO(result.data), sheet_name="Reacties", dtype=str, keep_default_na=False
    )


@pytest.fixture
def survey_with_answers(app):
    survey = make_survey()
    areas = areas_by_name()
    poster, web = survey.channels
    add_response(
        survey,
        {"kleur": "rood", "hobby": ["lezen", "sport"], "cijfer": 4, "idee": "Meer bomen"},
        poster,
        areas["Aabuurt"],
    )
    add_response(
        survey,
        {"kleur": "blauw", "idee": "Ik woon op Dorpsstraat 12, bel Piet"},
        web,
        areas["Beebuurt"],
        lang="en",
        moderation={"idee": "personal"},
    )
    add_response(survey, {"idee": "Iets grofs"}, web, moderation={"idee": "hidden"})
    add_response(
        survey,
        {"idee": '=HYPERLINK("http://evil")', "jaren": 7},
        web,
        areas["Beebuurt"],
        layer="deeper",
    )
    add_response(survey, {"idee": "+31 6 123"}, web)
    add_response(survey, {"idee": "-1+2"}, web)
    add_response(survey, {"idee": "@SUM(A1)"}, web)
    return survey


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reads_back_with_one_row_per_response_and_a_column_per_question(
    survey_with_answers, client, sign_in, fmt
):
    survey = survey_with_answers
    sign_in(client, "analyst")
    frame = _read(client.get(f"/officer/surveys/{survey.id}/export.{fmt}?labels=en"), fmt)
    assert list(frame.columns) == META_COLUMNS + CODES
    assert len(frame) == 7
    first = frame.iloc[0]
    assert (first["kleur"], first["hobby"], first["cijfer"]) == ("Red", "Reading; Sports", "4")
    # One response in Aabuurt and two in Beebuurt (k = 3): a row names their wijk.
    assert (first["channel"], first["area"], first["area_code"]) == (
        "Poster A",
        "Testwijk",
        "WK999901",
    )
    assert frame.iloc[1]["kleur"] == "Blue" and frame.iloc[1]["lang"] == "en"
    dutch = _read(client.get(f"/officer/surveys/{survey.id}/export.{fmt}?labels=nl"), fmt)
    assert dutch.iloc[0]["kleur"] == "Rood" and dutch.iloc[0]["hobby"] == "Lezen; Sport"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_row_names_an_area_only_where_k_rows_share_the_name_and_a_day_not_the_minute(
    app, client, sign_in, fmt
):
    survey = make_survey(min_group=3)
    areas = areas_by_name()
    poster, web = survey.channels
    for _ in range(3):
        add_response(survey, {"kleur": "rood"}, poster, areas["Aabuurt"])
    add_response(survey, {"kleur": "blauw"}, web, areas["Beebuurt"])  # alone in Beebuurt
    sign_in(client, "analyst")
    frame = _read(client.get(f"/officer/surveys/{survey.id}/export.{fmt}"), fmt)
    assert list(frame["area"]) == ["Aabuurt"] * 3 + [""]  # not Beebuurt, and not Testwijk
    assert list(frame["area_code"]) == ["BU99990101"] * 3 + [""]
    assert all(len(cell) == 10 for cell in frame["started_at"])  # 2026-12-03, no time
    page = client.get(f"/officer/surveys/{survey.id}/responses").get_data(as_text=True)
    rows = page.split("<tbody>")[1]  # the filter menu above names every area
    assert rows.count(">Aabuurt<") == 3 and "Beebuurt" not in rows and "Testwijk" not in rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hidden_and_personal_answers_do_not_appear(survey_with_answers, client, sign_in, fmt):
    survey = survey_with_answers
    sign_in(client, "editor")
    result = client.get(f"/officer/surveys/{survey.id}/export.{fmt}")
    frame = _read(result, fmt)
    ideas = list(frame["idee"])
    assert "Meer bomen" in ideas
    assert ideas[1] == "" and ideas[2] == ""
    if fmt == "csv":
        raw = result.data.decode("utf-8-sig")
        assert "Dorpsstraat" not in raw and "grofs" not in raw


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cells_that_would_run_as_formulas_are_neutralised(
    survey_with_answers, client, sign_in, fmt
):
    survey = survey_with_answers
    sign_in(client, "analyst")
    frame = _read(client.get(f"/officer/surveys/{survey.id}/export.{fmt}"), fmt)
    ideas = list(frame["idee"])[3:]
    assert ideas == ['\'=HYPERLINK("http://evil")', "'+31 6 123", "'-1+2", "'@SUM(A1)"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in frame.to_numpy().ravel())


def test_exports_respect_the_filters_and_are_written_to_the_audit_log(
    survey_with_answers, client, sign_in
):
    survey = survey_with_answers
    officer = sign_in(client, "analyst")
    area = areas_by_name()["Beebuurt"]
    url = f"/officer/surveys/{survey.id}/export.csv?area={area.id}&layer=core&labels=en"
    frame = _read(client.get(url), "csv")
    assert len(frame) == 1 and list(frame["area"]) == [""]  # one row: under k = 3, unnamed
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export_responses")
    ).all()
    assert len(events) == 1
    assert events[0].officer_id == officer.id
    assert events[0].detail == {
        "format": "csv",
        "lang": "en",
        "filters": {"area": str(area.id), "layer": "core"},
        "rows": 1,
    }


def test_exports_are_not_for_coordinators_and_bad_languages_are_refused(
    survey_with_answers, client, sign_in
):
    survey = survey_with_answers
    sign_in(client, "coordinator")
    assert client.get(f"/officer/surveys/{survey.id}/export.csv").status_code == 403
    client.post("/officer/logout")
    sign_in(client, "analyst")
    assert client.get(f"/officer/surveys/{survey.id}/export.csv?labels=xx").status_code == 400
    assert client.get(f"/officer/surveys/{survey.id}/export.pdf").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_odd_bytes_and_split_formulas_in_an_answer_still_export_safely(
    survey_with_answers, client, sign_in, fmt
):
    survey = survey_with_answers
    web = survey.channels[0]
    add_response(survey, {"idee": "Bank\x01je\x1b bij de vijver"}, web)
    add_response(survey, {"idee": "Meer groen;=1+1"}, web)
    sign_in(client, "analyst")
    frame = _read(client.get(f"/officer/surveys/{survey.id}/export.{fmt}"), fmt)
    ideas = list(frame["idee"])[-2:]
    assert ideas == ["Bankje bij de vijver", "'Meer groen;=1+1"]


# --- SPSS (.sav) and the codebook sheet ---


def _read_sav(result):
    import pyreadstat

    assert result.status_code == 200, result.get_data(as_text=True)
    assert result.mimetype == "application/x-spss-sav"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.sav"
        path.write_bytes(result.data)
        return pyreadstat.read_sav(str(path))


def test_spss_export_has_codes_with_value_labels_and_a_variable_per_option(
    survey_with_answers, client, sign_in
):
    survey = survey_with_answers
    sign_in(client, "analyst")
    result = client.get(f"/officer/surveys/{survey.id}/export.sav?labels=en")
    assert 'filename="test-peiling.sav"' in result.headers["Content-Disposition"]
    frame, meta = _read_sav(result)
    assert list(frame.columns) == META_COLUMNS + [
        "kleur",
        "hobby_lezen",
        "hobby_sport",
        "cijfer",
        "idee",
        "jaren",
    ]
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["kleur"] == "Which colour?"
    assert labels["hobby_sport"] == "Which hobbies?: Sports"
    values = meta.variable_value_labels
    assert values["kleur"] == {1: "Red", 2: "Blue", 3: "Green"}
    assert values["cijfer"][4] == "4" and set(values["hobby_lezen"]) == {0, 1}  # (not) chosen
    assert list(frame["kleur"][:2]) == [1, 2]
    assert (frame["hobby_lezen"][0], frame["hobby_sport"][0]) == (1, 1)
    assert frame["hobby_lezen"][1:].isna().all()  # not answered: missing, not "not chosen"
    assert frame["cijfer"][0] == 4 and frame["jaren"][3] == 7
    # The same rules as the other exports: withheld answers out, an area only for k rows, days.
    ideas = list(frame["idee"])
    assert ideas[0] == "Meer bomen" and ideas[1] == "" and ideas[2] == ""
    assert "Dorpsstraat" not in result.data.decode("latin-1")
    assert frame["area"][0] == "Testwijk" and frame["area_code"][0] == "WK999901"
    assert all(len(day) == 10 for day in frame["started_at"])
    assert set(values["verdacht"]) == {0, 1} and set(frame["verdacht"]) == {0}


def test_spss_names_are_valid_and_unique_whatever_the_codes(app, client, sign_in):
    survey = make_survey()
    survey.questions.append(
        Question(position=6, code="r1-abc123", type="statement", text=_t("Meer bankjes", "Benches"))
    )
    survey.questions.append(
        Question(
            position=7,
            code="to",
            type="multiple",
            text=_t("Wat?", "What?"),
            options=[
                {"value": "a b", "text": _t("A", "A")},
                {"value": "a-b", "text": _t("B", "B")},
            ],
        )
    )
    db.session.commit()
    add_response(survey, {"r1-abc123": "disagree", "to": ["a-b"]}, survey.channels[1])
    sign_in(client, "analyst")
    frame, meta = _read_sav(client.get(f"/officer/surveys/{survey.id}/export.sav"))
    names = list(frame.columns)
    assert {"r1_abc123", "to_a_b", "to_a_b_2"} <= set(names)
    assert len({n.lower() for n in names}) == len(names)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}", n) for n in names)
    assert meta.variable_value_labels["r1_abc123"] == {1: "Eens", 2: "Oneens", 3: "Overgeslagen"}
    assert meta.variable_value_labels["to_a_b"] == {0: "Niet gekozen", 1: "Gekozen"}
    assert dict(zip(meta.column_names, meta.column_labels, strict=True))["to_a_b_2"] == "Wat?: B"
    assert frame["r1_abc123"][0] == 2 and (frame["to_a_b"][0], frame["to_a_b_2"][0]) == (0, 1)


def test_spss_export_keeps_the_area_rule_and_the_access_rules(app, client, sign_in):
    survey = make_survey(min_group=3)
    areas = areas_by_name()
    poster, web = survey.channels
    for _ in range(3):
        add_response(survey, {"kleur": "rood"}, poster, areas["Aabuurt"])
    add_response(survey, {"kleur": "blauw"}, web, areas["Beebuurt"])
    sign_in(client, "coordinator")
    assert client.get(f"/officer/surveys/{survey.id}/export.sav").status_code == 403
    client.post("/officer/logout")
    sign_in(client, "analyst")
    assert client.get(f"/officer/surveys/{survey.id}/export.sav?labels=xx").status_code == 400
    frame, _meta = _read_sav(client.get(f"/officer/surveys/{survey.id}/export.sav"))
    assert list(frame["area"]) == ["Aabuurt"] * 3 + [""]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export_responses")
    ).one()
    assert event.detail["format"] == "sav" and event.detail["rows"] == 4


def test_the_excel_export_has_a_codebook_sheet(survey_with_answers, client, sign_in):
    from openpyxl import load_workbook

    survey = survey_with_answers
    sign_in(client, "analyst")
    result = client.get(f"/officer/surveys/{survey.id}/export.xlsx?labels=en")
    book = load_workbook(io.BytesIO(result.data), read_only=True)
    assert book.sheetnames == ["Reacties", "Vragen", "Codeboek"]
    rows = list(book["Codeboek"].iter_rows(values_only=True))
    assert rows[0] == ("variable", "code", "question", "type", "value", "label")
    assert ("kleur", "kleur", "Which colour?", "single", 2, "Blue") in rows
    assert ("hobby_sport", "hobby", "Which hobbies?: Sports", "multiple", 1) in {
        r[:5] for r in rows
    }
    assert ("idee", "idee", "An idea?", "text", None, None) in rows
    assert rows[1][0] == "response"
