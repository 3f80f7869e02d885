/* elearn SCORM 1.2 runtime: one plain script, no framework, no build step, nothing from a network.
 *
 * The launch page holds every lesson and the draw plan (the course's quiz rules and the whole
 * eligible pool). This script finds the LMS's API, shows one view at a time (the page never unloads
 * while the learner works, so the SCO keeps its session), records lessons read, draws the quiz by the
 * app's rules, scores it as the app does, and reports status and score. Without an API it runs as a
 * preview. The draw and the scoring are ported from elearn/content/draw.py and
 * elearn/services/submission.py; tests/scorm/test_runtime_port.py runs both on the same plans.
 */
(function (global) {
  "use strict";

  var SUSPEND_LIMIT = 4096; // cmi.suspend_data in SCORM 1.2: CMIString4096
  var STATE_FORMAT = "e1";

  // ---- The draw (elearn/content/draw.py) -------------------------------------------------------

  var POOL_KIND = { perspectives: "perspective", categories: "category", clauses: "clause" };

  function has(scenario, kind, value) {
    if (kind === "perspective") return scenario.perspective === value;
    if (kind === "category") return scenario.category === value;
    return scenario.clauses.indexOf(value) !== -1;
  }

  function eligible(pool, scenario) {
    return Object.keys(pool).every(function (key) {
      return pool[key].some(function (value) { return has(scenario, POOL_KIND[key], value); });
    });
  }

  function DrawError(message) {
    this.name = "DrawError";
    this.message = message;
  }
  DrawError.prototype = Object.create(Error.prototype);

  function countHaving(scenarios, kind, value) {
    return scenarios.filter(function (s) { return has(s, kind, value); }).length;
  }

  function draw(questions, pool, minimum, fixed, bank, rng) {
    var byId = new Map();
    bank.forEach(function (s) { byId.set(s.id, s); });
    var missing = fixed.filter(function (id) { return !byId.has(id); });
    if (missing.length) throw new DrawError("fixed のシナリオがありません: " + missing.join(", "));
    var fixedIds = new Set(fixed);
    var chosen = Array.from(fixedIds).map(function (id) { return byId.get(id); });
    var remaining = bank.filter(function (s) { return eligible(pool, s) && !fixedIds.has(s.id); });
    rng.shuffle(remaining);
    var needs = [];
    Object.keys(minimum).forEach(function (kind) {
      Object.keys(minimum[kind]).forEach(function (value) { needs.push([kind, value, minimum[kind][value]]); });
    });
    var unmet = function () {
      return needs.filter(function (n) { return countHaving(chosen, n[0], n[1]) < n[2]; });
    };
    for (var gaps = unmet(); gaps.length; gaps = unmet()) {
      // The first candidate meeting the most unmet minimums, as Python's max() picks it.
      var best = null;
      var bestScore = 0;
      remaining.forEach(function (s) {
        var score = gaps.filter(function (g) { return has(s, g[0], g[1]); }).length;
        if (best === null || score > bestScore) { best = s; bestScore = score; }
      });
      if (best === null || bestScore === 0) {
        throw new DrawError("出題対象に " + gaps[0][0] + "「" + gaps[0][1] + "」のシナリオが足りません");
      }
      chosen.push(best);
      remaining.splice(remaining.indexOf(best), 1);
    }
    if (chosen.length > questions) {
      throw new DrawError("最低数と fixed を満たすには " + chosen.length + " 問必要ですが、出題数は " + questions + " 問です");
    }
    var needed = questions - chosen.length;
    if (needed > remaining.length) {
      throw new DrawError("出題対象のシナリオが足りません（" + questions + " 問に対して " + (chosen.length + remaining.length) + " 問）");
    }
    chosen = chosen.concat(remaining.slice(0, needed));
    rng.shuffle(chosen);
    return chosen;
  }

  function fisherYates(array, below) {
    for (var i = array.length - 1; i > 0; i--) {
      var j = below(i + 1);
      var kept = array[i];
      array[i] = array[j];
      array[j] = kept;
    }
    return array;
  }

  function randomBelow(n) {
    var crypto = global.crypto;
    if (!crypto || !crypto.getRandomValues) return Math.floor(Math.random() * n);
    var word = new Uint32Array(1);
    var limit = Math.floor(0x100000000 / n) * n; // rejection keeps every index equally likely
    do { crypto.getRandomValues(word); } while (word[0] >= limit);
    return word[0] % n;
  }

  var browserRng = { shuffle: function (array) { return fisherYates(array, randomBelow); } };

  // A seeded generator (mulberry32), so that a test can draw the same in Python and here.
  function seededRng(seed) {
    var state = seed >>> 0;
    function next() {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (t ^ (t >>> 14)) >>> 0;
    }
    return { shuffle: function (array) { return fisherYates(array, function (n) { return next() % n; }); } };
  }

  // ---- Scoring (elearn/services/submission.py) -------------------------------------------------

  // Python's round(): halves go to the even neighbour.
  function roundHalfEven(x) {
    var floor = Math.floor(x);
    var rest = x - floor;
    if (rest > 0.5) return floor + 1;
    if (rest < 0.5) return floor;
    return floor % 2 === 0 ? floor : floor + 1;
  }

  function percent(correct, total) {
    return total ? roundHalfEven((100 * correct) / total) : 0;
  }

  // All or nothing: the chosen set must be exactly the correct choices.
  function isRight(scenario, selected) {
    var right = [];
    scenario.choices.forEach(function (c, i) { if (c.correct) right.push(i); });
    var mine = selected.slice().sort(function (a, b) { return a - b; });
    return mine.length === right.length && mine.every(function (v, i) { return v === right[i]; });
  }

  function newQuiz(plan, rng) {
    var r = plan.rules;
    var drawn = draw(r.questions, r.pool, r.minimum, r.fixed, plan.pool, rng);
    return {
      submitted: false,
      items: drawn.map(function (s) {
        var order = s.choices.map(function (_c, i) { return i; });
        return { s: plan.pool.indexOf(s), o: rng.shuffle(order), a: [] };
      }),
    };
  }

  function result(plan, quiz) {
    var correct = quiz.items.filter(function (item) { return isRight(plan.pool[item.s], item.a); }).length;
    var score = percent(correct, quiz.items.length);
    return { correct: correct, total: quiz.items.length, score: score, passed: score >= plan.passMark };
  }

  // ---- Resume data: e1|package|lessons read|attempts|passed|quiz, about 11 characters a question ----

  function digits(list) {
    return list.map(function (n) { return n.toString(36); }).join("");
  }

  function undigits(text) {
    return text.split("").map(function (c) { return parseInt(c, 36); });
  }

  function encodeState(state) {
    var quiz = "";
    if (state.quiz) {
      quiz = (state.quiz.submitted ? "s" : "o") + state.quiz.items.map(function (item) {
        return item.s.toString(36) + "." + digits(item.o) + "." + digits(item.a);
      }).join(",");
    }
    var read = state.read.map(function (r) { return r ? "1" : "0"; }).join("");
    return [STATE_FORMAT, state.package, read, state.attempts, state.passed ? 1 : 0, quiz].join("|");
  }

  function freshState(plan) {
    return { package: plan.package, read: plan.lessons.map(function () { return false; }), attempts: 0, passed: false, quiz: null };
  }

  // Resume data of another package (an older version in the same LMS slot) starts afresh.
  function decodeState(text, plan) {
    var parts = (text || "").split("|");
    if (parts.length !== 6 || parts[0] !== STATE_FORMAT || parts[1] !== plan.package) return null;
    if (parts[2].length !== plan.lessons.length) return null;
    var state = freshState(plan);
    state.read = parts[2].split("").map(function (c) { return c === "1"; });
    state.attempts = parseInt(parts[3], 10) || 0;
    state.passed = parts[4] === "1";
    if (parts[5]) {
      state.quiz = {
        submitted: parts[5][0] === "s",
        items: parts[5].slice(1).split(",").map(function (entry) {
          var fields = entry.split(".");
          return { s: parseInt(fields[0], 36), o: undigits(fields[1]), a: undigits(fields[2] || "") };
        }),
      };
      if (!state.quiz.items.every(function (item) { return plan.pool[item.s]; })) state.quiz = null;
    }
    return state;
  }

  var core = {
    SUSPEND_LIMIT: SUSPEND_LIMIT, DrawError: DrawError, draw: draw, eligible: eligible, seededRng: seededRng,
    percent: percent, isRight: isRight, newQuiz: newQuiz, result: result,
    encodeState: encodeState, decodeState: decodeState, freshState: freshState,
  };
  if (typeof module === "object" && module.exports) {
    module.exports = core; // under Node, for the tests: no page, no LMS
    return;
  }

  // ---- The LMS: API in the parent or opener chain (SCORM 1.2 RTE 3.3.6.1) ----------------------

  function apiIn(win) {
    for (var hops = 0; win && hops < 500; hops++) {
      try {
        if (win.API) return win.API;
      } catch (e) {
        return null; // a window of another origin: the API cannot be there for us
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  function connect() {
    var api = apiIn(global) || (global.opener ? apiIn(global.opener) : null);
    if (!api) return { preview: true, ok: true, get: function () { return ""; }, set: function () {}, commit: function () {}, finish: function () {} };
    var ok = String(api.LMSInitialize("")) === "true";
    return {
      preview: false,
      ok: ok,
      get: function (name) { return String(api.LMSGetValue(name) || ""); },
      set: function (name, value) { api.LMSSetValue(name, String(value)); },
      commit: function () { api.LMSCommit(""); },
      finish: function () { api.LMSFinish(""); },
      error: function () { var code = api.LMSGetLastError(); return code + " " + api.LMSGetErrorString(code); },
    };
  }

  // ---- The page ---------------------------------------------------------------------------------

  var doc = global.document;
  var plan, lms, state, finished = false, startedAt = new Date();

  function byId(id) { return doc.getElementById(id); }

  function element(tag, attributes, html) {
    var el = doc.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { el.setAttribute(name, attributes[name]); });
    if (html !== undefined) el.innerHTML = html;
    return el;
  }

  function text(tag, attributes, content) {
    var el = element(tag, attributes);
    el.textContent = content;
    return el;
  }

  // The policy opens beside the course: leaving the launch page would end the LMS session.
  function policyAside(root) {
    root.querySelectorAll('a[href^="policy.html"]').forEach(function (a) { a.target = "_blank"; a.rel = "noopener"; });
  }

  function showError(message) {
    var box = byId("scorm-error");
    box.textContent = message;
    box.hidden = false;
  }

  function save() {
    var data = encodeState(state);
    if (data.length > SUSPEND_LIMIT) showError("再開用のデータが SCORM 1.2 の上限（4,096 文字）を超えました。");
    lms.set("cmi.suspend_data", data);
    lms.commit();
  }

  function unreadCount() { return state.read.filter(function (r) { return !r; }).length; }
  function attemptsLeft() { return plan.rules.maxAttempts ? Math.max(plan.rules.maxAttempts - state.attempts, 0) : Infinity; }
  function quizOpen() { return !state.passed && (!plan.quizAfterLessons || unreadCount() === 0); }
  function showKey() { return plan.review === "always" || state.passed || attemptsLeft() === 0; }

  function reportStatus() {
    var lessonsDone = plan.completion === "quiz" || unreadCount() === 0;
    var last = state.quiz && state.quiz.submitted ? result(plan, state.quiz) : null;
    if (state.passed && lessonsDone) lms.set("cmi.core.lesson_status", "passed");
    else if (!state.passed && last && !last.passed) lms.set("cmi.core.lesson_status", "failed");
    else lms.set("cmi.core.lesson_status", "incomplete");
  }

  function renderHome() {
    plan.lessons.forEach(function (slug, i) {
      doc.querySelector('[data-read-mark="' + slug + '"]').hidden = !state.read[i];
    });
    var unread = unreadCount();
    byId("scorm-progress").textContent = "レッスン " + (plan.lessons.length - unread) + " / " + plan.lessons.length + " 読了";
    var gate = byId("scorm-quiz-gate");
    var start = byId("scorm-quiz-start");
    var submitted = state.quiz && state.quiz.submitted;
    gate.hidden = true;
    start.hidden = !quizOpen() || (submitted && attemptsLeft() === 0);
    if (!state.passed && plan.quizAfterLessons && unread) {
      gate.textContent = "あと " + unread + " 本のレッスンを読むと、確認テストを受けられます。";
      gate.hidden = false;
    }
    start.textContent = state.quiz && !submitted ? "確認テストの続きを受ける" : "確認テストを受ける";
    byId("scorm-result-link").hidden = !submitted;
  }

  function markRead(button) {
    var index = plan.lessons.indexOf(button.getAttribute("data-read"));
    state.read[index] = true;
    lms.set("cmi.core.lesson_location", plan.lessons[index]);
    reportStatus();
    save();
    global.location.hash = button.getAttribute("data-next");
  }

  function choiceList(scenario, item, number) {
    var list = element("ul", { class: "choices" });
    item.o.forEach(function (k) {
      var id = "q" + number + "-" + k;
      var li = element("li");
      var input = element("input", { type: scenario.multiple ? "checkbox" : "radio", name: "q" + number, id: id, value: k });
      input.checked = item.a.indexOf(k) !== -1;
      input.addEventListener("change", function () { answer(item, list); });
      li.appendChild(input);
      li.appendChild(element("label", { for: id }, scenario.choices[k].html));
      list.appendChild(li);
    });
    return list;
  }

  function answer(item, list) {
    item.a = Array.prototype.filter.call(list.querySelectorAll("input"), function (i) { return i.checked; })
      .map(function (i) { return parseInt(i.value, 10); });
    list.closest("fieldset").classList.remove("scorm-unanswered");
    save();
  }

  function scenarioBody(box, scenario) {
    box.appendChild(element("div", { class: "prose situation" }, scenario.situation));
    box.appendChild(element("div", { class: "prose ask" }, scenario.question));
  }

  function renderQuiz() {
    var form = byId("scorm-quiz");
    form.innerHTML = "";
    var total = state.quiz.items.length;
    state.quiz.items.forEach(function (item, i) {
      var scenario = plan.pool[item.s];
      var box = element("fieldset", { class: "card question scorm-question", id: "question-" + (i + 1) });
      var legend = element("legend");
      legend.appendChild(text("span", { class: "qno" }, "問" + (i + 1) + " / " + total));
      legend.appendChild(doc.createTextNode(" " + scenario.title));
      box.appendChild(legend);
      scenarioBody(box, scenario);
      if (scenario.multiple) box.appendChild(text("p", { class: "hint" }, "あてはまるものをすべて選んでください。"));
      box.appendChild(choiceList(scenario, item, i + 1));
      form.appendChild(box);
    });
    var problem = text("p", { class: "error", id: "scorm-unanswered", role: "alert", hidden: "" }, "");
    form.appendChild(problem);
    var submit = text("button", { type: "submit", class: "button primary" }, "提出する");
    form.appendChild(element("div", { class: "actions" })).appendChild(submit);
    policyAside(form);
  }

  function submitQuiz(event) {
    event.preventDefault();
    var missing = [];
    state.quiz.items.forEach(function (item, i) {
      if (!item.a.length) {
        missing.push(i + 1);
        byId("question-" + (i + 1)).classList.add("scorm-unanswered");
      }
    });
    if (missing.length) {
      var problem = byId("scorm-unanswered");
      problem.textContent = "答えていない問題があります（問" + missing.join("、問") + "）。すべての問題に答えてから提出してください。";
      problem.hidden = false;
      return;
    }
    var outcome = result(plan, state.quiz);
    state.quiz.submitted = true;
    state.attempts += 1;
    state.passed = outcome.passed;
    lms.set("cmi.core.score.min", 0);
    lms.set("cmi.core.score.max", 100);
    lms.set("cmi.core.score.raw", outcome.score);
    reportStatus();
    save();
    global.location.hash = "result";
  }

  function reviewedChoices(scenario, item, key) {
    var list = element("ul", { class: "choices reviewed" });
    item.o.forEach(function (k) {
      var choice = scenario.choices[k];
      var mine = item.a.indexOf(k) !== -1;
      var li = element("li", { class: [key && choice.correct ? "correct" : "", mine ? "mine" : ""].join(" ").trim() });
      li.appendChild(element("div", { class: "choice-text" }, choice.html));
      var marks = element("p", { class: "marks" });
      if (mine) marks.appendChild(text("span", { class: "mark mark-mine" }, "あなたの回答"));
      if (key && choice.correct) marks.appendChild(text("span", { class: "mark mark-correct" }, "正解"));
      li.appendChild(marks);
      // Before the key may be shown, only the feedback on one's own choices.
      if (choice.feedback && (key || mine)) li.appendChild(element("div", { class: "feedback prose" }, choice.feedback));
      list.appendChild(li);
    });
    return list;
  }

  function clauseLinks(scenario) {
    var p = text("p", { class: "meta" }, "読み直す箇所（基本方針）: ");
    scenario.clauses.forEach(function (clause, i) {
      if (i) p.appendChild(doc.createTextNode("、"));
      p.appendChild(text("a", { href: "policy.html#" + scenario.anchors[i] }, clause));
    });
    return p;
  }

  function renderResult() {
    var box = byId("scorm-result");
    var outcome = result(plan, state.quiz);
    var key = showKey();
    box.innerHTML = "";
    var card = element("section", { class: "card score " + (outcome.passed ? "passed" : "failed") });
    card.appendChild(text("p", { class: "big" }, outcome.score + " 点（" + outcome.correct + " / " + outcome.total + " 問正解）"));
    if (outcome.passed) card.appendChild(text("p", {}, "合格です。" + (unreadCount() && plan.completion !== "quiz" ? "すべてのレッスンを読むと修了です。" : "修了が LMS に記録されました。")));
    else card.appendChild(text("p", {}, "合格点は " + plan.passMark + " 点です。" + (attemptsLeft() ? "解説を読んで、もう一度受験してください。" : "受験回数の上限に達しました。")));
    var actions = element("p", { class: "actions" });
    if (!outcome.passed && attemptsLeft()) {
      var again = text("button", { type: "button", class: "button primary", id: "scorm-retake" }, "もう一度受験する");
      again.addEventListener("click", retake);
      actions.appendChild(again);
    }
    actions.appendChild(text("a", { class: "button", href: "#home" }, "コースに戻る"));
    card.appendChild(actions);
    box.appendChild(card);
    state.quiz.items.forEach(function (item, i) {
      var scenario = plan.pool[item.s];
      var right = isRight(scenario, item.a);
      var article = element("article", { class: "card review " + (right ? "right" : "wrong") });
      var heading = element("h2");
      heading.appendChild(text("span", { class: "qno" }, "問" + (i + 1)));
      heading.appendChild(doc.createTextNode(" " + scenario.title + " "));
      heading.appendChild(text("span", { class: "verdict" }, right ? "正解" : "不正解"));
      article.appendChild(heading);
      scenarioBody(article, scenario);
      article.appendChild(reviewedChoices(scenario, item, key));
      if (key) {
        var explanation = element("section", { class: "explanation prose" }, scenario.explanation);
        explanation.insertBefore(text("h3", {}, "解説"), explanation.firstChild);
        article.appendChild(explanation);
      } else if (!right) {
        article.appendChild(clauseLinks(scenario));
      }
      box.appendChild(article);
    });
    policyAside(box);
  }

  function startQuiz() {
    try {
      state.quiz = newQuiz(plan, browserRng);
    } catch (e) {
      if (!(e instanceof DrawError)) throw e;
      showError("問題を用意できませんでした。研修担当にお問い合わせください。（" + e.message + "）");
      return false;
    }
    save();
    return true;
  }

  function retake() {
    if (startQuiz()) global.location.hash = "quiz";
  }

  // Which view a fragment shows; the quiz and the result only when they can be shown.
  function viewFor(hash) {
    var target = hash ? byId(hash) : null;
    var view = target && target.closest("[data-view]");
    if (!view) return byId("home");
    if (view.id === "quiz") {
      var open = state.quiz && !state.quiz.submitted;
      if (!open && !(quizOpen() && attemptsLeft() && startQuiz())) return byId(state.quiz ? "result" : "home");
    }
    if (view.id === "result" && !(state.quiz && state.quiz.submitted)) return byId("home");
    return view;
  }

  function show() {
    if (finished) return;
    var hash = global.location.hash.slice(1);
    var view = viewFor(hash);
    doc.querySelectorAll("[data-view]").forEach(function (v) { v.classList.toggle("current", v === view); });
    if (view.id === "home") renderHome();
    if (view.id === "quiz") renderQuiz();
    if (view.id === "result") renderResult();
    var target = hash ? byId(hash) : null;
    if (target && target !== view && view.contains(target)) {
      target.scrollIntoView(); // a fragment inside a lesson
    } else {
      global.scrollTo(0, 0);
      byId("main").focus({ preventScroll: true });
    }
  }

  function sessionTime() {
    var seconds = Math.floor((new Date() - startedAt) / 1000);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(Math.floor(seconds / 3600)) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
  }

  function finish() {
    if (finished) return;
    finished = true;
    lms.set("cmi.core.session_time", sessionTime());
    lms.set("cmi.core.exit", state.passed ? "" : "suspend");
    save();
    lms.finish();
  }

  function exit() {
    finish();
    doc.querySelectorAll("[data-view]").forEach(function (v) { v.classList.remove("current"); });
    byId("scorm-finished").hidden = lms.preview;
  }

  function start() {
    doc.documentElement.classList.add("js");
    plan = JSON.parse(byId("elearn-plan").textContent);
    lms = connect();
    byId("scorm-preview").hidden = !lms.preview;
    if (!lms.ok) showError("LMS との通信を始められませんでした（" + lms.error() + "）。記録は残りません。");
    state = decodeState(lms.get("cmi.suspend_data"), plan) || freshState(plan);
    var status = lms.get("cmi.core.lesson_status");
    if (!status || status === "not attempted" || status === "browsed") lms.set("cmi.core.lesson_status", "incomplete");
    save();
    doc.querySelectorAll("[data-read]").forEach(function (b) { b.addEventListener("click", function () { markRead(b); }); });
    byId("scorm-quiz").addEventListener("submit", submitQuiz);
    byId("scorm-exit").addEventListener("click", exit);
    policyAside(doc);
    global.addEventListener("hashchange", show);
    global.addEventListener("pagehide", finish);
    global.addEventListener("beforeunload", finish);
    show();
  }

  start();
})(typeof window !== "undefined" ? window : globalThis);
