"""Logboek: admins see who exported, viewed answers or changed what; views of rows are logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from survey.core.audit import audit
from survey.extensions import db
from survey.models import AuditEvent
from tests.web.test_dashboard import add_response, make_survey


def _actions(officer_id=None) -> list[str]:
    where = [AuditEvent.officer_id == officer_id] if officer_id else []
    return list(db.session.scalars(select(AuditEvent.action).where(*where)))


def test_views_of_rows_and_exports_are_logged_and_the_admin_reads_them(app, sign_in):
    survey = make_survey()
    add_response(survey, {"idee": "Meer bankjes"})
    analyst = app.test_client()
    who = sign_in(analyst, "analyst")
    base = f"/officer/surveys/{survey.id}"
    assert analyst.get(f"{base}/responses?layer=core").status_code == 200
    assert analyst.get(f"{base}/open-answers").status_code == 200
    assert analyst.get(f"{base}/export.csv").status_code == 200
    assert {"view_responses", "view_open_answers", "export_responses"} <= set(_actions(who.id))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view_responses"))
    assert event.target == survey.slug and event.detail == {"filters": {"layer": "core"}, "page": 1}
    admin = app.test_client()
    sign_in(admin, "admin")
    page = admin.get("/officer/logboek")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'href="/officer/logboek"' in html  # in the admin's navigation
    for text in ("Reacties bekeken", "Open antwoorden bekeken", "Reacties geëxporteerd"):
        assert text in html
    assert who.email in html


def test_the_logboek_is_for_admins_only(app, sign_in):
    for role in ("editor", "analyst", "coordinator"):
        client = app.test_client()
        sign_in(client, role)
        assert client.get("/officer/logboek").status_code == 403
        assert 'href="/officer/logboek"' not in client.get("/officer/").get_data(as_text=True)
    assert app.test_client().get("/officer/logboek").status_code in (302, 303)


def test_the_filters_narrow_the_events(app, sign_in):
    admin = app.test_client()
    me = sign_in(admin, "admin")
    other = sign_in(app.test_client(), "editor")
    audit(other, "close_survey", "wijk-west")
    audit(other, "update_survey", "wijk-oost")
    old = AuditEvent(officer_id=me.id, action="create_survey", target="wijk-west")
    old.created_at = datetime.now(UTC) - timedelta(days=40)
    db.session.add(old)
    db.session.commit()

    def rows(query):
        html = admin.get("/officer/logboek?" + query).get_data(as_text=True)
        return html.split("<tbody>")[1].split("</tbody>")[0]

    by_other = rows(f"officer={other.id}")
    assert "Peiling gesloten" in by_other and "Peiling gemaakt" not in by_other
    assert "wijk-oost" not in rows("action=close_survey")
    assert "wijk-oost" not in rows("target=wijk-west") and "Peiling gemaakt" in rows(
        "target=wijk-west"
    )
    recent = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    assert "Peiling gemaakt" not in rows(f"from={recent}")
    assert "Geen gebeurtenissen" in rows("from=2099-01-01")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=gisteren", "Een datum schrijf je als jjjj-mm-dd"),
        ("officer=%C2%B2", "Dit filter begrijpen we niet"),
        ("from=2026-12-02&to=2026-01-01", "De begindatum ligt na de einddatum"),
        ("page=%C2%B2&target=" + "x" * 5000, ""),
        ("action=%00%01", "Dit filter begrijpen we niet"),
        ("target=%00wijk", ""),
    ],
)
def test_odd_filters_get_a_message_not_a_500(app, sign_in, query, message):
    admin = app.test_client()
    sign_in(admin, "admin")
    page = admin.get("/officer/logboek?" + query)
    assert page.status_code == 200 and message in page.get_data(as_text=True)


def test_many_events_are_paged_and_the_pager_keeps_the_filters(app, sign_in):
    admin = app.test_client()
    me = sign_in(admin, "admin")
    for n in range(120):
        audit(me, "update_survey", f"peiling-{n}")
    db.session.commit()
    first = admin.get("/officer/logboek?action=update_survey").get_data(as_text=True)
    assert "Pagina 1 van 3" in first and "peiling-119" in first and "peiling-0<" not in first
    assert "page=2" in first and "action=update_survey" in first.split('rel="next"')[0][-200:]
    last = admin.get("/officer/logboek?action=update_survey&page=3").get_data(as_text=True)
    assert "peiling-0<" in last
