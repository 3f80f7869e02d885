"""What a sync of the files on disk would change against what is live in the database.

Nothing is written. Items compare as a sync compares them (content_versions): an equal hash, or
equal rendered fields, is unchanged. Changed text is shown as a unified diff of the Markdown both
sides are rebuilt into (content.export), so that a diff shows what learners would see change and
never how the Markdown happens to be spelled.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ..content import ContentSettings, Problem, load
from ..content import Scenario as ParsedScenario
from ..content.documents import content_hash
from ..content.export import lesson_markdown, scenario_markdown
from ..content.loader import draw_rule_error, read_settings
from ..content.problems import Problems
from ..extensions import db
from ..models import (
    Course,
    CourseVersion,
    PolicyVersion,
    Scenario,
    ScenarioVersion,
    SelfCheck,
    SelfCheckVersion,
)
from .content_versions import (
    Fields,
    course_fields,
    exported_scenario,
    latest_versions,
    scenario_fields,
    selfcheck_fields,
    stored_course_fields,
    stored_scenario_fields,
    stored_selfcheck_fields,
)

LIVE, CHANGED, NEW = "live", "changed", "new"  # a file's state: 公開中 / 未公開の変更あり / 新規
_COURSE_SETTINGS = (
    "title",
    "summary",
    "audience",
    "pass_mark",
    "quiz_rules",
    "completion",
    "quiz_after_lessons",
    "review",
    "draft",  # status: draft, e.g. from the 下書き box of an upload
)


@dataclass
class ItemChange:
    """One changed scenario, course or self-check: what differs, as text."""

    key: str
    path: str
    diff: str = ""  # unified diff of the Markdown (scenario, course introduction)
    settings: list[str] = field(default_factory=list)  # "pass_mark: 80 → 70"
    lessons: list[str] = field(default_factory=list)  # "added 03-new", "changed 02-soudan", ...
    lesson_diffs: dict[str, str] = field(default_factory=dict)


@dataclass
class KindDiff:
    added: list[str] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired)


@dataclass
class ContentDiff:
    scenarios: KindDiff = field(default_factory=KindDiff)
    courses: KindDiff = field(default_factory=KindDiff)
    selfchecks: KindDiff = field(default_factory=KindDiff)
    policy_changed: bool = False
    unsatisfiable: list[str] = field(default_factory=list)  # "kanri: <why>"
    files: dict[str, str] = field(default_factory=dict)  # path -> LIVE / CHANGED / NEW
    problems: list[Problem] = field(default_factory=list)  # errors: a sync would refuse
    whole_tree: bool = True  # retirements are known only when the whole tree is compared

    @property
    def empty(self) -> bool:
        kinds = (self.scenarios, self.courses, self.selfchecks)
        return all(k.empty for k in kinds) and not self.policy_changed and not self.unsatisfiable


def diff_content(root: Path, paths: Iterable[Path] = (), *, relative_to: Path | None = None) -> ContentDiff:
    """Compare the content under ``root`` (or only ``paths``) with the latest synced versions."""
    paths = list(paths)
    problems = Problems()
    settings = read_settings(root, problems, relative_to)
    result = ContentDiff(whole_tree=not paths)
    if settings is None:
        result.problems = problems.errors
        return result
    loaded = load(paths or [root / "courses", root / "quizzes"], settings, relative_to=relative_to)
    result.problems = [*problems.errors, *loaded.problems.errors]
    if result.whole_tree:
        result.policy_changed = _policy_changed(settings)
    statuses: dict[str, list[str]] = {}
    _compare_scenarios(loaded.content.scenarios, settings, result, statuses)
    _compare(loaded.content.courses, Course, CourseVersion, settings, result.courses, result, statuses)
    _compare(
        loaded.content.selfchecks, SelfCheck, SelfCheckVersion, settings, result.selfchecks, result, statuses
    )
    result.files = {path: _file_state(states) for path, states in sorted(statuses.items())}
    _check_rules(loaded.content, result)
    return result


def _file_state(states: list[str]) -> str:
    if all(s == NEW for s in states):
        return NEW
    return LIVE if all(s == LIVE for s in states) else CHANGED


def _policy_changed(settings: ContentSettings) -> bool:
    latest = db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1)).first()
    return latest is None or latest.content_hash != content_hash({"policy": settings.policy_source})


def _live_keys(model) -> set[str]:
    return set(db.session.scalars(select(model.key).where(model.retired_at.is_(None))))


def _state(item, latest, fields_of, stored_of, policy) -> tuple[str, Fields | None, Fields | None]:
    """LIVE / CHANGED / NEW of one parsed item, with both sides' fields when it changed."""
    if latest is None:
        return NEW, None, None
    if latest.content_hash == item.hash():
        return LIVE, None, None
    mine, theirs = fields_of(item, policy), stored_of(latest)
    return (LIVE, None, None) if mine == theirs else (CHANGED, mine, theirs)


def _compare_scenarios(parsed: list[ParsedScenario], settings, result: ContentDiff, statuses) -> None:
    latest = latest_versions(Scenario, ScenarioVersion)
    live = _live_keys(Scenario)
    for item in parsed:
        state, mine, theirs = _state(
            item, latest.get(item.id), scenario_fields, stored_scenario_fields, settings.policy
        )
        if state == LIVE and item.id not in live:
            state = CHANGED  # retired: a sync brings it back
        statuses.setdefault(item.path, []).append(state)
        if state == NEW:
            result.scenarios.added.append(item.id)
        elif state == CHANGED:
            mine = mine or scenario_fields(item, settings.policy)
            theirs = theirs or stored_scenario_fields(latest[item.id])
            before = scenario_markdown(exported_scenario(item.id, theirs))
            after = scenario_markdown(exported_scenario(item.id, mine))
            result.scenarios.changed.append(
                ItemChange(item.id, item.path, diff=unified(before, after, item.id))
            )
    if result.whole_tree:
        result.scenarios.retired = sorted(live - {s.id for s in parsed})


def _compare(parsed, model, version_model, settings, kind: KindDiff, result: ContentDiff, statuses) -> None:
    is_course = model is Course
    fields_of = course_fields if is_course else selfcheck_fields
    stored_of = stored_course_fields if is_course else stored_selfcheck_fields
    latest = latest_versions(model, version_model)
    live = _live_keys(model)
    for item in parsed:
        state, mine, theirs = _state(item, latest.get(item.id), fields_of, stored_of, settings.policy)
        if state == LIVE and item.id not in live:
            state = CHANGED
        statuses.setdefault(item.path, []).append(state)
        if is_course:
            _lesson_states(item, state, theirs, mine, statuses)
        if state == NEW:
            kind.added.append(item.id)
        elif state == CHANGED:
            mine = mine or fields_of(item, settings.policy)
            theirs = theirs or stored_of(latest[item.id])
            kind.changed.append(item_change(item.id, item.path, theirs, mine, is_course))
    if result.whole_tree:
        kind.retired = sorted(live - {c.id for c in parsed})


def _lesson_states(course, state: str, before: Fields | None, after: Fields | None, statuses) -> None:
    """Each lesson file's own state: a changed course may leave most of its lessons as they are."""
    old = {le["slug"]: le for le in before["lessons"]} if before else {}
    new = {le["slug"]: le for le in after["lessons"]} if after else {}
    for lesson in course.lessons:
        if state != CHANGED or not after:
            lesson_state = state
        elif lesson.slug not in old:
            lesson_state = NEW
        else:
            lesson_state = LIVE if old[lesson.slug] == new.get(lesson.slug) else CHANGED
        statuses.setdefault(lesson.path, []).append(lesson_state)


def item_change(
    key: str,
    path: str,
    before: Fields,
    after: Fields,
    is_course: bool,
    sides: tuple[str, str] = ("live", "disk"),
) -> ItemChange:
    """How a course or self-check changed from ``before`` to ``after``; ``sides`` name them in the diffs."""
    change = ItemChange(key, path)
    names = _COURSE_SETTINGS if is_course else ("title", "summary", "scale", "items", "bands")
    change.settings = [f"{n}: {before[n]} → {after[n]}" for n in names if before[n] != after[n]]
    if before["intro_html"] != after["intro_html"]:
        change.diff = unified(
            lesson_markdown("", before["intro_html"]),
            lesson_markdown("", after["intro_html"]),
            "intro",
            sides,
        )
    if is_course:
        _lesson_changes(change, before["lessons"], after["lessons"], sides)
    return change


def _lesson_changes(
    change: ItemChange, before: list[Fields], after: list[Fields], sides: tuple[str, str]
) -> None:
    old = {le["slug"]: le for le in before}
    new = {le["slug"]: le for le in after}
    change.lessons += [f"added {slug}" for slug in new if slug not in old]
    change.lessons += [f"removed {slug}" for slug in old if slug not in new]
    for slug in new.keys() & old.keys():
        if new[slug] != old[slug]:
            change.lessons.append(f"changed {slug}")
            was, now = old[slug], new[slug]
            change.lesson_diffs[slug] = unified(
                lesson_markdown(was["title"], was["html"]),
                lesson_markdown(now["title"], now["html"]),
                slug,
                sides,
            )
    if [le["slug"] for le in before if le["slug"] in new] != [
        le["slug"] for le in after if le["slug"] in old
    ]:
        change.lessons.append("reordered")
    change.lessons.sort()


def unified(before: str, after: str, name: str, sides: tuple[str, str] = ("live", "disk")) -> str:
    """A unified diff of two Markdown texts of ``name``, its sides headed ``live/name`` and ``disk/name``."""
    old, new = sides
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"{old}/{name}", f"{new}/{name}", lineterm=""
    )
    return "\n".join(lines)


@dataclass
class _Drawable:
    id: str
    category: str
    perspective: str
    clauses: list[str]


def _check_rules(content, result: ContentDiff) -> None:
    """Quiz rules that the bank after the sync could not satisfy: the courses of the files and the
    live ones they leave alone, against the live bank with the files' scenarios in it (and, for
    a whole tree, without the retired ones)."""
    bank: dict[str, _Drawable] = {}
    if not result.whole_tree:
        live = _live_keys(Scenario)
        for key, version in latest_versions(Scenario, ScenarioVersion).items():
            if key in live:
                bank[key] = _Drawable(key, version.category, version.perspective, list(version.clauses))
    for s in content.scenarios:
        bank[s.id] = _Drawable(s.id, s.category, s.perspective, list(s.clauses))
    rules = {c.id: c.quiz.as_dict() for c in content.courses}
    if not result.whole_tree:
        live_courses = _live_keys(Course)
        for key, version in latest_versions(Course, CourseVersion).items():
            if key in live_courses:
                rules.setdefault(key, dict(version.quiz_rules))
    scenarios = list(bank.values())
    for key, rule in sorted(rules.items()):
        error = draw_rule_error(rule, scenarios)
        if error:
            result.unsatisfiable.append(f"{key}: {error}")
