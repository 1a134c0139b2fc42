"""Inzichten: each area's profile mix as an interval chart with its table one click away, and
the same chart in the area PDF; a hidden share is drawn as "te weinig", never as a number."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pypdf
from sqlalchemy import select

from survey.extensions import db
from survey.models import Area, Survey

NS = "{http://www.w3.org/2000/svg}"


def test_the_mix_is_an_interval_chart_on_the_page_and_in_the_pdf(demo, demo_client, sign_in):
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    molenwijk = db.session.scalar(select(Area).where(Area.cbs_code == "BU09990202"))
    sign_in(demo_client, "analyst")
    assert demo_client.post(f"/officer/surveys/{survey.id}/insights/fit").status_code == 303
    out = demo.test_cli_runner().invoke(
        args=["profiles", "report", "--survey", "demo-peiling", "--json"]
    )
    report = json.loads(out.output)
    mix = {a["area"]: a for a in report["areas"]}["BU09990202"]["mix"]
    names = {p["code"]: p["name"] for p in report["profiles"]}

    page = demo_client.get(f"/officer/surveys/{survey.id}/insights").get_data(as_text=True)
    found = re.search(rf'<svg [^>]*id="mix-{molenwijk.id}".*?</svg>', page, re.S)
    assert found
    svg = ET.fromstring(found.group(0))
    assert svg.get("role") == "img"
    assert svg.find(f"{NS}title").text == "Profielen in Molenwijk"
    texts = [t.text for t in svg.iter(f"{NS}text")]
    for code in mix:
        assert names[code][:29] in " ".join(texts)
    hidden = [code for code, cell in mix.items() if cell["share"] is None]
    assert texts.count("te weinig") == len(hidden) > 0
    assert len([r for r in svg.iter(f"{NS}rect") if r.get("class") == "chart-estimate"]) == len(
        mix
    ) - len(hidden)
    section = page.split(f'id="gebied-{molenwijk.id}"', 1)[1].split("</section>", 1)[0]
    assert '<details class="chart-data">' in section and 'class="insight-mix"' in section

    pdf = demo_client.get(f"/officer/surveys/{survey.id}/insights/areas/{molenwijk.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    words = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Inzichten: Molenwijk" in words and "100%" in words  # the chart's axis
