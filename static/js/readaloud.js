// "Lees voor" (issue 17): reads the screen's question and its options aloud with the browser's
// own speechSynthesis, in the page's language. Nothing is sent anywhere. The button stays hidden
// where the browser has no voice for that language; a second press (or a new screen) stops.
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;

  function pageLang() {
    return (document.documentElement.lang || "nl").toLowerCase();
  }

  function voiceFor(lang) {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var code = String(voices[i].lang || "").toLowerCase().replace("_", "-");
      if (code === lang || code.indexOf(lang + "-") === 0) return voices[i];
    }
    return null;
  }

  // What the screen says, in reading order: the elements marked data-speak, once each.
  function parts(root) {
    var seen = {};
    var texts = [];
    root.querySelectorAll("[data-speak]").forEach(function (el) {
      var copy = el.cloneNode(true); // without decoration such as the arrows on the vote buttons
      copy.querySelectorAll("[aria-hidden='true']").forEach(function (hid) { hid.remove(); });
      var text = (copy.textContent || "").replace(/\s+/g, " ").trim();
      if (text && !seen[text]) { seen[text] = true; texts.push(text); }
    });
    return texts;
  }

  function setPressed(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    var status = document.getElementById(button.dataset.status || "");
    if (status) status.textContent = on ? button.dataset.speaking || "" : "";
  }

  function stop(button) {
    synth.cancel();
    if (button) setPressed(button, false);
  }

  function read(button) {
    var lang = pageLang();
    var texts = parts(document.getElementById("main") || document.body);
    if (!texts.length) return;
    synth.cancel();
    setPressed(button, true);
    var voice = voiceFor(lang);
    texts.forEach(function (text, index) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      if (voice) utterance.voice = voice;
      if (index === texts.length - 1) {
        utterance.onend = function () { setPressed(button, false); };
        utterance.onerror = utterance.onend;
      }
      synth.speak(utterance);
    });
  }

  function show(root) {
    var able = !!voiceFor(pageLang());
    root.querySelectorAll("[data-read-aloud-status]").forEach(function (status) {
      status.hidden = !able;
      if (able) status.setAttribute("role", "status");
      else status.removeAttribute("role");
    });
    root.querySelectorAll("button[data-read-aloud]").forEach(function (button) {
      button.hidden = !able;
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.addEventListener("click", function () {
        if (button.getAttribute("aria-pressed") === "true") stop(button);
        else read(button);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { show(document); });
  // Chromium fills its list of voices later and says so with voiceschanged.
  if (synth.addEventListener) {
    synth.addEventListener("voiceschanged", function () { show(document); });
  }
  document.addEventListener("htmx:beforeSwap", function () { synth.cancel(); });
  document.addEventListener("htmx:afterSwap", function () { show(document); });
  window.addEventListener("pagehide", function () { synth.cancel(); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var button = document.querySelector('button[data-read-aloud][aria-pressed="true"]');
    if (button) stop(button);
  });
})();
