"""Deurcodes: one code per household on a door flyer, each usable once, linked to no one."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from sqlalchemy import func, inspect, select

from survey.extensions import db
from survey.features.doorcodes import service as doorcodes
from survey.models import AuditEvent, Channel, DoorCode, Question, Response, Survey

CODE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")
BAD = "Deze code klopt niet of is al gebruikt."


@pytest.fixture
def door(app):
    survey = Survey(slug="deur", kind="needs", status="open", title={"nl": "Deur"})
    survey.questions.append(
        Question(position=1, code="q1", type="yesno", text={"nl": "Vraag"}, required=False)
    )
    db.session.add(survey)
    db.session.flush()
    channel = Channel(survey_id=survey.id, code="deur-a", label="Flyer Noord", kind="door")
    db.session.add(channel)
    db.session.commit()
    return channel


def _page(channel):
    return f"/officer/surveys/{channel.survey_id}/channels/{channel.id}/deurcodes"


def _make(client, channel, count) -> list[str]:
    result = client.post(_page(channel) + "/maken", data={"count": str(count)})
    assert result.status_code == 200, result.get_data(as_text=True)
    assert result.headers["Cache-Control"] == "no-store"
    assert "attachment" in result.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(result.data.decode("utf-8-sig"))))
    return [row["deurcode"] for row in rows], rows


def _require(client, channel, on=True):
    data = {"required": "y"} if on else {}
    assert client.post(_page(channel) + "/vragen", data=data).status_code == 303


def _start(client, code, key=None):
    return client.post(
        "/s/deur-a/start", data={"response": key or str(uuid.uuid4()), "deurcode": code}
    )


def _responses() -> int:
    return db.session.scalar(select(func.count(Response.id)))


def test_an_editor_makes_codes_for_the_printer_and_only_their_hashes_are_kept(
    door, client, sign_in
):
    sign_in(client, "editor")
    assert "Deurcodes" in client.get(f"/officer/surveys/{door.survey_id}/channels").get_data(
        as_text=True
    )
    page = client.get(_page(door)).get_data(as_text=True)
    assert "Gemaakt: 0 codes. Gebruikt: 0." in page
    codes, rows = _make(client, door, 25)
    assert len(codes) == len(set(codes)) == 25 and all(CODE.match(c) for c in codes)
    assert rows[0]["link"].endswith(f"/s/deur-a?deurcode={codes[0]}")
    stored = db.session.scalars(select(DoorCode.code_hash)).all()
    assert len(stored) == 25 and not {c.replace("-", "") for c in codes} & set(stored)
    # A code is linked to no address and to no response: its row holds nothing more.
    assert {c["name"] for c in inspect(db.engine).get_columns("door_code")} == {
        "id",
        "channel_id",
        "code_hash",
        "used_on",
    }
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "make_door_codes"))
    assert event.detail == {"count": 25} and event.target == "deur-a"
    assert "Gemaakt: 25 codes." in client.get(_page(door)).get_data(as_text=True)


@pytest.mark.parametrize("count", ["0", "5001", "veel", "", "1e3", "²"])
def test_a_wrong_number_of_codes_gets_a_dutch_message_and_nothing_is_made(
    door, client, sign_in, count
):
    sign_in(client, "editor")
    result = client.post(_page(door) + "/maken", data={"count": count})
    assert result.status_code == 422
    html = result.get_data(as_text=True)
    assert "Kies een aantal van 1 tot en met 5000." in html or "Vul in hoeveel" in html
    assert db.session.scalar(select(func.count(DoorCode.id))) == 0


def test_analysts_and_residents_cannot_make_or_require_codes(door, client, sign_in):
    assert client.get(_page(door)).status_code in (302, 303, 401)
    sign_in(client, "analyst")
    assert client.get(_page(door)).status_code == 403
    assert client.post(_page(door) + "/maken", data={"count": "5"}).status_code == 403
    assert client.post(_page(door) + "/vragen", data={"required": "y"}).status_code == 403
    assert db.session.scalar(select(func.count(DoorCode.id))) == 0
    assert db.session.get(Channel, door.id).needs_code is False


def test_a_household_starts_once_with_its_code_and_a_second_phone_cannot_reuse_it(
    door, client, sign_in, app
):
    sign_in(client, "editor")
    codes, _rows = _make(client, door, 2)
    _require(client, door)
    phone = app.test_client()
    intro = phone.get("/s/deur-a").get_data(as_text=True)
    assert 'name="deurcode"' in intro and "Code op je flyer" in intro
    missing = _start(phone, "")
    assert missing.status_code == 422 and BAD in missing.get_data(as_text=True)
    wrong = _start(phone, "ABCD-EFGH")
    assert wrong.status_code == 422 and 'value="ABCD-EFGH"' in wrong.get_data(as_text=True)
    assert _responses() == 0
    key = str(uuid.uuid4())
    typed = codes[0].lower().replace("-", " ")  # typed from the flyer, in lower case
    assert _start(phone, typed, key).status_code == 303
    # A second tap on "Begin" (same response) needs no new code and makes no second response.
    assert _start(phone, typed, key).status_code == 303
    assert _responses() == 1
    neighbour = app.test_client()
    reused = _start(neighbour, codes[0])
    assert reused.status_code == 422 and BAD in reused.get_data(as_text=True)
    assert _start(neighbour, codes[1]).status_code == 303
    assert _responses() == 2
    used = db.session.scalars(select(DoorCode.used_on)).all()
    assert all(day is not None for day in used)  # a day, not a time: no match to a response
    assert "Gebruikt: 2." in client.get(_page(door)).get_data(as_text=True)


def test_the_flyers_qr_link_fills_in_the_code_and_a_language_switch_keeps_it(door, client, app):
    db.session.get(Channel, door.id).needs_code = True
    db.session.commit()
    code = doorcodes.make_codes(None, db.session.get(Channel, door.id), 1)[0]
    phone = app.test_client()
    page = phone.get(f"/s/deur-a?deurcode={code.lower()}").get_data(as_text=True)
    assert f'value="{code}"' in page
    switch = re.search(r'href="([^"]*lang=en[^"]*)"', page).group(1).replace("&amp;", "&")
    english = phone.get(switch).get_data(as_text=True)
    assert f'value="{code}"' in english and 'lang="en"' in english
    assert _start(phone, code).status_code == 303


@pytest.mark.parametrize(
    ("odd", "status", "message"),
    [
        ("\x00ABCDEFGH", 422, BAD),
        ("ＡＢＣＤ-ＥＦＧＨ", 422, BAD),
        ("<script>", 422, BAD),
        ("ABCD-EFG\u200b", 422, BAD),
        ("١٢٣٤٥٦٧٨", 422, BAD),
        ("A" * 10_000, 400, "te veel of te lange antwoorden"),
    ],
)
def test_odd_codes_get_a_plain_message_not_a_500(door, app, odd, status, message):
    db.session.get(Channel, door.id).needs_code = True
    db.session.commit()
    result = _start(app.test_client(), odd)
    assert result.status_code == status and message in result.get_data(as_text=True)
    assert "<script>" not in result.get_data(as_text=True)
    assert _responses() == 0


def test_a_script_guessing_codes_gets_no_response_in(door, app):
    channel = db.session.get(Channel, door.id)
    channel.needs_code = True
    db.session.commit()
    doorcodes.make_codes(None, channel, 50)
    script = app.test_client()
    refused = [
        _start(script, f"AAAA-{n:04d}".replace("0", "A").replace("1", "B")) for n in range(200)
    ]
    assert all(r.status_code == 422 for r in refused)
    assert _responses() == 0


def test_switching_the_codes_off_lets_everyone_start_again(door, client, sign_in, app):
    sign_in(client, "editor")
    _require(client, door)
    assert _start(app.test_client(), "").status_code == 422
    _require(client, door, on=False)
    assert _start(app.test_client(), "").status_code == 303
    events = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "require_door_codes")
    ).all()
    assert events == [{"required": True}, {"required": False}]
