// Buurtpeiling: the one small script of our own. Everything works without it.
(function () {
  "use strict";

  // A fresh client-made UUID for a new response, so a retried start lands once.
  function freshUuids(root) {
    if (!window.crypto || !crypto.randomUUID) return;
    root.querySelectorAll("input[data-client-uuid]").forEach(function (input) {
      if (!input.dataset.done) { input.value = crypto.randomUUID(); input.dataset.done = "1"; }
    });
  }

  // Characters left in an open answer.
  function counters(root) {
    root.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var out = document.getElementById(area.dataset.counter);
      if (!out || area.dataset.counting) return;
      area.dataset.counting = "1";
      var update = function () {
        var left = area.maxLength - area.value.length;
        out.textContent = (out.dataset.left || "{n}").replace("{n}", String(left));
      };
      area.addEventListener("input", update);
    });
  }

  function init(root) { freshUuids(root); counters(root); }

  // A chart's table a person opened stays open when htmx brings fresh figures (the dashboard).
  var openTables = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    openTables = target ? Array.prototype.map.call(
      target.querySelectorAll("details.chart-data[open][id]"), function (d) { return d.id; }) : [];
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    init(document);
    openTables.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) details.open = true;
    });
    openTables = [];
    // Move focus to the new screen's heading so screen readers announce it.
    var heading = document.querySelector("#screen h1");
    if (heading && event.detail.target && event.detail.target.id === "screen") {
      heading.focus({ preventScroll: false });
      window.scrollTo(0, 0);
    }
  });
})();

// Swipe decks (issue 5): drag a card right for eens, left for oneens; arrow keys too.
// A gesture or key clicks the card's own submit button, so it is the same form post as a tap.
(function () {
  "use strict";

  var KEYS = { ArrowLeft: "disagree", ArrowRight: "agree", ArrowDown: "skip" };
  var DIRECTION = { agree: 1, disagree: -1, skip: 0 };
  var THRESHOLD = 0.25; // share of the card's width a drag must travel to count as a vote
  var motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  function still() { return !!(motion && motion.matches); }

  // Forms with a vote on its way. Not a data- attribute: while htmx settles a swap, the new card's
  // form briefly carries the old form's attributes, and a quick next tap would be dropped.
  var voting = typeof WeakSet === "function" ? new WeakSet() : null;

  function vote(form, value) {
    var button = form.querySelector('button[data-vote="' + value + '"]');
    if (!button || (voting && voting.has(form))) return;
    if (voting) voting.add(form);
    // A failed or queued post must not leave the card stuck.
    setTimeout(function () { if (voting) voting.delete(form); }, 2000);
    var card = form.querySelector("[data-card]");
    var direction = DIRECTION[value];
    if (!card || !direction || still()) { button.click(); return; }
    card.classList.remove("card-dragging");
    card.classList.add("card-leaving");
    card.style.transform = "translateX(" + direction * window.innerWidth + "px) rotate(" + direction * 15 + "deg)";
    setTimeout(function () { button.click(); }, 160);
  }

  function lean(card, dx) {
    var value = dx > 24 ? "agree" : dx < -24 ? "disagree" : "";
    if (value) card.dataset.lean = value; else delete card.dataset.lean;
  }

  function draggable(card) {
    if (card.dataset.swipe) return;
    card.dataset.swipe = "1";
    var form = card.closest("form");
    var start = null;

    function reset() {
      start = null;
      card.classList.remove("card-dragging");
      card.style.transform = "";
      lean(card, 0);
    }

    card.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) return;
      start = { x: event.clientX, id: event.pointerId };
      card.classList.add("card-dragging");
      if (card.setPointerCapture) card.setPointerCapture(event.pointerId);
    });
    card.addEventListener("pointermove", function (event) {
      if (!start || event.pointerId !== start.id) return;
      var dx = event.clientX - start.x;
      card.style.transform = "translateX(" + dx + "px)" + (still() ? "" : " rotate(" + dx / 25 + "deg)");
      lean(card, dx);
    });
    card.addEventListener("pointerup", function (event) {
      if (!start || event.pointerId !== start.id) return;
      var dx = event.clientX - start.x;
      if (Math.abs(dx) >= card.offsetWidth * THRESHOLD) {
        start = null;
        vote(form, dx > 0 ? "agree" : "disagree");
      } else {
        reset();
      }
    });
    card.addEventListener("pointercancel", reset);
  }

  function init() {
    document.querySelectorAll("form[data-deck] [data-card]").forEach(draggable);
    document.querySelectorAll("[data-swipe-help]").forEach(function (help) { help.hidden = false; });
  }

  document.addEventListener("keydown", function (event) {
    var value = KEYS[event.key];
    var form = document.querySelector("form[data-deck]");
    if (!value || !form || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    // A key pressed while the next card is still settling in (htmx has not wired its form up
    // yet) is kept and used as soon as it has: a quick swiper's key is never lost.
    if (document.querySelector(".htmx-swapping, .htmx-settling")) { pending = value; return; }
    vote(form, value);
  });
  var pending = null;
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSwap", init);
  document.addEventListener("htmx:afterSettle", function () {
    var value = pending, form = document.querySelector("form[data-deck]");
    pending = null;
    if (value && form) vote(form, value);
  });
})();

// ---- Offline (issue 9): the service worker keeps each opened survey; answers given without a
// connection wait on the phone and go out on reconnect, on the next visit and with retries
// that back off. Forms marked data-no-offline (volunteering, following) are never kept.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var sw = navigator.serviceWorker;
  var root = document.documentElement;
  var kept = false;
  var wait = 5000;
  var timer = null;

  function tell(message) {
    sw.ready.then(function (reg) { if (reg.active) reg.active.postMessage(message); });
  }
  function ready() { if (kept && sw.controller) root.setAttribute("data-offline", "ready"); }
  function retry() { clearTimeout(timer); timer = null; tell({ type: "flush" }); }

  sw.addEventListener("controllerchange", ready);
  sw.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "kept") { kept = data.ok; ready(); }
    if (data.type !== "queue") return;
    root.setAttribute("data-queue", String(data.left));
    if (!data.left) {
      wait = 5000;
      document.querySelectorAll(".offline-note[role=status]").forEach(function (n) { n.remove(); });
    } else if (!timer) {
      timer = setTimeout(retry, wait);
      wait = Math.min(wait * 2, 300000);
    }
  });
  window.addEventListener("online", function () { wait = 5000; retry(); });
  window.addEventListener("load", function () {
    sw.register("/sw.js", { scope: "/" }).then(function () {
      var match = location.pathname.match(/^\/s\/([^/]+)/);
      if (match) tell({ type: "survey", code: decodeURIComponent(match[1]) });
      tell({ type: "flush" });
    }).catch(function () {});
  });

  // A form that cannot be kept on the phone says so instead of failing silently.
  function unsent(form) {
    if (!form || form.querySelector(".offline-note")) return;
    var note = document.createElement("p");
    note.className = "offline-note";
    note.setAttribute("role", "alert");
    note.textContent = root.getAttribute("data-offline-form") || "Offline";
    form.insertBefore(note, form.firstChild);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!navigator.onLine && form.hasAttribute("data-no-offline")) {
      event.preventDefault();
      event.stopPropagation();
      unsent(form);
    }
  }, true);
  document.addEventListener("htmx:sendError", function (event) {
    var elt = event.detail.elt;
    unsent(elt && elt.closest ? elt.closest("form") : null);
  });
})();
