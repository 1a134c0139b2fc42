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

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    init(document);
    // Move focus to the new screen's heading so screen readers announce it.
    var heading = document.querySelector("#screen h1");
    if (heading && event.detail.target && event.detail.target.id === "screen") {
      heading.focus({ preventScroll: false });
      window.scrollTo(0, 0);
    }
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
