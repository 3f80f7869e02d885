// Runs the package's runtime (elearn/scorm/static/elearn-scorm.js) under Node for the Python tests:
// one JSON request on standard input, one JSON answer on standard output.
"use strict";
const fs = require("fs");
const core = require(process.argv[2]);

const request = JSON.parse(fs.readFileSync(0, "utf8"));

function drawCase(c) {
  try {
    const drawn = core.draw(c.questions, c.pool, c.minimum, c.fixed, c.bank, core.seededRng(c.seed));
    return { ids: drawn.map((s) => s.id) };
  } catch (e) {
    if (!(e instanceof core.DrawError)) throw e;
    return { error: e.message };
  }
}

// A quiz drawn from the plan and answered: every choice of a select-all question, the first otherwise,
// which makes the resume data as long as it can be.
function answeredState(plan, seed) {
  const state = core.freshState(plan);
  state.read = state.read.map(() => true);
  state.attempts = 9;
  state.quiz = core.newQuiz(plan, core.seededRng(seed));
  state.quiz.items.forEach((item) => {
    item.a = plan.pool[item.s].multiple ? item.o.slice() : [item.o[0]];
  });
  const encoded = core.encodeState(state);
  return { encoded: encoded, roundTrip: JSON.stringify(core.decodeState(encoded, plan)) === JSON.stringify(state) };
}

const answers = {
  draw: () => request.cases.map(drawCase),
  percent: () => request.pairs.map(([correct, total]) => core.percent(correct, total)),
  isRight: () => request.cases.map(([scenario, selected]) => core.isRight(scenario, selected)),
  state: () => answeredState(request.plan, request.seed),
  limit: () => core.SUSPEND_LIMIT,
};
process.stdout.write(JSON.stringify(answers[request.op]()));
