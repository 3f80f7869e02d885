"""Load a content tree (courses/, quizzes/ and policy/) and check it as a whole."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .courses import COURSE_FILE, parse_course, read_text
from .cues import answer_cues, check_answer_cues
from .documents import ContentSet
from .draw import Drawable, DrawError, draw
from .frontmatter import split_front_matter
from .problems import Problems, display_path
from .scenarios import parse_scenario_bank
from .selfcheck import parse_selfcheck
from .settings import (
    SETTINGS_FILE,
    ContentSettings,
    SettingsInvalid,
    default_settings,
    find_root,
    settings_of,
)
from .skeleton import check_placeholders

# The draw is random; a rule is accepted only if every one of these seeded draws succeeds.
FEASIBILITY_SEEDS = 20


@dataclass
class LoadResult:
    content: ContentSet = field(default_factory=ContentSet)
    problems: Problems = field(default_factory=Problems)
    files: set[str] = field(default_factory=set)
    settings: ContentSettings | None = None  # None when the settings or the policy could not be read

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def _course_folder(path: Path) -> Path | None:
    folder = path if path.is_dir() else path.parent
    return folder if (folder / COURSE_FILE).is_file() else None


def _collect(paths: Iterable[Path]) -> tuple[set[Path], set[Path], list[Path]]:
    """Sort the given paths into course folders, other Markdown files, and missing paths."""
    courses: set[Path] = set()
    files: set[Path] = set()
    missing: list[Path] = []
    for path in paths:
        if not path.exists():
            missing.append(path)
        elif path.is_dir():
            for found in sorted(path.rglob("*.md")):
                if folder := _course_folder(found):
                    courses.add(folder)
                else:
                    files.add(found)
        elif folder := _course_folder(path):
            courses.add(folder)
        else:
            files.add(path)
    return courses, files, missing


def read_settings(root: Path, problems: Problems, relative_to: Path | None = None) -> ContentSettings | None:
    """The settings of ``root``, their problems added to ``problems``; None when they cannot be used."""
    try:
        settings = settings_of(root, relative_to=relative_to)
    except SettingsInvalid as exc:
        problems.extend(exc.problems)
        return None
    problems.extend(settings.notes)
    return settings


def load(
    paths: Iterable[Path], settings: ContentSettings | None = None, *, relative_to: Path | None = None
) -> LoadResult:
    """Parse every course folder and content file under ``paths``.

    ``settings`` are those of the content root (default: of the root found above ``paths``).
    Problems name files relative to ``relative_to`` (default: the working directory).
    """
    paths = list(paths)
    result = LoadResult()
    if settings is None:
        settings = read_settings(find_root(paths), result.problems, relative_to)
    result.settings = settings
    if settings is None:
        # Without the policy and its vocabulary no reference or classification can be checked.
        return result
    courses, files, missing = _collect(paths)
    for path in missing:
        result.problems.error(display_path(path, relative_to), 1, "ファイルまたはフォルダがありません")
    for folder in sorted(courses):
        shown = display_path(folder, relative_to)
        result.files.add(shown)
        for path in sorted(folder.glob("*.md")):
            _check_placeholders_in(path, f"{shown}/{path.name}", result)
        course = parse_course(folder, shown, result.problems, settings)
        if course is not None:
            result.content.courses.append(course)
    for path in sorted(files):
        shown = display_path(path, relative_to)
        result.files.add(shown)
        if path.parent.name == "courses" or path.parent.parent.name == "courses":
            result.problems.error(shown, 1, f"コースのフォルダに {COURSE_FILE} がありません")
            continue
        text = read_text(path, shown, result.problems)
        if text is not None:
            check_placeholders(shown, text, result.problems)
            _load_document(shown, text, result, settings)
    _check_unique(result)
    check_answer_cues(result.content.scenarios, result.problems)
    return result


def _check_placeholders_in(path: Path, shown: str, result: LoadResult) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):  # the course parser reports the file it cannot read
        return
    check_placeholders(shown, text, result.problems)


def load_text(text: str, path: str, settings: ContentSettings | None = None) -> LoadResult:
    """Check the text of one scenario bank or self-check file, shown as ``path``; nothing is read.

    The same rules as for files on disk, except those that need the rest of the tree
    (IDs are unique within the text only).
    """
    settings = settings or default_settings()
    result = LoadResult(files={path}, settings=settings)
    _load_document(path, text, result, settings)
    _check_unique(result)
    check_answer_cues(result.content.scenarios, result.problems)
    result.problems.sort()
    return result


def _load_document(shown: str, text: str, result: LoadResult, settings: ContentSettings) -> None:
    doc = split_front_matter(shown, text, result.problems)
    if doc is None:
        return
    kind = doc.meta.get("kind")
    if kind == "scenarios":
        result.content.scenarios.extend(parse_scenario_bank(doc, result.problems, settings))
    elif kind == "self-check":
        selfcheck = parse_selfcheck(doc, result.problems, settings)
        if selfcheck is not None:
            result.content.selfchecks.append(selfcheck)
    else:
        result.problems.error(
            shown, doc.line_of("kind"), "kind は scenarios または self-check にしてください"
        )


def _check_unique(result: LoadResult) -> None:
    for label, items in (
        ("シナリオ ID", result.content.scenarios),
        ("コース id", result.content.courses),
        ("セルフチェック id", result.content.selfchecks),
    ):
        first: dict[str, str] = {}
        for item in items:
            if item.id in first:
                line = getattr(item, "line", 1) or 1
                result.problems.error(
                    item.path, line, f"{label} {item.id} が重複しています（最初は {first[item.id]}）"
                )
            else:
                first[item.id] = f"{item.path}:{getattr(item, 'line', 1) or 1}"


def draw_rule_error(rules: Mapping, bank: Sequence[Drawable]) -> str | None:
    """Why quiz ``rules`` (as ``QuizRules.as_dict()`` gives them) cannot always be drawn from ``bank``,
    or None when every seeded draw succeeds."""
    for seed in range(FEASIBILITY_SEEDS):
        try:
            draw(
                rules["questions"], rules["pool"], rules["minimum"], rules["fixed"], bank, random.Random(seed)
            )
        except DrawError as exc:
            return str(exc)
    return None


def check_draw_rules(result: LoadResult) -> None:
    """Every course's quiz rules must be satisfiable by the loaded bank, every time.

    Only by its published scenarios: drafts are never drawn for learners, so a rule that only a draft
    makes satisfiable would fail the first learner.
    """
    bank = [scenario for scenario in result.content.scenarios if not scenario.draft]
    for course in result.content.courses:
        error = draw_rule_error(course.quiz.as_dict(), bank)
        if error:
            result.problems.error(course.path, course.quiz_line, f"出題の規則を問題集で満たせません: {error}")


def load_tree(
    root: Path, settings: ContentSettings | None = None, *, relative_to: Path | None = None
) -> LoadResult:
    """Load and check ``courses/`` and ``quizzes/`` under ``root`` with its settings, draw rules included."""
    problems = Problems()
    settings = settings or read_settings(root, problems, relative_to)
    if settings is None:
        return LoadResult(problems=problems)
    result = load([root / "courses", root / "quizzes"], settings, relative_to=relative_to)
    result.problems[:0] = problems
    check_draw_rules(result)
    return result


def check(paths: list[Path], root: Path) -> LoadResult:
    """Check ``paths`` against the settings of their content root (``root`` when none is above them).

    Courses checked without a bank use the one under that root for their rules.
    """
    paths = _content_folders(paths)
    root = find_root(paths, default=root)
    problems = Problems()
    settings = read_settings(root, problems)
    if settings is None:
        problems.sort()
        return LoadResult(problems=problems)
    result = load(paths, settings)
    result.problems.extend(problems)
    if (root / SETTINGS_FILE).is_file():
        result.files.update(settings.files)
    if result.content.courses and not result.content.scenarios:
        context = load([root / "quizzes"], settings)
        result.content.scenarios.extend(context.content.scenarios)
    check_draw_rules(result)
    result.problems.sort()
    return result


def _content_folders(paths: list[Path]) -> list[Path]:
    """A content root given (``content check examples/minamino``) stands for its courses and banks."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and (path / SETTINGS_FILE).is_file():
            found += [folder for folder in (path / "courses", path / "quizzes") if folder.is_dir()]
        else:
            found.append(path)
    return found


def stats(content: ContentSet, settings: ContentSettings | None = None) -> dict:
    """How the bank covers the vocabulary and the policy of ``settings`` (default: the shipped ones)."""
    settings = settings or default_settings()
    scenarios = content.scenarios

    def counts(values: Iterable[str], order: Iterable[str]) -> dict[str, int]:
        counter = Counter(values)
        return {key: counter.get(key, 0) for key in order} | dict(counter)

    return {
        "scenarios": len(scenarios),
        "drafts": sum(s.draft for s in scenarios),  # counted above too; never drawn for learners
        "by_category": counts((s.category for s in scenarios), settings.categories),
        "by_perspective": counts((s.perspective for s in scenarios), settings.perspectives),
        "by_clause": counts((c for s in scenarios for c in s.clauses), settings.clause_ids()),
        "by_difficulty": counts((s.difficulty for s in scenarios), settings.difficulties),
        "by_setting": dict(Counter(s.setting for s in scenarios)),
        "answer_cues": answer_cues(scenarios).as_dict(),
        "coverage_gaps": coverage_gaps(content, settings),
    }


def coverage_gaps(content: ContentSet, settings: ContentSettings) -> dict[str, dict[str, int]]:
    """What falls short of the settings' coverage: behaviours (categories with a clause) with fewer
    scenarios, and clauses cited by fewer scenarios, than ``coverage`` asks; with their counts."""
    by_category = Counter(s.category for s in content.scenarios)
    by_clause = Counter(c for s in content.scenarios for c in s.clauses)
    wanted = settings.coverage
    return {
        "categories": {
            name: by_category[name]
            for name, clause in settings.categories.items()
            if clause is not None and by_category[name] < wanted.scenarios_per_category
        },
        "clauses": {
            clause: by_clause[clause]
            for clause in settings.clause_ids()
            if by_clause[clause] < wanted.citations_per_clause
        },
    }
