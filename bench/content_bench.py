"""Time `content check` and `content sync` on a generated bank of 1,000 scenarios.

Run with ``make bench-content`` (or ``.venv/bin/python bench/content_bench.py``). The content
and a freshly migrated SQLite database live in a temporary folder that is removed afterwards.
The target: check plus the first sync in under 2 seconds.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from elearn.content import default_settings

SHIPPED = default_settings()
CATEGORIES = SHIPPED.categories
PERSPECTIVES = SHIPPED.perspectives

T = TypeVar("T")

SCENARIOS = 1000
PER_FILE = 100
TARGET_SECONDS = 2.0

SCENARIO = """## {title}

- ID: {id}
- 分類: {category}
- 視点: {perspective}
- 難易度: {difficulty}
- 場面: {setting}
- 根拠: {clauses}

### 状況

{situation}

### 問い

{question}

### 選択肢

{choices}

### 解説

{explanation}
"""

COURSE = """---
id: bench-course
title: 計測用コース
summary: ベンチマークのために生成したコースです。
audience: all
pass_mark: 80
quiz:
  questions: 20
  minimum:
    perspective:
      staff-as-harasser: 3
      legitimate-complaint: 3
    category:
      暴言: 2
    clause:
      第4-3: 2
  fixed: [bench-0001]
---

このコースは [[第1-1]] と [[第3]] を扱います。
"""

LESSON = """---
title: レッスン {n}
---

カスタマー・ハラスメントの定義は [[第1-1]] にあります。次は[次のレッスン](0{next}-lesson.md)です。

| 場面 | 対応 |
| --- | --- |
| 窓口 | 複数で対応する |
"""


def scenario(number: int, rng: random.Random) -> str:
    category = rng.choice(list(CATEGORIES))
    perspective = list(PERSPECTIVES)[number % len(PERSPECTIVES)]
    clauses = ["第1-3"]
    if CATEGORIES[category]:
        clauses.append(CATEGORIES[category])
    clauses.append(PERSPECTIVES[perspective].clause or "第3")
    correct = {0} if number % 4 else {0, 2}  # every fourth question has two correct choices
    choices = "\n".join(
        f"- [{'x' if i in correct else ' '}] 選択肢{i + 1}：落ち着いて説明し、上司に相談する（{number}）\n"
        f"  > 選択肢{i + 1}へのフィードバックです。組織で対応します [[第3]]。"
        for i in range(4)
    )
    return SCENARIO.format(
        title=f"計測用のシナリオ {number}",
        id=f"bench-{number:04d}",
        category=category,
        perspective=perspective,
        difficulty=rng.choice(SHIPPED.difficulties),
        setting=rng.choice(SHIPPED.settings),
        clauses=", ".join(clauses),
        situation=("来庁者が窓口で大きな声を出し、同じ説明を何度も求めています。" * 4 + "\n") * 2,
        question="この場面での対応として、最も適切なものはどれですか。",
        choices=choices,
        explanation=f"著しい迷惑行為に当たり得ます [[第1-3]] [[{clauses[-1]}]]。\n\n**組織で**対応します。",
    )


def generate(root: Path, count: int = SCENARIOS) -> None:
    """Write ``count`` valid scenarios into quizzes/ and one course with draw rules into courses/."""
    rng = random.Random(2026)
    quizzes = root / "quizzes"
    course = root / "courses" / "bench-course"
    quizzes.mkdir(parents=True)
    course.mkdir(parents=True)
    for start in range(1, count + 1, PER_FILE):
        numbers = range(start, min(start + PER_FILE, count + 1))
        body = "\n".join(scenario(n, rng) for n in numbers)
        header = f"---\nkind: scenarios\ntitle: 計測用 {start}\n---\n\n"
        (quizzes / f"bench-{start:04d}.md").write_text(header + body, encoding="utf-8")
    (course / "course.md").write_text(COURSE, encoding="utf-8")
    for n in range(1, 4):
        (course / f"0{n}-lesson.md").write_text(LESSON.format(n=n, next=min(n + 1, 3)), encoding="utf-8")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def run(workdir: Path, count: int = SCENARIOS) -> dict[str, float]:
    """Generate the content, then time check, a first sync into a fresh database, and a re-sync."""
    content = workdir / "content"
    generate(content, count)
    # create_app reads the environment; keep its instance folder (and dev secret) out of the project.
    os.environ["ELEARN_INSTANCE_PATH"] = str(workdir / "instance")
    from flask_migrate import upgrade

    from elearn import create_app
    from elearn.content import check
    from elearn.extensions import db
    from elearn.services.sync import sync_content

    check_seconds, result = timed(lambda: check([content / "courses", content / "quizzes"], content))
    if result.problems.errors:
        sys.exit("generated content has errors:\n" + "\n".join(map(str, result.problems.errors[:10])))
    app = create_app(
        {
            "SECRET_KEY": "benchmark-secret-key-that-is-long-enough",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}",
            "CONTENT_ROOT": content,
        }
    )
    with app.app_context():
        logging.disable(logging.INFO)  # the migrations' progress lines
        upgrade()
        logging.disable(logging.NOTSET)
        first, report = timed(lambda: sync_content(content))
        assert len(report.added) == count + 2, report.added[:3]  # the scenarios, the course, the policy
        again, report = timed(lambda: sync_content(content))
        assert not report.added and not report.updated, report
        db.session.remove()
        db.engine.dispose()
    return {"check": check_seconds, "sync (first run)": first, "sync (re-run, unchanged)": again}


def measure_content(runs: int = 3, count: int = SCENARIOS) -> dict[str, list[float]]:
    """Seconds per step and run; each run on fresh content and a fresh database."""
    timings: dict[str, list[float]] = {}
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="elearn-bench-") as tmp:
            for step, seconds in run(Path(tmp), count).items():
                timings.setdefault(step, []).append(seconds)
    timings["check + first sync"] = [
        a + b for a, b in zip(timings["check"], timings["sync (first run)"], strict=True)
    ]
    return timings


def target_met(timings: dict[str, list[float]]) -> bool:
    return statistics.median(timings["check + first sync"]) < TARGET_SECONDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs, each on fresh content and database")
    runs = parser.parse_args().runs
    timings = measure_content(runs)
    print(f"{SCENARIOS} scenarios in {SCENARIOS // PER_FILE} files, 1 course with draw rules; {runs} runs")
    print(f"{'step':<26} {'best s':>7} {'median s':>9}")
    for step, values in timings.items():
        print(f"{step:<26} {min(values):>7.3f} {statistics.median(values):>9.3f}")
    verdict = "met" if target_met(timings) else "MISSED"
    print(f"target: check + first sync under {TARGET_SECONDS:.0f} s (median): {verdict}")


if __name__ == "__main__":
    main()
