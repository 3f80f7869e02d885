"""Parse a course folder: ``course.md`` plus lesson files in file-name order."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .documents import Course, Lesson, QuizRules
from .frontmatter import Document, split_front_matter
from .markdown_lines import check_markdown, join, numbered, outside_fences
from .problems import Problems
from .settings import ContentSettings
from .vocab import AUDIENCES, COURSE_STATES

COURSE_FILE = "course.md"
COURSE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
LESSON_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")

COURSE_KEYS = {
    "id",
    "title",
    "summary",
    "audience",
    "pass_mark",
    "quiz",
    "completion",
    "quiz_after_lessons",
    "review",
    "status",
}
# completion: lessons_and_quiz = every lesson read and the quiz passed; quiz = the quiz passed.
COMPLETION_RULES = ("lessons_and_quiz", "quiz")
# review: after_pass = a failed attempt's result shows what was wrong but not the key, until the course is
# passed or the attempts are used up; always = the full review after every attempt.
REVIEW_RULES = ("after_pass", "always")
COMPLETION_DEFAULTS = {"completion": "lessons_and_quiz", "quiz_after_lessons": True, "review": "after_pass"}
QUIZ_KEYS = {"questions", "pool", "minimum", "fixed", "max_attempts"}
POOL_KINDS = {"perspectives": "perspective", "categories": "category", "clauses": "clause"}
MINIMUM_KINDS = {"perspective", "category", "clause"}


def allowed_values(kind: str, settings: ContentSettings) -> set[str]:
    return {
        "perspective": set(settings.perspectives),
        "category": set(settings.categories),
        "clause": set(settings.clause_ids()),
    }[kind]


def read_text(path: Path, shown: str, problems: Problems) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problems.error(shown, line, "UTF-8 として読めません（文字コードを UTF-8 にしてください）")
    except OSError as exc:
        problems.error(shown, 1, f"ファイルを読めません: {exc.strerror}")
    return None


def parse_course(folder: Path, shown: str, problems: Problems, settings: ContentSettings) -> Course | None:
    """Parse ``folder``; ``shown`` is the folder path as problems should print it."""
    course_path = f"{shown}/{COURSE_FILE}"
    text = read_text(folder / COURSE_FILE, course_path, problems)
    if text is None:
        return None
    doc = split_front_matter(course_path, text, problems)
    if doc is None:
        return None
    meta = _check_course_meta(doc, problems, settings)
    body = numbered(doc.body, doc.body_start)
    check_markdown(course_path, body, problems, settings.clause_ids())

    lesson_files = sorted(p for p in folder.glob("*.md") if p.name != COURSE_FILE)
    if not lesson_files:
        problems.error(course_path, 1, "レッスンのファイルがありません")
    slugs = {p.stem for p in lesson_files}
    lessons = []
    for path in lesson_files:
        lesson = parse_lesson(path, f"{shown}/{path.name}", slugs, problems, settings)
        if lesson is not None:
            lessons.append(lesson)
    if meta is None or len(lessons) != len(lesson_files):
        return None
    return Course(
        id=meta["id"],
        title=meta["title"],
        summary=meta["summary"],
        audience=meta["audience"],
        pass_mark=meta["pass_mark"],
        quiz=meta["quiz"],
        completion=meta["completion"],
        quiz_after_lessons=meta["quiz_after_lessons"],
        review=meta["review"],
        draft=COURSE_STATES[meta.get("status", "published")],
        intro=join(body),
        lessons=lessons,
        path=course_path,
        quiz_line=doc.line_of("quiz"),
    )


def parse_lesson(
    path: Path, shown: str, slugs: set[str], problems: Problems, settings: ContentSettings
) -> Lesson | None:
    """Parse one lesson file; ``slugs`` are its course's lessons, for checking links between them."""
    if not LESSON_SLUG.match(path.stem):
        problems.error(shown, 1, "レッスンのファイル名は英数字・ハイフン・下線にしてください")
        return None
    text = read_text(path, shown, problems)
    if text is None:
        return None
    doc = split_front_matter(shown, text, problems)
    if doc is None:
        return None
    title = doc.meta.get("title")
    for key in doc.meta:
        if key != "title":
            problems.warning(shown, doc.line_of(key), f"不明な項目です: {key}")
    if not isinstance(title, str) or not title.strip():
        problems.error(shown, doc.line_of("title"), "title（レッスン名）がありません")
        return None
    body = numbered(doc.body, doc.body_start)
    check_markdown(shown, body, problems, settings.clause_ids())
    for line, live in outside_fences(body):
        if not live:
            continue
        for match in MD_LINK.finditer(line.text):
            target = match.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
                continue
            name = target.split("#", 1)[0]
            if name.endswith(".md") and ("/" in name or Path(name).stem not in slugs):
                problems.error(shown, line.number, f"リンク先のレッスンがありません: {target}")
    return Lesson(slug=path.stem, title=title.strip(), body=join(body), path=shown, body_line=doc.body_start)


def _check_course_meta(doc: Document, problems: Problems, settings: ContentSettings) -> dict[str, Any] | None:
    meta, path = doc.meta, doc.path
    errors_before = problems.error_count

    def error(key: str, message: str) -> None:
        problems.error(path, doc.line_of(key), message)

    for key in meta:
        if key not in COURSE_KEYS:
            problems.warning(path, doc.line_of(key), f"不明な項目です: {key}")
    if not isinstance(meta.get("id"), str) or not COURSE_ID.match(meta["id"]):
        error("id", "id は英小文字・数字・ハイフンで書いてください")
    for key, label in (("title", "コース名"), ("summary", "説明")):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            error(key, f"{key}（{label}）がありません")
    if meta.get("audience") not in AUDIENCES:
        error("audience", f"audience は {', '.join(AUDIENCES)} のどれかにしてください")
    pass_mark = meta.get("pass_mark")
    if not _is_int(pass_mark) or not 1 <= pass_mark <= 100:
        error("pass_mark", "pass_mark は 1〜100 の整数にしてください")
    completion_rules = _check_completion_rules(doc, error)
    if meta.get("status", "published") not in COURSE_STATES:
        error("status", f"status は {', '.join(COURSE_STATES)} のどれかにしてください（draft は下書き）")
    quiz = _check_quiz(doc, meta.get("quiz"), problems, settings)
    if problems.error_count > errors_before or quiz is None:
        return None
    return {
        **meta,
        **completion_rules,
        "title": meta["title"].strip(),
        "summary": meta["summary"].strip(),
        "quiz": quiz,
    }


def _check_completion_rules(doc: Document, error: Callable[[str, str], None]) -> dict[str, Any]:
    """What 修了 needs, whether lessons come before the quiz, and what a result page shows."""
    rules = {key: doc.meta.get(key, default) for key, default in COMPLETION_DEFAULTS.items()}
    if rules["completion"] not in COMPLETION_RULES:
        error("completion", f"completion は {', '.join(COMPLETION_RULES)} のどれかにしてください")
    if not isinstance(rules["quiz_after_lessons"], bool):
        error("quiz_after_lessons", "quiz_after_lessons は true または false にしてください")
    if rules["review"] not in REVIEW_RULES:
        error("review", f"review は {', '.join(REVIEW_RULES)} のどれかにしてください")
    return rules


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_quiz(
    doc: Document, quiz: object, problems: Problems, settings: ContentSettings
) -> QuizRules | None:
    path = doc.path
    line = doc.line_of("quiz")
    if not isinstance(quiz, dict):
        problems.error(path, line, "quiz（出題の規則）を書いてください")
        return None
    errors_before = problems.error_count

    def error(message: str) -> None:
        problems.error(path, line, message)

    for key in quiz:
        if key not in QUIZ_KEYS:
            problems.warning(path, line, f"quiz の不明な項目です: {key}")
    questions = quiz.get("questions")
    if not _is_int(questions) or questions < 1:
        error("quiz.questions は 1 以上の整数にしてください")
    max_attempts = quiz.get("max_attempts", 0)
    if not _is_int(max_attempts) or max_attempts < 0:
        error("quiz.max_attempts は 0 以上の整数にしてください（0 は無制限）")
    pool = _check_pool(quiz.get("pool") or {}, error, settings)
    minimum = _check_minimum(quiz.get("minimum") or {}, error, settings)
    fixed = _check_fixed(quiz.get("fixed") or [], error)
    if problems.error_count > errors_before:
        return None
    return QuizRules(questions, pool, minimum, fixed, max_attempts)


def _check_pool(raw: object, error: Callable[[str], None], settings: ContentSettings) -> dict[str, list[str]]:
    """``quiz.pool``: for each kind, the values a drawn scenario must have one of."""
    if not isinstance(raw, dict):
        error("quiz.pool は perspectives / categories / clauses の一覧で書いてください")
        return {}
    pool: dict[str, list[str]] = {}
    for key, values in raw.items():
        if key not in POOL_KINDS:
            error(f"quiz.pool の不明な項目です: {key}（使えるのは {', '.join(POOL_KINDS)}）")
        elif not isinstance(values, list) or not values:
            error(f"quiz.pool.{key} は値の一覧（[a, b]）で書いてください")
        else:
            allowed = allowed_values(POOL_KINDS[key], settings)
            for value in values:
                if str(value) not in allowed:
                    error(f"quiz.pool.{key} の不明な値です: {value}")
            pool[key] = [str(v) for v in values]
    return pool


def _check_minimum(
    raw: object, error: Callable[[str], None], settings: ContentSettings
) -> dict[str, dict[str, int]]:
    """``quiz.minimum``: for each kind, how many drawn scenarios must have each value."""
    if not isinstance(raw, dict):
        error("quiz.minimum は perspective / category / clause ごとに「値: 件数」で書いてください")
        return {}
    minimum: dict[str, dict[str, int]] = {}
    for kind, counts in raw.items():
        if kind not in MINIMUM_KINDS:
            error(f"quiz.minimum の不明な項目です: {kind}（使えるのは {', '.join(sorted(MINIMUM_KINDS))}）")
        elif not isinstance(counts, dict):
            error(f"quiz.minimum.{kind} は「値: 件数」で書いてください")
        else:
            allowed = allowed_values(kind, settings)
            for value, count in counts.items():
                if str(value) not in allowed:
                    error(f"quiz.minimum.{kind} の不明な値です: {value}")
                elif not _is_int(count) or count < 1:
                    error(f"quiz.minimum.{kind}.{value} は 1 以上の整数にしてください")
            minimum[kind] = {str(v): c for v, c in counts.items()}
    return minimum


def _check_fixed(raw: object, error: Callable[[str], None]) -> list[str]:
    """``quiz.fixed``: scenario ids drawn every time."""
    if not isinstance(raw, list) or not all(isinstance(f, str) for f in raw):
        error("quiz.fixed はシナリオ ID の一覧（[id1, id2]）で書いてください")
        return []
    return list(raw)
