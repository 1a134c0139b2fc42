// Buurtpeiling service worker. It keeps the shell (CSS, htmx, app.js, icon, offline page) and
// every survey a resident opened (its screens, rendered by the server with placeholders), so
// answering goes on without a connection. Answers wait in IndexedDB and are sent, in order,
// when the connection returns; each carries the response's UUID, so a resend stores once.
// Only answers are queued: any other form (volunteering, following) is never kept here.
// The way through a survey is static/js/navigation.js, the rule of answering/navigation.py.
// Served at /sw.js by survey/features/pwa/views.py, which fills in the CONFIG line.
"use strict";

const CONFIG = {"version": "dev", "shell": [], "imports": ["/static/js/navigation.js", "/static/js/queue.js"]};
// navigation.js defines `navigation`; queue.js the IndexedDB store (waiting, enqueue, readState,
// writeState, pending...), flush() and its helpers, within(), TIMEOUT_MS and FORM.
importScripts(...CONFIG.imports);
const SHELL_CACHE = "bp-shell-" + CONFIG.version;
const SURVEY_CACHE = "bp-surveys";
const OFFLINE_URL = "/offline";
const ROUTE = /^\/s\/([^/]+)(?:\/(start|verdieping|klaar|v\/([^/]+)))?\/?$/;
const STEPS = { start: "start", verdieping: "offer", klaar: "done" };

// ---- The survey kept for offline use (GET /s/<code>/offline.json, revalidated by ETag) ----

const surveyUrl = (code) => "/s/" + encodeURIComponent(code) + "/offline.json";

async function description(code) {
  const hit = await caches.match(surveyUrl(code), { cacheName: SURVEY_CACHE });
  return hit ? hit.json() : null;
}

async function keepSurvey(code) {
  const cache = await caches.open(SURVEY_CACHE);
  const url = surveyUrl(code);
  const old = await cache.match(url);
  const tag = old && old.headers.get("ETag");
  await writeState("last", code);
  try {
    const headers = tag ? { "If-None-Match": tag } : {};
    const response = await fetch(url, { headers, cache: "no-store", credentials: "same-origin" });
    if (response.status === 304) return true;
    if (response.ok) { await cache.put(url, response); return true; }
    if (response.status === 404) await cache.delete(url);
    return false;
  } catch (error) {
    return Boolean(old);
  }
}

// ---- The way through a survey (navigation.js), on the kept survey and this phone's state ----

// completed: this phone reached the end; once its answers are sent it forgets them.
function newState(response) {
  return { response, csrf: "", answers: {}, layer: "core", completed: false };
}

const currentStep = (desc, state) =>
  navigation.currentStep(desc.questions, state.answers, state.layer, state.completed);
const stepAfter = (desc, state, q) =>
  navigation.stepAfter(desc.questions, state.answers, state.layer, state.completed, q.code);

function stepUrl(desc, step) {
  if (step.kind === "question") return desc.urls.question + encodeURIComponent(step.q.code);
  return step.kind === "offer" ? desc.urls.offer : desc.urls.done;
}

function answerValue(q, fields) {
  if (fields.has("skip")) return null;
  let values;
  if (q.type === "ranking") {
    values = [];
    for (let i = 1; i <= (q.pick || 3); i += 1) values.push(fields.get("rank" + i) || "");
  } else if (q.type === "area") {
    values = [fields.get("value") || fields.get("postcode") || ""];
  } else {
    values = fields.getAll("value");
  }
  values = values.map((v) => v.trim()).filter((v) => v !== "");
  return values.length ? values : null;
}

// Apply a submitted form to the local state; return the next step, or an error to show.
// Reaching the end completes the response here as the same POST does on the server (the last
// answer, or declining the verdieping), so nothing else need be sent to complete it.
function apply(desc, state, where, fields) {
  const step = advance(desc, state, where, fields);
  if (step && step.kind === "done") state.completed = true;
  return step;
}

function advance(desc, state, where, fields) {
  state.csrf = fields.get("csrf_token") || state.csrf;
  if (where.step === "start") return currentStep(desc, state);
  if (where.step === "offer") {
    if (fields.get("choice") !== "yes") return { kind: "done" };
    state.layer = "deeper";
    return currentStep(desc, state);
  }
  const q = desc.questions.find((other) => other.code === where.qcode);
  if (!q) return null;
  const value = answerValue(q, fields);
  if (q.required && value === null) return { kind: "question", q, error: true };
  state.answers[q.code] = value;
  if (q.layer === "deeper") state.layer = "deeper";
  return stepAfter(desc, state, q);
}

async function stateFor(code, response) {
  const state = (await readState(code)) || newState(response);
  if (response && state.response !== response) return newState(response);
  return state;
}

// ---- Screens, filled in from the kept survey ----

const clean = (value) => String(value || "").replace(/[^A-Za-z0-9._:-]/g, "");
const fill = (html, values) => html.replace(/__BP_[A-Z]+__/g, (m) => (m in values ? values[m] : m));

function progressBar(desc, state, q) {
  const progress = navigation.progress(desc.questions, state.answers, state.layer, q.code,
    desc.seconds_per_question);
  return { ...progress, bar: desc.progress[Math.min(progress.minutes, desc.progress.length) - 1] };
}

function numbered(html, progress) {
  // The server drew progress as "7772 of 7773" (value 7771): put in the real numbers.
  return html.replace(/7771/g, String(progress.number - 1)).replace(/7772/g, String(progress.number))
    .replace(/7773/g, String(progress.total));
}

function backUrl(desc, state, q) {
  const before = navigation.stepBefore(desc.questions, state.answers, state.layer, q.code);
  return before ? stepUrl(desc, { kind: "question", q: before }) : desc.urls.intro;
}

async function screen(desc, state, step, url) {
  const values = { __BP_RESPONSE__: clean(state && state.response), __BP_CSRF__: clean(state && state.csrf) };
  let main;
  if (step.kind === "question") {
    const progress = progressBar(desc, state, step.q);
    values.__BP_BACK__ = backUrl(desc, state, step.q);
    values.__BP_PROGRESS__ = progress.bar + (step.error ? desc.texts.required : "");
    main = numbered(fill(desc.screens.questions[step.q.code], values), progress);
  } else if (step.kind === "intro") {
    const resume = state && state.response && !state.completed;
    values.__BP_NEWUUID__ = self.crypto.randomUUID();
    values.__BP_RESUME__ = resume ? stepUrl(desc, currentStep(desc, state)) : "";
    main = fill(desc.screens[resume ? "resume" : "intro"], values);
  } else {
    main = fill(desc.screens[step.kind], values);
  }
  const notice = step.kind !== "done" && (await pending(desc.code))
    ? '<p class="offline-note" role="status">' + desc.texts.queued + "</p>" : "";
  const frame = desc.frame.map((part) => part.split("__BP_PATH__").join(url));
  return desc.page[0] + frame[0] + notice + main + frame[1] + desc.page[1];
}

function htmlResponse(html, pushUrl) {
  const headers = { "Content-Type": "text/html; charset=utf-8" };
  if (pushUrl) headers["HX-Push-Url"] = pushUrl;
  return new Response(html, { headers });
}

async function offlinePage() {
  return (await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE })) || Response.error();
}

// ---- Requests ----

function where(url) {
  const match = url.origin === self.location.origin && url.pathname.match(ROUTE);
  if (!match) return null;
  const step = match[3] ? "question" : match[2] ? STEPS[match[2]] : "intro";
  return { code: decodeURIComponent(match[1]), step, qcode: match[3] && decodeURIComponent(match[3]) };
}

async function answer(request, place) {
  const fields = new URLSearchParams(await request.clone().text());
  await flushFirst(place.code); // earlier answers go first, so the server knows where we are
  if (!(await pending(place.code))) {
    try {
      const response = await within(request);
      if (response.status < 502 || response.status > 504) {
        if (response.status < 400) await remember(place, fields);
        return response;
      }
    } catch (error) {
      // No connection (or far too slow): keep the answer and go on from the kept survey.
    }
  }
  return answerOffline(request, place, fields);
}

async function remember(place, fields) {
  const desc = await description(place.code);
  const state = await stateFor(place.code, fields.get("response"));
  if (desc && apply(desc, state, place, fields) === null) return;
  await writeState(place.code, state);
}

async function answerOffline(request, place, fields) {
  const desc = await description(place.code);
  const state = await stateFor(place.code, fields.get("response"));
  const step = desc && apply(desc, state, place, fields);
  if (!step) return request.mode === "navigate" ? offlinePage() : Response.error();
  if (!step.error) {
    await enqueue({ code: place.code, url: request.url, body: fields.toString() });
    syncLater();
  }
  await writeState(place.code, state);
  await writeState("last", place.code);
  const url = stepUrl(desc, step);
  if (request.mode === "navigate") return Response.redirect(url, 303);
  return htmlResponse(await screen(desc, state, step, url), url);
}

async function surveyPage(request, place) {
  await flushFirst(place.code);
  let response = null;
  try {
    response = await within(request);
    if (response.status < 502 || response.status > 504) {
      if (place.step === "done" && response.ok && !response.redirected) await finished(place.code);
      return response;
    }
  } catch (error) {
    // Offline: build the screen from the kept survey.
  }
  const desc = await description(place.code);
  if (!desc) return response || offlinePage();
  const url = new URL(request.url).pathname;
  const state = await readState(place.code);
  let step = { kind: "intro" };
  if (state && state.response && place.step !== "intro") {
    const q = desc.questions.find((other) => other.code === place.qcode);
    if (place.step === "offer" || place.step === "done") step = { kind: place.step };
    else if (q) step = { kind: "question", q };
  }
  return htmlResponse(await screen(desc, state, step, url));
}

async function finished(code) {
  const state = await readState(code);
  if (state) {
    state.completed = true;
    await writeState(code, state);
    await forgetIfDone(code);
  }
}

async function startApp(request) {
  const last = await readState("last");
  if (last) return Response.redirect("/s/" + encodeURIComponent(last), 302);
  try {
    return await fetch(request);
  } catch (error) {
    return offlinePage();
  }
}

async function pageOrOffline(request) {
  try {
    return await fetch(request);
  } catch (error) {
    return offlinePage();
  }
}

async function fromShell(request) {
  return (await caches.match(request, { cacheName: SHELL_CACHE })) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const place = where(url);
  const form = (request.headers.get("Content-Type") || "").startsWith(FORM);
  if (request.method === "POST") {
    if (place && place.step !== "intro" && place.step !== "done" && form) {
      event.respondWith(answer(request, place));
    } else if (request.mode === "navigate") {
      event.respondWith(pageOrOffline(request));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (CONFIG.shell.includes(url.pathname)) event.respondWith(fromShell(request));
  else if (place) event.respondWith(surveyPage(request, place));
  else if (url.pathname === "/app" && request.mode === "navigate") event.respondWith(startApp(request));
  else if (request.mode === "navigate") event.respondWith(pageOrOffline(request));
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const source = event.source;
  if (data.type === "survey" && data.code) {
    event.waitUntil(keepSurvey(String(data.code)).then((ok) => {
      if (source) source.postMessage({ type: "kept", code: data.code, ok });
    }));
  } else if (data.type === "flush") {
    event.waitUntil(flush());
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "bp-queue") return;
  event.waitUntil(flush().then((left) => {
    if (left) throw new Error("answers still waiting"); // the browser retries later
  }));
});

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(CONFIG.shell)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("bp-shell-") && key !== SHELL_CACHE) await caches.delete(key);
    }
    await self.clients.claim();
    // A new version may draw screens differently: renew the surveys kept so far.
    const cache = await caches.open(SURVEY_CACHE);
    for (const request of await cache.keys()) {
      const match = new URL(request.url).pathname.match(/^\/s\/([^/]+)\/offline\.json$/);
      if (match) await keepSurvey(decodeURIComponent(match[1]));
    }
  })());
});
