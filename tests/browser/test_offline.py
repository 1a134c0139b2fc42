"""Offline on a phone: first visit online, then the connection drops; nothing is lost."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Answer, Response, Volunteer
from tests.browser.resident import fill_question

SCREEN = "form.question, form.deck, form[action$='/verdieping'], h1:text('Bedankt')"


KEPT_ANSWERS = """(code) => new Promise((resolve) => {
  const open = indexedDB.open("buurtpeiling");
  open.onsuccess = () => {
    const state = open.result.transaction("state").objectStore("state").get(code);
    state.onsuccess = () => resolve(state.result.answers);
  };
})"""


def _open_online(page, base_url, code):
    """Scan the QR code with a connection: the service worker keeps the survey."""
    page.goto(f"{base_url}/s/{code}")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready", timeout=15000)
    page.locator("form[action$='/start'] button").click()
    page.wait_for_selector("form.question, form.deck")
    return page.locator("input[name=response]").first.input_value()


def _answer(page, choose_deeper=True):
    """Answer the current screen like a resident; return the question code or None at the end."""
    page.wait_for_selector(SCREEN)
    if page.locator("form[action$='/verdieping']").count():
        name = "Ja" if choose_deeper else "Nee"
        page.get_by_role("button", name=name).first.click()
        expect(page.locator("form[action$='/verdieping']")).to_have_count(0)
        return "verdieping"
    form = page.locator("form.question, form.deck")
    if form.count() == 0:
        return None
    code = form.get_attribute("action").rsplit("/", 1)[-1]
    if form.locator("button[data-vote=agree]").count():
        form.locator("button[data-vote=agree]").click()
    elif form.locator("button.vote[value=agree]").count():
        form.locator("button.vote[value=agree]").click()
    else:
        fill_question(form)
        form.get_by_role("button", name="Volgende").click()
    expect(page.locator(f"form[action$='/v/{code}']")).to_have_count(0)
    return code


def _answer_all(page, limit=40, **kwargs):
    answered = []
    for _ in range(limit):
        code = _answer(page, **kwargs)
        if code is None:
            break
        answered.append(code)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bedankt")
    return answered


def _stored(live_app, key):
    """The response's answers by question code, and how many answer rows each has."""
    with live_app.app_context():
        response = db.session.scalar(select(Response).where(Response.uuid == key))
        if response is None:
            return None, {}, None
        rows = db.session.execute(
            select(Answer.question_id, func.count())
            .where(Answer.response_id == response.id)
            .group_by(Answer.question_id)
        ).all()
        answers = {a.question.code: a.value for a in response.answers}
        return answers, dict(rows), response.completed_at


def _back_online(page, context):
    context.set_offline(False)
    expect(page.locator("html")).to_have_attribute("data-queue", "0", timeout=20000)


def test_needs_survey_goes_on_offline_and_every_answer_arrives_once(
    page, context, base_url, live_app
):
    key = _open_online(page, base_url, "demo-peiling")
    first = _answer(page)  # online
    context.set_offline(True)
    second = _answer(page)
    expect(page.locator(".offline-note")).to_contain_text("zodra je weer verbinding hebt")
    answered = [first, second, *_answer_all(page)]
    offline_codes = [c for c in answered[1:] if c != "verdieping"]
    answers, _rows, _done = _stored(live_app, key)
    assert set(answers) == {first}, "offline answers cannot have reached the server yet"

    _back_online(page, context)
    answers, rows, completed = _stored(live_app, key)
    assert set(offline_codes) <= set(answers)
    assert {"plannen", "jaren", "buurthuis"} <= set(answers)  # the verdieping, answered offline
    assert answers["idee"] == "Meer bankjes in het park"
    assert answers["plannen"] == ["bomen", "verlichting", "drempels"]
    assert answers["speelplek"] == "plein"  # shown offline because of the answer before it
    assert set(rows.values()) == {1}
    assert completed is not None
    assert page.evaluate(KEPT_ANSWERS, "demo-peiling") == {}  # all sent: the phone forgets them


def test_swipe_deck_goes_on_offline_and_every_vote_arrives_once(page, context, base_url, live_app):
    key = _open_online(page, base_url, "demo-swipe")
    context.set_offline(True)
    voted = _answer_all(page)
    assert len(voted) >= 5
    assert _stored(live_app, key)[0] in (None, {})
    # Only the votes wait: the last of them completes the response, as it does online.
    assert [url.rsplit("/", 1)[-1] for url in page.evaluate(QUEUED)] == voted

    _back_online(page, context)
    answers, rows, completed = _stored(live_app, key)
    assert answers == {code: "agree" for code in voted}
    assert set(rows.values()) == {1}
    assert completed is not None


def test_offline_reload_of_a_question_continues_the_survey(page, context, base_url, live_app):
    key = _open_online(page, base_url, "demo-peiling")
    context.set_offline(True)
    first = _answer(page)
    second = _answer(page)
    url = page.url
    page.reload()
    assert page.url == url
    expect(page.locator("form.question")).to_be_visible()
    third = _answer(page)
    assert third not in (first, second)
    expect(page.locator("input[name=response]").first).to_have_value(key)

    _back_online(page, context)
    answers, rows, _completed = _stored(live_app, key)
    assert set(answers) == {first, second, third}
    assert set(rows.values()) == {1}


DUPLICATE_QUEUE = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("buurtpeiling");
  open.onsuccess = () => {
    const tx = open.result.transaction("queue", "readwrite");
    const queue = tx.objectStore("queue");
    const all = queue.getAll();
    all.onsuccess = () => all.result.forEach((item) => { delete item.id; queue.add(item); });
    tx.oncomplete = () => resolve(all.result.length);
    tx.onerror = () => reject(tx.error);
  };
})"""
FLUSH = "() => navigator.serviceWorker.controller.postMessage({type: 'flush'})"


def test_many_reconnects_and_resends_keep_one_response_with_the_right_answers(
    page, context, base_url, live_app
):
    with live_app.app_context():
        before = db.session.scalar(select(func.count(Response.id)))
    key = _open_online(page, base_url, "demo-peiling")
    context.set_offline(True)
    answered = [_answer(page) for _ in range(3)]
    assert page.evaluate(DUPLICATE_QUEUE) >= 3  # every waiting answer will be sent twice
    for _ in range(4):
        context.set_offline(False)
        page.evaluate(FLUSH)
        page.evaluate(FLUSH)
        context.set_offline(True)
        answered.append(_answer(page))
    page.evaluate(DUPLICATE_QUEUE)
    context.clear_cookies()  # the browser was closed: the session (and its CSRF secret) is gone
    _back_online(page, context)
    page.evaluate(FLUSH)

    answers, rows, _completed = _stored(live_app, key)
    assert set(answers) == set(answered)
    assert answers["buurt"]["area"] == "BU09990202" and answers["themes"] == ["groen"]
    assert set(rows.values()) == {1}
    with live_app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == before + 1


QUEUED = """() => new Promise((resolve) => {
  const open = indexedDB.open("buurtpeiling");
  open.onsuccess = () => {
    const all = open.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => resolve(all.result.map((item) => item.url));
  };
})"""


def test_volunteer_form_is_never_kept_offline(page, context, base_url, live_app):
    page.goto(f"{base_url}/s/demo-peiling/meehelpen")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready", timeout=15000)
    context.set_offline(True)
    page.locator("#v-name").fill("Offline Ollie")
    page.locator("#v-email").fill("ollie@example.org")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.locator("form.volunteer .offline-note[role=alert]")).to_contain_text("offline")
    # Even a form without the marker is not kept: the worker only queues survey answers.
    page.evaluate("document.querySelector('form.volunteer').removeAttribute('data-no-offline')")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen verbinding")
    assert page.evaluate(QUEUED) == []
    context.set_offline(False)
    with live_app.app_context():
        assert (
            db.session.scalar(
                select(func.count(Volunteer.id)).where(Volunteer.name == "Offline Ollie")
            )
            == 0
        )


def test_a_restarted_worker_goes_on_offline(page, context, base_url, live_app):
    """The browser stops idle workers: offline, it starts ours again with what it imported."""
    _open_online(page, base_url, "demo-peiling")
    context.set_offline(True)
    first = _answer(page)
    cdp = context.new_cdp_session(page)
    cdp.send("ServiceWorker.enable")
    cdp.send("ServiceWorker.stopAllWorkers")
    page.reload()
    expect(page.locator("form.question")).to_be_visible()
    assert _answer(page) not in (None, first)
    expect(page.locator(".offline-note")).to_contain_text("zodra je weer verbinding hebt")
    _back_online(page, context)
