// The cases of tests/data/navigation_cases.json against the service worker's rule
// (static/js/navigation.js); tests/unit/test_navigation.py runs them against the Python rule
// and runs this file with `node --test tests/js/`.
"use strict";

const assert = require("node:assert/strict");
const test = require("node:test");

const navigation = require("../../static/js/navigation.js");
const table = require("../data/navigation_cases.json");

const ENDS = { offer: "(offer)", done: "(done)" };
const stepName = (step) => (step.kind === "question" ? step.q.code : ENDS[step.kind]);

// What the server sends the phone: the questions it offers, in its order (checked by pytest).
function offered(survey) {
  const byCode = new Map(survey.questions.map((q) => [q.code, q]));
  return survey.offered.map((code) => ({ required: false, show_if: null, ...byCode.get(code) }));
}

for (const c of table.cases) {
  test(c.name, () => {
    const survey = table.surveys[c.survey];
    const questions = offered(survey);
    const { answers, layer, completed } = c.state;
    const expect = c.expect;
    if (expect.path) {
      assert.deepEqual(navigation.path(questions, answers, layer).map((q) => q.code), expect.path);
    }
    assert.equal(stepName(navigation.currentStep(questions, answers, layer, completed)), expect.current);
    if (expect.end) {
      assert.equal(stepName(navigation.endStep(questions, layer, completed)), expect.end);
    }
    for (const [code, wanted] of Object.entries(expect.after || {})) {
      const after = navigation.stepAfter(questions, answers, layer, completed, code);
      assert.equal(stepName(after), wanted, "after " + code);
    }
    for (const [code, wanted] of Object.entries(expect.before || {})) {
      const before = navigation.stepBefore(questions, answers, layer, code);
      assert.equal(before ? before.code : null, wanted, "before " + code);
    }
    for (const [code, wanted] of Object.entries(expect.progress || {})) {
      const seconds = survey.seconds_per_question;
      assert.deepEqual(navigation.progress(questions, answers, layer, code, seconds), wanted, code);
    }
  });
}
