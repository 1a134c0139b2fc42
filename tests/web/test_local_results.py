"""Hearing back about one's own place: an area's /r/ page leads with that area, and a follow
made there mails only the updates about that area or about everywhere."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from survey.extensions import db
from survey.features.following import service as following
from survey.features.results import public
from survey.models import Area, Channel, Subscription, Survey, Update
from survey.models._types import utcnow, utctoday


def test_an_area_channel_page_leads_with_that_area(demo, demo_client):
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    bieb = db.session.scalar(select(Channel).where(Channel.code == "demo-bieb"))
    area = bieb.area
    other = db.session.scalar(
        select(Area).where(Area.level == "buurt", Area.id != area.id, Area.parent_id.is_not(None))
    )
    here = Update(survey_id=survey.id, area_id=area.id, heard=f"Hier {uuid.uuid4().hex[:4]}")
    there = Update(survey_id=survey.id, area_id=other.id, heard=f"Daar {uuid.uuid4().hex[:4]}")
    for update in (here, there):
        update.published_at = utcnow()
        db.session.add(update)
    db.session.commit()
    try:
        page = demo_client.get(f"/r/{bieb.code}").get_data(as_text=True)
        local = page[page.index('id="buurt"') : page.index('aria-labelledby="nieuws"')]
        assert f"Over {area.name}" in local and here.heard in local and there.heard not in local
        assert page.index('id="buurt"') < page.index('id="uitkomsten"')
        news = public.local_news(bieb, "nl")
        assert all(r.scope == area.name for r in news.results)  # never the whole survey's
        everyone = demo_client.get("/r/demo-peiling").get_data(as_text=True)
        assert 'id="buurt"' not in everyone  # a channel without its own area
    finally:
        db.session.delete(here)
        db.session.delete(there)
        db.session.commit()


def test_a_follow_from_an_area_hears_only_about_that_area_or_everywhere(app, client):
    gemeente = Area(level="gemeente", name="Voorbeeldstad", cbs_code="GM0999")
    wijk = Area(level="wijk", name="Centrum", cbs_code="WK099901", parent=gemeente)
    haven = Area(level="buurt", name="Haven", cbs_code="BU09990101", parent=wijk)
    markt = Area(level="buurt", name="Markt", cbs_code="BU09990102", parent=wijk)
    survey = Survey(slug="volg", status="open", title={"nl": "Peiling"}, area=gemeente)
    db.session.add_all([gemeente, wijk, haven, markt, survey])
    db.session.flush()
    db.session.add(Channel(code="volg-haven", survey_id=survey.id, label="Poster", area=haven))
    db.session.add(Channel(code="volg-web", survey_id=survey.id, label="Web", area=gemeente))
    db.session.commit()
    app.config["HUMAN_MIN_SECONDS"], before = 0, app.config.get("HUMAN_MIN_SECONDS")
    try:
        for code, email in (("volg-haven", "haven@example.org"), ("volg-web", "al@example.org")):
            assert client.post(f"/r/{code}/volgen", data={"email": email}).status_code == 303
    finally:
        app.config["HUMAN_MIN_SECONDS"] = before
    follows = {s.email: s for s in db.session.scalars(select(Subscription))}
    assert follows["haven@example.org"].area_id == haven.id
    assert follows["al@example.org"].area_id is None  # the survey's own area: everything
    for subscription in follows.values():
        subscription.confirmed_at = utctoday()
    db.session.commit()

    def mails(area: Area | None) -> int:
        update = Update(survey_id=survey.id, heard="Nieuws", area=area, published_at=utcnow())
        db.session.add(update)
        db.session.commit()
        return following.queue_update_mails(update, public.STATUS_LABELS)

    assert mails(None) == 2  # about everywhere
    assert mails(haven) == 2
    assert mails(wijk) == 2  # the wijk the buurt lies in
    assert mails(markt) == 1  # another buurt: only the follower of everything
    assert following.results_path(survey, haven.id) == "/r/volg-haven"  # the mails' link
    assert following.results_path(survey) == "/r/volg-haven"  # the first channel
