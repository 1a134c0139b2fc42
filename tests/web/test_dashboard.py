"""The dashboard: filters every figure respects, small groups hidden, a fixed number of queries;
the responses table and the moderation of open answers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from survey.extensions import db
from survey.features.responses.dashboard import build_dashboard
from survey.features.responses.filters import Filters
from survey.models import Answer, Area, AuditEvent, Channel, Question, Response, Survey

DAY = datetime(2026, 10, 5, 12, tzinfo=UTC)


@pytest.fixture
def request_ctx(app):
    """A request context, for calling services that translate their texts."""
    with app.test_request_context():
        yield app


def _t(nl: str, en: str | None = None) -> dict:
    return {"nl": nl, "en": en or nl}


def make_survey(min_group: int = 3, slug: str = "test-peiling") -> Survey:
    """A small survey: a wijk with two buurten, two channels, five kinds of question."""
    buurt_a = db.session.scalar(select(Area).where(Area.cbs_code == "BU99990101"))
    if buurt_a is None:
        wijk = Area(level="wijk", name="Testwijk", cbs_code="WK999901")
        buurt_a = Area(level="buurt", name="Aabuurt", cbs_code="BU99990101", parent=wijk)
        buurt_b = Area(level="buurt", name="Beebuurt", cbs_code="BU99990102", parent=wijk)
        db.session.add_all([wijk, buurt_a, buurt_b])
    survey = Survey(
        slug=slug,
        status="open",
        title=_t("Testpeiling", "Test survey"),
        languages=["nl", "en"],
        min_group_size=min_group,
    )
    colours = [("rood", "Rood", "Red"), ("blauw", "Blauw", "Blue"), ("groen", "Groen", "Green")]
    hobbies = [("lezen", "Lezen", "Reading"), ("sport", "Sport", "Sports")]
    survey.questions = [
        Question(
            position=1,
            code="kleur",
            type="single",
            text=_t("Welke kleur?", "Which colour?"),
            options=[{"value": v, "text": _t(nl, en)} for v, nl, en in colours],
        ),
        Question(
            position=2,
            code="hobby",
            type="multiple",
            text=_t("Welke hobby's?", "Which hobbies?"),
            options=[{"value": v, "text": _t(nl, en)} for v, nl, en in hobbies],
        ),
        Question(position=3, code="cijfer", type="scale", text=_t("Welk cijfer?", "Which mark?")),
        Question(position=4, code="idee", type="text", text=_t("Een idee?", "An idea?")),
        Question(
            position=5,
            code="jaren",
            type="number",
            layer="deeper",
            settings={"min": 0, "max": 100},
            text=_t("Hoeveel jaar?", "How many years?"),
        ),
    ]
    db.session.add(survey)
    db.session.flush()
    survey.channels.append(
        Channel(code=f"{slug}-a", label="Poster A", kind="poster", area_id=buurt_a.id)
    )
    survey.channels.append(Channel(code=f"{slug}-web", label="Website", kind="social"))
    db.session.commit()
    return survey


def add_response(
    survey: Survey,
    answers: dict,
    channel: Channel | None = None,
    area: Area | None = None,
    lang: str = "nl",
    when: datetime = DAY,
    completed: bool = True,
    layer: str = "core",
    moderation: dict | None = None,
) -> Response:
    codes = {q.code: q for q in survey.questions}
    response = Response(
        uuid=str(uuid.uuid4()),
        survey_id=survey.id,
        channel_id=channel.id if channel else None,
        area_id=area.id if area else None,
        lang=lang,
        layer=layer,
        started_at=when,
        updated_at=when,
        completed_at=when + timedelta(minutes=2) if completed else None,
    )
    response.answers = [
        Answer(
            question_id=codes[code].id,
            value=value,
            moderation=(moderation or {}).get(code, "visible"),
        )
        for code, value in answers.items()
    ]
    db.session.add(response)
    db.session.commit()
    return response


def areas_by_name() -> dict[str, Area]:
    return {a.name: a for a in db.session.scalars(select(Area))}


def _counts(bars) -> dict:
    return {b.label: b.count for b in bars}


def test_every_figure_respects_the_filters(request_ctx):
    survey = make_survey(min_group=1)
    areas = areas_by_name()
    poster, web = survey.channels
    for _ in range(3):
        add_response(survey, {"kleur": "rood", "hobby": ["lezen"]}, poster, areas["Aabuurt"])
    for _ in range(2):
        add_response(
            survey,
            {"kleur": "blauw", "hobby": ["lezen", "sport"], "jaren": 4},
            web,
            areas["Beebuurt"],
            lang="en",
            when=DAY + timedelta(days=3),
            layer="deeper",
        )
    add_response(survey, {"kleur": "groen"}, web, None, completed=False)

    def figures(**args):
        return build_dashboard(survey, Filters.from_args(args), "nl")

    everything = figures()
    assert (everything.started, everything.completed) == (6, 5)
    assert _counts(everything.by_area) == {
        "Testwijk": 5,
        "Aabuurt": 3,
        "Beebuurt": 2,
        "Onbekend": 1,
    }
    assert [b.depth for b in everything.by_area] == [0, 1, 1, 0]  # buurten under their wijk
    assert _counts(everything.by_channel) == {"Poster A": 3, "Website": 3}
    assert _counts(everything.by_day) == {"2026-10-05": 4, "2026-10-08": 2}

    cases = [
        ({"area": str(areas["Aabuurt"].id)}, 3, {"Rood": 3, "Blauw": 0, "Groen": 0}),
        ({"area": str(areas["Testwijk"].id)}, 5, {"Rood": 3, "Blauw": 2, "Groen": 0}),
        ({"channel": str(web.id)}, 3, {"Rood": 0, "Blauw": 2, "Groen": 1}),
        ({"from": "2026-10-06"}, 2, {"Rood": 0, "Blauw": 2, "Groen": 0}),
        ({"to": "2026-10-05"}, 4, {"Rood": 3, "Blauw": 0, "Groen": 1}),
        ({"layer": "deeper"}, 2, {"Rood": 0, "Blauw": 2, "Groen": 0}),
        ({"language": "en"}, 2, {"Rood": 0, "Blauw": 2, "Groen": 0}),
        ({"language": "nl", "channel": str(poster.id)}, 3, {"Rood": 3, "Blauw": 0, "Groen": 0}),
    ]
    for args, started, colours in cases:
        result = figures(**args)
        assert result.started == started, args
        assert sum(b.count for b in result.by_area if b.depth == 0) == started, args
        assert sum(b.count for b in result.by_channel) == started, args
        assert sum(b.count for b in result.by_day) == started, args
        kleur = next(c for c in result.charts if c.question.code == "kleur")
        assert _counts(kleur.bars) == colours, args


def test_list_answers_are_counted_per_option_in_sql(request_ctx):
    survey = make_survey(min_group=1)
    add_response(survey, {"hobby": ["lezen", "sport"], "jaren": 10})
    add_response(survey, {"hobby": ["sport"], "jaren": 20})
    add_response(survey, {"hobby": None, "idee": "Meer bankjes"})
    result = build_dashboard(survey, Filters(), "en")
    hobby = next(c for c in result.charts if c.question.code == "hobby")
    assert hobby.n == 2
    assert [(b.label, b.count, b.percent) for b in hobby.bars] == [
        ("Reading", 1, 50),
        ("Sports", 2, 100),
    ]
    jaren = next(c for c in result.charts if c.question.code == "jaren")
    assert jaren.mean == 15
    idee = next(c for c in result.charts if c.question.code == "idee")
    assert (idee.kind, idee.n) == ("text", 1)


def test_small_groups_are_hidden_and_the_page_says_so(request_ctx, client, sign_in):
    survey = make_survey(min_group=5)
    areas = areas_by_name()
    poster, web = survey.channels
    for _ in range(6):
        add_response(survey, {"kleur": "rood", "cijfer": 4}, poster, areas["Aabuurt"])
    for _ in range(3):
        add_response(survey, {"kleur": "blauw"}, web, areas["Beebuurt"])
    result = build_dashboard(survey, Filters(), "nl")
    # Beebuurt (3) is below 5; Aabuurt is hidden too, or 9 - 6 would give Beebuurt away.
    assert _counts(result.by_area) == {"Testwijk": 9, "Aabuurt": None, "Beebuurt": None}
    kleur = next(c for c in result.charts if c.question.code == "kleur")
    assert _counts(kleur.bars) == {"Rood": None, "Blauw": None, "Groen": 0}  # same reason
    cijfer = next(c for c in result.charts if c.question.code == "cijfer")
    assert not cijfer.hidden and _counts(cijfer.bars)["4"] == 6
    only_b = build_dashboard(survey, Filters(area_id=areas["Beebuurt"].id), "nl")
    assert only_b.started is None
    assert all(c.hidden for c in only_b.charts if c.kind == "bars")

    sign_in(client, "analyst")
    page = client.get(f"/officer/surveys/{survey.id}/dashboard").get_data(as_text=True)
    assert "minder dan 5" in page
    assert "Groepjes van minder dan 5 reacties tonen we niet" in page


def test_the_fragment_polls_and_its_query_count_does_not_grow(app, client, sign_in):
    survey = make_survey(min_group=1)
    areas = areas_by_name()
    sign_in(client, "editor")
    url = f"/officer/surveys/{survey.id}/dashboard?area={areas['Testwijk'].id}"
    statements = []

    def count(*args):
        statements.append(args[2])

    def queries_for_fragment() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            result = client.get(url, headers={"HX-Request": "true"})
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert result.status_code == 200
        return len(statements)

    add_response(survey, {"kleur": "rood", "hobby": ["lezen"]}, None, areas["Aabuurt"])
    few = queries_for_fragment()
    for i in range(30):
        add_response(
            survey,
            {"kleur": "blauw", "hobby": ["sport"], "jaren": i},
            survey.channels[i % 2],
            areas["Beebuurt"],
            when=DAY + timedelta(days=i % 4),
        )
    many = queries_for_fragment()
    assert few == many, statements
    assert many < 20

    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="dashboard"')
    assert 'hx-trigger="every 5s"' in fragment
    assert f"area={areas['Testwijk'].id}" in fragment  # the poll keeps the filters
    assert "<html" not in fragment
    assert ">31<" in fragment


def test_nonsense_filters_are_explained_not_an_error(app, client, sign_in):
    survey = make_survey()
    sign_in(client, "analyst")
    result = client.get(
        f"/officer/surveys/{survey.id}/dashboard?area=x&from=gisteren&layer=diep&language=xx"
    )
    assert result.status_code == 200
    page = result.get_data(as_text=True)
    assert "Een datum schrijf je als jjjj-mm-dd" in page
    assert "Dit filter begrijpen we niet: area" in page


@pytest.mark.parametrize("role, status", [("analyst", 200), ("editor", 200), ("coordinator", 403)])
def test_dashboard_and_responses_are_for_analysts_and_editors(app, client, sign_in, role, status):
    survey = make_survey()
    sign_in(client, role)
    for path in ("dashboard", "responses", "open-answers"):
        assert client.get(f"/officer/surveys/{survey.id}/{path}").status_code == status


def test_responses_table_is_paged_and_filtered(app, client, sign_in):
    survey = make_survey()
    poster, web = survey.channels
    for i in range(55):
        add_response(survey, {"kleur": "rood"}, poster if i < 52 else web)
    sign_in(client, "analyst")
    first = client.get(f"/officer/surveys/{survey.id}/responses").get_data(as_text=True)
    assert "55 reacties passen bij de filters." in first
    assert "Pagina 1 van 2" in first and "page=2" in first
    second = client.get(f"/officer/surveys/{survey.id}/responses?page=2").get_data(as_text=True)
    assert second.count("<td>Poster A</td>") + second.count("<td>Website</td>") == 5
    only_web = client.get(f"/officer/surveys/{survey.id}/responses?channel={web.id}")
    assert "3 reacties passen bij de filters." in only_web.get_data(as_text=True)


def test_the_responses_count_comes_from_the_tallies_and_the_suspect_rows(app, client, sign_in):
    """Reacties lists every response, suspect ones too: its count (tallies plus the suspects
    found by their index) equals a count of the rows under every filter."""
    survey = make_survey()
    poster, web = survey.channels
    buurt_a, buurt_b = db.session.scalars(select(Area).where(Area.level == "buurt")).all()[:2]
    places = [
        (poster, buurt_a, "nl", DAY, "core"),
        (web, buurt_b, "en", DAY + timedelta(days=1), "deeper"),
        (poster, None, "en", DAY + timedelta(days=2), "core"),
    ]
    for i in range(21):
        channel, area, lang, when, layer = places[i % 3]
        response = add_response(survey, {"kleur": "rood"}, channel, area, lang, when, i % 2 == 0)
        response.layer = layer
        response.suspect = i % 5 == 0
    db.session.commit()
    sign_in(client, "analyst")
    settings = [
        {},
        {"channel": web.id},
        {"area": buurt_a.id},
        {"area": buurt_a.parent_id},
        {"language": "en"},
        {"layer": "deeper"},
        {"from": (DAY + timedelta(days=1)).date().isoformat()},
        {"to": DAY.date().isoformat(), "channel": poster.id},
    ]
    for args in settings:
        filters = Filters.from_args({k: str(v) for k, v in args.items()})
        rows = db.session.scalar(
            select(db.func.count(Response.id)).where(*filters.conditions(survey))
        )
        page = client.get(f"/officer/surveys/{survey.id}/responses", query_string=args)
        text = page.get_data(as_text=True)
        assert f"{rows} reacties passen bij de filters." in text, args
        assert text.count("<tr") - 1 == rows, args  # every row listed (one page)


def test_open_answers_are_moderated_with_an_audit_trail(app, client, sign_in):
    survey = make_survey()
    response = add_response(survey, {"idee": "Bel me op 06-12345678"})
    answer = response.answers[0]
    other = make_survey(slug="andere")
    officer = sign_in(client, "analyst")
    page = client.get(f"/officer/surveys/{survey.id}/open-answers").get_data(as_text=True)
    # Stored without a mark (as before detection existed): still masked before review.
    assert "Bel me op [telefoon]" in page and "Nog niet beoordeeld" in page
    assert "06-12345678" not in page

    url = f"/officer/surveys/{survey.id}/answers/{answer.id}/moderation"
    fragment = client.post(url, data={"state": "personal"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.get_data(as_text=True).lstrip().startswith(f'<li id="answer-{answer.id}"')
    assert "Bevat persoonsgegevens" in fragment.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).moderation == "personal"
    event_ = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "moderate_answer"))
    assert event_.officer_id == officer.id
    assert event_.detail == {"answer": answer.id, "state": "personal", "before": "visible"}

    plain = client.post(url, data={"state": "approved"})
    assert plain.status_code == 303
    assert client.post(url, data={"state": "weg"}).status_code == 400
    wrong_survey = f"/officer/surveys/{other.id}/answers/{answer.id}/moderation"
    assert client.post(wrong_survey, data={"state": "hidden"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).moderation == "approved"
    personal = client.get(f"/officer/surveys/{survey.id}/open-answers?state=personal")
    assert "Bel me op" not in personal.get_data(as_text=True)


def _demo_pages(survey: Survey) -> dict:
    """The dashboard of the demo survey unfiltered and filtered to each wijk and buurt."""
    pages = {None: build_dashboard(survey, Filters(), "nl")}
    for area in db.session.scalars(select(Area).where(Area.level != "gemeente")):
        pages[area.name] = build_dashboard(survey, Filters(area_id=area.id), "nl")
    return pages


def test_a_wijk_minus_its_buurten_gives_no_small_buurt_away(demo):
    """Centrum (73) - Marktkwartier (65) gave Oude Haven's 8: no page shows what makes that."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    k = survey.min_group_size
    with demo.test_request_context():
        pages = _demo_pages(survey)
    wijken = db.session.scalars(select(Area).where(Area.level == "wijk")).all()
    for wijk in wijken:
        buurten = [
            a.name for a in db.session.scalars(select(Area).where(Area.parent_id == wijk.id))
        ]
        total = pages[wijk.name].started
        listed = {b.label: b.count for b in pages[None].by_area}
        assert listed[wijk.name] == total  # the wijk row beside its buurten, as on its page
        for name in buurten:  # a buurt's page shows what the breakdown shows, or nothing
            assert pages[name].started == listed[name]
        if total is None:
            continue
        unknown = total - sum(listed[b] for b in buurten if listed[b] is not None)
        assert unknown == 0 or unknown >= k, wijk.name
        for question in (c.question for c in pages[wijk.name].charts if c.kind == "bars"):
            whole = next(c for c in pages[wijk.name].charts if c.question is question)
            parts = [next(c for c in pages[b].charts if c.question is question) for b in buurten]
            for i, bar in enumerate(whole.bars):
                if bar.count is None:
                    continue
                shown = [p.bars[i].count for p in parts if p.bars and p.bars[i].count is not None]
                rest = bar.count - sum(shown)
                assert rest == 0 or rest >= k, (wijk.name, question.code, bar.label)
    oude_haven, markt = pages["Oude Haven"], pages["Marktkwartier"]
    assert oude_haven.started is None and markt.started is None
    assert listed["Oude Haven"] is None and listed["Marktkwartier"] is None


def test_the_number_of_open_and_area_answers_under_k_is_not_printed(demo, sign_in):
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    oude_haven = db.session.scalar(select(Area).where(Area.name == "Oude Haven"))
    n = len(db.session.scalars(select(Response.id).where(Response.area_id == oude_haven.id)).all())
    assert 0 < n < survey.min_group_size  # the demo's small buurt (tests only add elsewhere)
    client = demo.test_client()
    sign_in(client, "analyst")
    url = f"/officer/surveys/{survey.id}/dashboard?area={oude_haven.id}"
    page = client.get(url).get_data(as_text=True)
    assert f"n = {n}" not in page and f">{n}<" not in page
    assert page.count("n = verborgen") >= 2  # the area question and the open question
    with demo.test_request_context():
        figures = build_dashboard(survey, Filters(area_id=oude_haven.id), "nl")
        everything = build_dashboard(survey, Filters(), "nl")
    assert all(c.n is None and c.hidden for c in figures.charts)
    whole = client.get(f"/officer/surveys/{survey.id}/dashboard").get_data(as_text=True)
    by_area = whole[whole.index('id="table-area"') : whole.index('id="by-channel"')]
    for bar in everything.by_area:
        assert (f">{bar.count}<" in by_area) == (bar.count is not None) or bar.count in (None, 0)
    hidden = [b.label for b in everything.by_area if b.count is None]
    assert {"Oude Haven", "Marktkwartier"} <= set(hidden)
    rows = by_area.split("<tr")
    for area in db.session.scalars(select(Area).where(Area.name.in_(hidden))):
        real = db.session.scalars(select(Response.id).where(Response.area_id == area.id)).all()
        # Its own row shows no count (another area may have the same count by chance).
        row = next(r for r in rows if f">{area.name}<" in r)
        assert f">{len(real)}<" not in row, area.name


def test_all_minus_a_channel_or_a_day_gives_no_small_group_away(request_ctx):
    """Everything (12) minus the poster page (10) would be the website's 2 answers; a date
    range minus a smaller one likewise: such pages show nothing, wider ones still show."""
    survey = make_survey(min_group=3)
    areas = areas_by_name()
    poster, web = survey.channels
    for day in range(10):
        add_response(
            survey, {"kleur": "rood"}, poster, areas["Aabuurt"], when=DAY + timedelta(days=day)
        )
    for _ in range(2):
        add_response(
            survey, {"kleur": "blauw"}, web, areas["Beebuurt"], when=DAY + timedelta(days=9)
        )

    def figures(**args):
        return build_dashboard(survey, Filters.from_args(args), "nl")

    assert figures().started == 12
    refused = figures(channel=str(poster.id))
    assert refused.gives_away and refused.started is None
    assert all(b.count is None for b in refused.by_area + refused.by_channel + refused.by_day)
    assert all(c.hidden and not c.bars for c in refused.charts)
    # The website page itself (2 of 12) is the small group: its figures are hidden anyway.
    assert figures(channel=str(web.id)).started is None
    # 2026-10-05 up to the 13th holds 9; everything up to the 14th holds 12: 3 apart, shown.
    assert figures(to="2026-10-13").started == 9 and not figures(to="2026-10-13").gives_away
    # From the 6th leaves out 1 of the 12 (the first day): refused.
    assert figures(**{"from": "2026-10-06"}).gives_away
    # Two filters at once are compared with each of them left out, and with both left out.
    # The poster until the 13th (9) beside the poster on all days (10) leaves out 1.
    assert figures(channel=str(poster.id), to="2026-10-13").gives_away


def test_the_demo_filters_never_show_two_pages_a_small_group_apart(demo):
    """Every channel, day range, part and language filter on the demo survey: wherever two
    pages a reader could compare both show a total, the totals differ by 0 or at least k."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == "demo-peiling"))
    k = survey.min_group_size
    days = sorted(
        {
            r.started_at.date()
            for r in db.session.scalars(select(Response).where(Response.survey_id == survey.id))
        }
    )
    settings = [{}]
    settings += [{"channel": str(c.id)} for c in survey.channels]
    settings += [{"from": d.isoformat()} for d in days] + [{"to": d.isoformat()} for d in days]
    settings += [{"layer": "core"}, {"layer": "deeper"}, {"language": "nl"}, {"language": "en"}]
    settings += [{"channel": str(c.id), "language": "nl"} for c in survey.channels]
    with demo.test_request_context():
        shown = {
            tuple(sorted(args.items())): build_dashboard(
                survey, Filters.from_args(args), "nl"
            ).started
            for args in settings
        }
    totals = [n for n in shown.values() if n is not None]
    refused = [args for args, n in shown.items() if n is None]
    assert len(totals) > 3 and refused  # the demo has pages of both kinds
    everything = shown[()]
    for args, n in shown.items():
        if n is not None and args:
            assert everything - n == 0 or everything - n >= k, args
