// The service worker's queue (loaded by static/sw.js with importScripts): answers that wait in
// IndexedDB, where each survey's resident is, and sending what waits, in order, stopping at the
// first that cannot go yet. Each answer carries its response's UUID, so a resend stores once.
"use strict";

const TIMEOUT_MS = 8000;
const FORM = "application/x-www-form-urlencoded";

// ---- IndexedDB: the queue of answers, and where each survey's resident is ----

let database = null;

function openDatabase() {
  database = database || new Promise((resolve, reject) => {
    const request = indexedDB.open("buurtpeiling", 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
      request.result.createObjectStore("state");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => { database = null; reject(request.error); };
  });
  return database;
}

async function store(name, mode, work) {
  const db = await openDatabase();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const request = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

const waiting = () => store("queue", "readonly", (s) => s.getAll());
const enqueue = (item) => store("queue", "readwrite", (s) => s.add(item));
const dequeue = (id) => store("queue", "readwrite", (s) => s.delete(id));
const requeue = (item) => store("queue", "readwrite", (s) => s.put(item));
const readState = (key) => store("state", "readonly", (s) => s.get(key));
const writeState = (key, value) => store("state", "readwrite", (s) => s.put(value, key));

async function pending(code) {
  return (await waiting()).some((item) => item.code === code);
}

// ---- Sending what waits: in order, stopping at the first that cannot go yet ----

let flushing = null;

function flush() {
  flushing = flushing || sendAll().finally(() => { flushing = null; });
  return flushing;
}

async function sendAll() {
  let token = null; // set once the session turned out to have changed during this round
  const codes = new Set();
  for (const item of await waiting()) {
    codes.add(item.code);
    if (token) await withToken(item, token);
    let outcome = await send(item);
    if (outcome === "stale") {
      // The session cookie changed while the answer waited: ask for a token that fits it now.
      token = await freshToken();
      if (!token) break;
      await withToken(item, token);
      outcome = await send(item);
      if (outcome === "stale") outcome = "drop";
    }
    if (outcome === "retry") break;
    await dequeue(item.id);
  }
  for (const code of codes) await forgetIfDone(code);
  const left = (await waiting()).length;
  await tell({ type: "queue", left });
  return left;
}

async function send(item) {
  // Earlier versions also queued a GET of the thank-you page, which changes nothing now.
  if (item.method === "GET") return "drop";
  let response;
  try {
    response = await within(new Request(item.url, {
      method: "POST",
      body: item.body,
      headers: { "Content-Type": FORM },
      credentials: "same-origin",
      redirect: "manual",
    }));
  } catch (error) {
    return "retry";
  }
  if (response.type === "opaqueredirect" || response.ok) return "sent";
  if (response.status === 400) return "stale";
  if (response.status === 429 || response.status >= 500) return "retry";
  return "drop"; // 404, 422: this answer can never be stored; waiting will not change that
}

async function withToken(item, token) {
  const fields = new URLSearchParams(item.body);
  fields.set("csrf_token", token);
  item.body = fields.toString();
  await requeue(item);
  const state = await readState(item.code);
  if (state && state.csrf !== token) {
    state.csrf = token;
    await writeState(item.code, state);
  }
}

async function forgetIfDone(code) {
  // Once a finished survey's answers are all sent, the phone keeps none of them.
  const state = await readState(code);
  if (state && state.completed && !(await pending(code))) {
    state.answers = {};
    await writeState(code, state);
  }
}

async function freshToken() {
  try {
    const response = await fetch("/offline/token", { credentials: "same-origin", cache: "no-store" });
    return response.ok ? (await response.json()).csrf_token : null;
  } catch (error) {
    return null;
  }
}

function within(request) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS);
    fetch(request).then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

async function flushFirst(code) {
  if (await pending(code)) {
    await Promise.race([flush(), new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS))]);
  }
}

function syncLater() {
  if (self.registration.sync) self.registration.sync.register("bp-queue").catch(() => {});
}

async function tell(message) {
  for (const client of await self.clients.matchAll()) client.postMessage(message);
}
