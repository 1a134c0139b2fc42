"""The expected mix per buurt from CBS figures, which source wins, and weighted figures."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime

import numpy as np
import pypdf
import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.features.builder import engagement
from survey.features.insights import service
from survey.features.insights.report import build_report, report_json
from survey.models import Answer, Area, Question, Response, Survey
from survey.profiling import synthetic
from tests.conftest import _empty_tables

OLD = {  # many over-65s, few families
    "AantalInwoners": 1000.0,
    "k_0Tot15Jaar": 100.0,
    "k_15Tot25Jaar": 50.0,
    "k_25Tot45Jaar": 150.0,
    "k_45Tot65Jaar": 250.0,
    "k_65JaarOfOuder": 450.0,
    "HuishoudensTotaal": 500.0,
    "HuishoudensMetKinderen": 60.0,
    "Koopwoningen": 70.0,
    "HuurwoningenTotaal": 30.0,
}
YOUNG = {
    **OLD,
    "k_15Tot25Jaar": 300.0,
    "k_25Tot45Jaar": 400.0,
    "k_45Tot65Jaar": 150.0,
    "k_65JaarOfOuder": 50.0,
    "HuishoudensMetKinderen": None,  # CBS's "." (secret): the sample's own share is used
}
AGES = ["15-24", "25-44", "45-64", "65+"]


def _area(code, level, name, parent=None, **extra) -> Area:
    area = Area(cbs_code=code, level=level, name=name, parent=parent, **extra)
    db.session.add(area)
    return area


@pytest.fixture(scope="module")
def planted(engine_app):
    """A survey of 700 respondents whose first profile is mostly over 65, in four buurten.

    Made once per engine for the module (fitting takes a while); the tests only read it.
    """
    with engine_app.app_context():
        _empty_tables()
        yield _plant()
        db.session.remove()


def _plant():
    profiles = service.profile_set()
    older = profiles.codes[0]
    gemeente = _area("GM0001", "gemeente", "Testdorp")
    wijk = _area(
        "WK000101", "wijk", "Oost", gemeente, reference_mix=dict.fromkeys(profiles.codes, 1)
    )
    buurten = {
        "old": _area("BU00010101", "buurt", "Oud", wijk, figures=OLD, figures_year=2024),
        "young": _area("BU00010102", "buurt", "Jong", wijk, figures=YOUNG, figures_year=2024),
        "inherits": _area("BU00010103", "buurt", "Zonder cijfers", wijk),
        "own": _area(
            "BU00010104",
            "buurt",
            "Eigen mix",
            wijk,
            figures=OLD,
            figures_year=2023,
            reference_mix={older: 0.5, profiles.codes[1]: 0.5},
        ),
    }
    survey = Survey(slug="planted", kind="needs", title={"nl": "Test"}, area=gemeente)
    db.session.add(survey)
    for position, (item, options) in enumerate(
        [("age_band", AGES), ("household", ["children", "no_children"])], start=1
    ):
        survey.questions.append(
            Question(
                position=position,
                code=item,
                item=item,
                type="single",
                text={"nl": item},
                options=[{"value": v, "text": {"nl": v}} for v in options],
            )
        )
    engagement.add_engagement_module(survey)
    db.session.flush()
    questions = {q.code: q for q in survey.questions}
    frame = synthetic.respondents(profiles, 700, noise=0.4, flip=0.05, seed=3)
    rng = np.random.default_rng(4)
    when = datetime(2026, 11, 1, tzinfo=UTC)
    areas = list(buurten.values())
    for i, row in frame.iterrows():
        is_older = row["true"] == older
        age = rng.choice(AGES, p=[0.02, 0.03, 0.05, 0.9] if is_older else [0.3, 0.4, 0.25, 0.05])
        values = {"age_band": str(age), "household": str(rng.choice(["children", "no_children"]))}
        values |= {item: int(row[item]) for item in engagement.ITEM_CODES if item != "channels"}
        values["channels"] = row["channels"] or ["online"]
        area = areas[i % len(areas)]
        response = Response(
            uuid=str(uuid.uuid4()),
            survey_id=survey.id,
            area_id=area.id,
            lang="nl",
            started_at=when,
            updated_at=when,
            completed_at=when,
            layer="core",
        )
        response.answers = [
            Answer(question_id=questions[code].id, value=value, answered_at=when)
            for code, value in values.items()
        ]
        db.session.add(response)
    db.session.commit()
    service.fit_model([survey])
    return survey, buurten, wijk, older


def _by_code(data: dict) -> dict:
    return {a["area"]: a for a in data["areas"]}


def test_a_buurt_with_many_over_65s_expects_more_of_the_profile_older_residents_have(planted):
    survey, buurten, wijk, older = planted
    areas = _by_code(report_json(survey))
    old, young = areas["BU00010101"], areas["BU00010102"]
    assert old["expected_source"] == young["expected_source"] == "figures"
    assert set(old["expected"]) == set(old["mix"])
    for cell in old["expected"].values():
        assert set(cell) == {"share", "low", "high"}
        assert cell["low"] <= cell["share"] <= cell["high"]
    print(
        "expected share of", older, "old", old["expected"][older], "young", young["expected"][older]
    )
    assert old["expected"][older]["share"] > young["expected"][older]["share"] + 0.2
    assert sum(c["share"] for c in old["expected"].values()) == pytest.approx(1, abs=0.01)


def test_which_source_wins(planted):
    survey, buurten, wijk, older = planted
    areas = _by_code(report_json(survey))
    # no figures of its own: the wijk's reference mix, with no interval
    inherits = areas["BU00010103"]
    assert inherits["expected_source"] == "reference"
    assert all(c["low"] == c["share"] == c["high"] for c in inherits["expected"].values())
    # a reference entered for this very area wins over its own figures
    own = areas["BU00010104"]
    assert own["expected_source"] == "reference"
    assert own["expected"][older]["share"] == 0.5
    # the wijk has its own reference; the gemeente has neither
    assert areas["WK000101"]["expected_source"] == "reference"
    assert areas["GM0001"]["expected_source"] is None and areas["GM0001"]["expected"] is None


def test_weighted_mix_and_representativeness_follow_the_cbs_make_up(planted):
    survey, buurten, wijk, older = planted
    report = build_report(survey)
    rows = {a["area"]: a for a in report["areas"]}
    old = rows["BU00010101"]
    weighted = old["weighted"]
    assert weighted["year"] == 2024 and weighted["from"] is None
    # the sample has fewer over-65s than the buurt: weighting raises their profile's share
    assert weighted["shares"][older] > old["mix"][older]["share"] + 0.05
    assert 0 < weighted["effective_n"] < old["n"]
    score = weighted["representativeness"]
    assert set(score["by"]) == {"age_band", "household"} and 0 < score["score"] < 1
    young = rows["BU00010102"]["weighted"]
    assert set(young["representativeness"]["by"]) == {"age_band"}  # households: "."
    assert young["representativeness"]["by"]["age_band"] > score["by"]["age_band"]
    assert rows["BU00010103"]["weighted"] is None  # no figures here nor in its wijk


def test_the_page_says_where_each_expected_mix_comes_from(planted, engine_app, sign_in):
    survey, buurten, wijk, older = planted
    client = engine_app.test_client()
    sign_in(client, "analyst")
    page = client.get(f"/officer/surveys/{survey.id}/insights").get_data(as_text=True)
    assert "Hoe we de verwachte mix uit CBS-cijfers maken" in page
    assert "lijken op de mensen die antwoordden" in page
    old = page.split(f'id="gebied-{buurten["old"].id}"', 1)[1].split("</section>", 1)[0]
    assert "berekend uit de CBS-cijfers van Oud (2024)" in old
    assert "Gewogen" in old and "tellen de reacties als" in old
    inherits = page.split(f'id="gebied-{buurten["inherits"].id}"', 1)[1].split("</section>", 1)[0]
    assert "de mix die een collega invoerde voor Oost" in inherits
    pdf = client.get(f"/officer/surveys/{survey.id}/insights/areas/{buurten['old'].id}.pdf")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    text = " ".join(text.split())
    assert "berekend uit de CBS-cijfers van Oud (2024)" in text
    assert "Gewogen: zo zou de mix zijn" in text and "Leeftijd en huishouden:" in text


def test_no_output_gives_a_profile_per_respondent(planted):
    survey, *_ = planted
    text = json.dumps(report_json(survey))
    refs = db.session.scalars(select(Response.uuid).where(Response.survey_id == survey.id)).all()
    assert not any(ref in text for ref in refs)
    assert "response_id" not in text


def test_dashboard_weighted_figures_with_the_effective_sample_size(planted, engine_app, sign_in):
    survey, buurten, wijk, older = planted
    client = engine_app.test_client()
    assert client.get(f"/officer/surveys/{survey.id}/dashboard/gewogen").status_code in (302, 303)
    sign_in(client, "analyst")
    dashboard = client.get(f"/officer/surveys/{survey.id}/dashboard").get_data(as_text=True)
    assert f"/officer/surveys/{survey.id}/dashboard/gewogen" in dashboard
    page = client.get(f"/officer/surveys/{survey.id}/dashboard/gewogen")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # three buurten have figures (one inherits none): their respondents are weighted
    weighted_n = int(html.split('id="weighted-n">', 1)[1].split("<", 1)[0])
    effective = int(html.split('id="effective-n">', 1)[1].split("<", 1)[0])
    assert weighted_n == 525 and 0 < effective < weighted_n
    assert "Oud" in html and "Zonder cijfers" not in html.split("Gewogen buurten:", 1)[1][:200]
    age = next(q for q in survey.questions if q.code == "age_band")
    table = html.split(f'id="weighted-{age.id}"', 1)[1].split("</table>", 1)[0]
    cells = {
        row.split("</th>", 1)[0]: row.split('<td class="num">')[1:]
        for row in table.split('<th scope="row">')[1:]
    }
    reached, weighted = (int(c.split("%", 1)[0]) for c in cells["65+"])
    assert weighted > reached + 5  # over-65s were under-reached in the old buurten
    # a filter to one buurt, and nonsense in the query string, are fine
    only_old = client.get(
        f"/officer/surveys/{survey.id}/dashboard/gewogen?area={buurten['old'].id}&from=%ff"
    )
    assert only_old.status_code == 200
    assert 'id="weighted-n">175<' in only_old.get_data(as_text=True)
    young = client.get(
        f"/officer/surveys/{survey.id}/dashboard/gewogen?area={buurten['inherits'].id}"
    )
    assert 'id="no-weights"' in young.get_data(as_text=True)


def test_above_the_sample_size_the_weighted_figures_come_from_a_stable_sample(
    planted, engine_app, sign_in, monkeypatch
):
    from survey.features.responses import weighted

    monkeypatch.setattr(weighted, "SAMPLE", 300)
    survey, buurten, wijk, older = planted
    client = engine_app.test_client()
    sign_in(client, "analyst")
    url = f"/officer/surveys/{survey.id}/dashboard/gewogen"
    html = client.get(url).get_data(as_text=True)
    assert "Er passen 700 reacties bij de filters" in html
    assert "een steekproef van 300 reacties" in html
    weighted_n = int(html.split('id="weighted-n">', 1)[1].split("<", 1)[0])
    assert 150 < weighted_n <= 300  # three of the four buurten have figures
    again = client.get(url).get_data(as_text=True)
    figures = html.split('id="weighted-n">', 1)[1].split("{% endblock", 1)[0]
    assert again.split('id="weighted-n">', 1)[1] == figures  # the same sample every view
    age = next(q for q in survey.questions if q.code == "age_band")
    table = html.split(f'id="weighted-{age.id}"', 1)[1].split("</table>", 1)[0]
    row = table.split('<th scope="row">65+</th>', 1)[1].split("</tr>", 1)[0]
    reached, weighted_share = (int(c.split("%", 1)[0]) for c in row.split('<td class="num">')[1:])
    assert weighted_share > reached + 5  # the sample tells the same story as all responses
    one_buurt = client.get(f"{url}?area={buurten['old'].id}").get_data(as_text=True)
    assert 'id="sampled"' not in one_buurt  # 175 responses: all of them are read


def test_the_commands_say_what_the_expected_mixes_rest_on(planted, engine_app):
    survey, *_ = planted
    runner = engine_app.test_cli_runner()
    fitted = runner.invoke(args=["profiles", "fit", "--survey", survey.slug])
    assert fitted.exit_code == 0, fitted.output
    assert "Expected mixes from CBS figures: learnt from 700 respondents" in fitted.output
    text = runner.invoke(args=["profiles", "report", "--survey", survey.slug])
    assert text.exit_code == 0, text.output
    assert "expected (figures):" in text.output and "expected (reference):" in text.output
