"""The SVG charts: labelled for screen readers, every label escaped, a hidden value not drawn."""

import io
import xml.etree.ElementTree as ET

import pytest
from flask import Flask

from survey.core import charts
from survey.core.pdf import FONT, document, pdf_text

NS = "{http://www.w3.org/2000/svg}"


def _all_charts(label: str = "Rood"):
    return [
        charts.bar_chart("b", "Titel", "Uitleg", [(label, 12, 40), ("Blauw", None, None)]),
        charts.funnel_chart(
            "f", "Titel", "Uitleg", [(label, [("Scans", 40), ("Begonnen", None), ("Klaar", 8)])]
        ),
        charts.interval_chart(
            "i",
            "Titel",
            "Uitleg",
            [(label, 0.3, 0.2, 0.4), ("Stil – rustig ’s avonds", None, None, None)],
        ),
        charts.line_chart(
            "l",
            "Titel",
            "Uitleg",
            [
                (label, [("1-10", 5), ("2-10", None), ("3-10", 9)]),
                ("Klaar", [("1-10", 3), ("2-10", None), ("3-10", 6)]),
            ],
        ),
    ]


@pytest.mark.parametrize("chart", _all_charts(), ids=["bar", "funnel", "interval", "line"])
def test_a_chart_is_an_image_with_a_title_and_description(chart):
    root = ET.fromstring(str(chart))
    assert root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert (title.text, desc.text) == ("Titel", "Uitleg")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "te weinig" in texts
    assert "Rood" in texts


def test_every_label_is_escaped():
    label = '<script>x"</script> & co'
    for chart in _all_charts(label):
        markup = str(chart)
        assert "<script>" not in markup
        root = ET.fromstring(markup)  # still well-formed XML
        assert label in [t.text for t in root.iter(f"{NS}text")]
    title = charts.bar_chart("b", "<b>Titel</b>", "a & b", [])
    assert "&lt;b&gt;Titel&lt;/b&gt;" in str(title) and "a &amp; b" in str(title)


def test_a_hidden_value_is_not_drawn_and_its_number_is_nowhere():
    chart = str(charts.bar_chart("b", "T", "D", [("Rood", 12, 40), ("Blauw", None, None)]))
    root = ET.fromstring(chart)
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == ["Rood", "12 (40%)", "Blauw", "te weinig"]
    bars = [r for r in root.iter(f"{NS}rect") if r.get("class") == "chart-bar"]
    assert len(bars) == 1  # only Rood has a bar
    assert "chart-hidden" in chart
    # The caller never passes the hidden number, so it cannot leak: only shown values appear.
    interval = str(charts.interval_chart("i", "T", "D", [("Stil", None, None, None)]))
    assert "chart-estimate" not in interval and "chart-interval" not in interval


def test_the_words_for_a_hidden_value_come_from_the_caller():
    chart = charts.bar_chart("b", "T", "D", [("Rood", None, None)], too_few="too few")
    assert "too few" in str(chart) and "te weinig" not in str(chart)


def test_fpdf2_draws_the_charts_in_the_printouts_fonts():
    app = Flask(__name__)
    app.config["PDF_FONT_DIR"] = "/usr/share/fonts/truetype/noto"  # as survey/config.py
    with app.app_context():
        pdf = document("A4", "pl", "Test")
    pdf.add_page()
    for chart in _all_charts("Żółw – łąka"):
        pdf.image(io.BytesIO(charts.pdf_svg(chart, pdf_text, FONT)), w=150)
    out = bytes(pdf.output())
    assert out.startswith(b"%PDF") and b"/Helvetica" not in out
