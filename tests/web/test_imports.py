"""Paper import: good rows in, bad rows reported with their line numbers, a ref only once."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import event, func, select

from survey.core.errors import UserError
from survey.extensions import db
from survey.features.responses import imports
from survey.models import Answer, AuditEvent, Channel, Response
from tests.web.test_dashboard import areas_by_name, make_survey

GOOD_AND_BAD = (
    "ref,area,channel,kleur,hobby,cijfer,idee,jaren\n"
    "P-001,BU99990101,,rood,lezen;sport,4,Meer bomen,\n"  # line 2: good
    "P-002,Beebuurt,Website,blauw,,2,,12\n"  # line 3: good (area by name, channel by label)
    "P-003,,,paars,,9,,\n"  # line 4: unknown option, scale out of range
    'P-004,,,groen,"sport;dansen",,"Een idee, met komma",\n'  # line 5: unknown hobby
    "P-005,Nergenshuizen,,groen,,,,\n"  # line 6: unknown area
    ",,,groen,,,,\n"  # line 7: good, no ref
    ",,,,,,,\n"  # line 8: empty: skipped
    "P-001,,,rood,,,,\n"  # line 9: the same ref twice in one file
)


def _responses(survey) -> int:
    return db.session.scalar(select(func.count(Response.id)).where(Response.survey_id == survey.id))


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield app


def test_good_rows_are_imported_and_bad_rows_reported_with_line_numbers(ctx):
    survey = make_survey()
    report = imports.import_responses(survey, GOOD_AND_BAD.encode())
    assert report.added == 3 and report.already == 0
    lines = {line: " | ".join(reasons) for line, reasons in report.errors}
    assert sorted(lines) == [4, 5, 6, 9]
    assert "kleur: Kies een van de antwoorden uit de lijst." in lines[4]
    assert "cijfer:" in lines[4]
    assert "hobby:" in lines[5]
    assert "Nergenshuizen" in lines[6]
    assert "regel 2" in lines[9]

    areas = areas_by_name()
    stored = db.session.scalars(
        select(Response).where(Response.survey_id == survey.id).order_by(Response.id)
    ).all()
    assert [r.ref for r in stored] == ["P-001", "P-002", None]
    assert all(r.source == "paper" and r.completed_at is not None for r in stored)
    assert len({r.uuid for r in stored}) == 3
    assert stored[0].area_id == areas["Aabuurt"].id
    assert stored[1].area_id == areas["Beebuurt"].id
    assert stored[1].channel_id == survey.channels[1].id
    assert stored[1].layer == "deeper"  # jaren is a deeper question
    values = dict(
        db.session.execute(
            select(Answer.question_id, Answer.value).where(Answer.response_id == stored[0].id)
        ).all()
    )
    codes = {q.id: q.code for q in survey.questions}
    assert {codes[q]: v for q, v in values.items()} == {
        "kleur": "rood",
        "hobby": ["lezen", "sport"],
        "cijfer": 4,
        "idee": "Meer bomen",
    }


def test_importing_the_same_refs_again_adds_nothing(ctx):
    survey = make_survey()
    with_refs = b"ref,kleur\nA1,rood\nA2,blauw\n"
    first = imports.import_responses(survey, with_refs)
    again = imports.import_responses(survey, with_refs)
    assert (first.added, first.already) == (2, 0)
    assert (again.added, again.already) == (0, 2)
    assert _responses(survey) == 2


def test_a_large_file_is_checked_before_anything_is_written(ctx):
    """SQLite lets one writer in at a time: the import writes its rows in a few bulk
    statements after checking them all, so residents answering meanwhile wait for the writing
    alone (bench/import_bench.py measures it), and a half-checked file stores nothing."""
    survey = make_survey()
    rows = "".join(
        f"P{i},{('rood', 'blauw')[i % 2]},lezen;sport,{1 + i % 5}\n" for i in range(1500)
    )
    data = ("ref,kleur,hobby,cijfer\n" + rows).encode()
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        report = imports.import_responses(survey, data)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert (report.added, report.errors) == (1500, [])
    writing = statements[statements.index("INSERT") :]
    # A few bulk statements (the answers, then their tallies per thousand responses), nothing
    # checked per row meanwhile.
    assert len(writing) <= 20
    assert db.session.scalar(select(func.count(Answer.id))) == 1500 * 3


def test_semicolon_files_from_dutch_excel_and_item_columns_work(ctx):
    survey = make_survey()
    # Excel in Dutch writes ';' between cells and a BOM; lists are then quoted.
    data = '\ufeffref;kleur;hobby\nX1;groen;"lezen;sport"\n'.encode()
    report = imports.import_responses(survey, data)
    assert (report.added, report.errors) == (1, [])


def test_a_file_with_unknown_columns_imports_nothing(ctx):
    survey = make_survey()
    with pytest.raises(UserError, match="onbekend_veld"):
        imports.import_responses(survey, b"ref,kleur,onbekend_veld\n1,rood,x\n")
    assert _responses(survey) == 0


def test_the_command_imports_a_file(app, tmp_path):
    survey = make_survey()
    path = tmp_path / "papier.csv"
    path.write_text(GOOD_AND_BAD)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["responses", "import", str(path), "--survey", survey.slug])
    assert result.exit_code == 1  # some rows were invalid
    assert "3 responses imported, 0 already present, 4 rows invalid." in result.output
    assert "line 4: kleur:" in result.output
    again = runner.invoke(args=["responses", "import", str(path), "--survey", survey.slug])
    assert "1 responses imported, 2 already present" in again.output
    assert _responses(survey) == 4  # the row without a ref came in twice: it has no key
    missing = runner.invoke(args=["responses", "import", str(path), "--survey", "bestaat-niet"])
    assert missing.exit_code != 0 and "no survey" in missing.output


def test_the_upload_form_imports_and_shows_the_report(app, client, sign_in):
    survey = make_survey()
    db.session.add(Channel(survey_id=survey.id, code="papier", label="Papier", kind="paper"))
    db.session.commit()
    officer = sign_in(client, "editor")
    url = f"/officer/surveys/{survey.id}/import"
    assert client.get(url).status_code == 200
    result = client.post(
        url,
        data={"file": (io.BytesIO(GOOD_AND_BAD.encode()), "papier.csv")},
        content_type="multipart/form-data",
    )
    assert result.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "3 formulieren toegevoegd, 0 waren er al, 4 regels met fouten." in page
    assert "<td>4</td>" in page and "<td>9</td>" in page
    assert "Kies een van de antwoorden uit de lijst." in page
    # Rows without a channel column count for the survey's paper channel.
    paper = db.session.scalar(select(Channel).where(Channel.code == "papier"))
    refs = db.session.scalars(select(Response.ref).where(Response.channel_id == paper.id)).all()
    assert sorted(r or "" for r in refs) == ["", "P-001"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import_responses"))
    assert event.officer_id == officer.id and event.detail["added"] == 3

    broken = client.post(
        url,
        data={"file": (io.BytesIO(b"wat,is,dit\n1,2,3\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 303
    assert "Onbekende kolommen: wat, is, dit." in client.get(url).get_data(as_text=True)


def test_only_editors_import(app, client, sign_in):
    survey = make_survey()
    sign_in(client, "analyst")
    assert client.get(f"/officer/surveys/{survey.id}/import").status_code == 403
