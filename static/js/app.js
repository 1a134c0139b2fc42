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
