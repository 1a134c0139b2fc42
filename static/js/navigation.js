// The way through a survey, for the service worker: the rule of
// survey/features/answering/navigation.py, function by function, on the questions the server
// describes (visible ones only, in order: offered()) and an answers object by question code,
// in which a skipped question maps to null. Pure: no DOM, no worker. The service worker loads
// it with importScripts; Node requires it in tests/js/navigation.test.js, which runs the cases
// of tests/data/navigation_cases.json that pytest runs against the Python rule.
"use strict";

const navigation = (() => {
  const layersOf = (layer) => (layer === "deeper" ? ["core", "deeper"] : ["core"]);
  const question = (q) => ({ kind: "question", q });
  const has = (answers, code) => Object.prototype.hasOwnProperty.call(answers, code);

  function shown(q, answers) {
    const condition = q.show_if;
    if (!condition) return true;
    const given = has(answers, condition.question) ? answers[condition.question] : null;
    if (given === undefined || given === null) return false;
    const wanted = (condition.in || []).map(String);
    return [].concat(given).some((value) => wanted.includes(String(value)));
  }

  // A condition counts only while the question it names is on the path (see the Python rule).
  function path(questions, answers, layer) {
    const layers = layersOf(layer);
    const codes = new Set();
    return questions.filter((q) => {
      if (!layers.includes(q.layer) || (q.show_if && !codes.has(q.show_if.question))) return false;
      if (!shown(q, answers)) return false;
      codes.add(q.code);
      return true;
    });
  }

  function hasDeeper(questions) {
    return questions.some((q) => q.layer === "deeper");
  }

  function endStep(questions, layer, completed) {
    return { kind: layer === "core" && !completed && hasDeeper(questions) ? "offer" : "done" };
  }

  function currentStep(questions, answers, layer, completed) {
    const next = path(questions, answers, layer).find((q) => !has(answers, q.code));
    return next ? question(next) : endStep(questions, layer, completed);
  }

  function stepAfter(questions, answers, layer, completed, code) {
    const onPath = path(questions, answers, layer);
    const index = onPath.findIndex((q) => q.code === code);
    if (index >= 0 && index + 1 < onPath.length) return question(onPath[index + 1]);
    return currentStep(questions, answers, layer, completed);
  }

  function stepBefore(questions, answers, layer, code) {
    const onPath = path(questions, answers, layer);
    const index = onPath.findIndex((q) => q.code === code);
    if (index < 0) return onPath.length ? onPath[onPath.length - 1] : null;
    return index > 0 ? onPath[index - 1] : null;
  }

  function progress(questions, answers, layer, code, secondsPerQuestion) {
    const onPath = path(questions, answers, layer);
    const index = Math.max(0, onPath.findIndex((q) => q.code === code));
    return {
      number: index + 1,
      total: onPath.length,
      minutes: minutes(onPath.length - index, secondsPerQuestion),
    };
  }

  // Python's round(): a half rounds to the even neighbour (2.5 -> 2), where Math.round goes up.
  function roundHalfEven(value) {
    const floor = Math.floor(value);
    const rest = value - floor;
    if (rest !== 0.5) return Math.round(value);
    return floor % 2 === 0 ? floor : floor + 1;
  }

  function minutes(count, secondsPerQuestion) {
    return Math.max(1, roundHalfEven((count * secondsPerQuestion) / 60));
  }

  return { shown, path, hasDeeper, endStep, currentStep, stepAfter, stepBefore, progress, minutes };
})();

if (typeof module === "object" && module.exports) module.exports = navigation;
