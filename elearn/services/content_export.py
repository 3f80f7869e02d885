"""Everything live written back as a content root (policy/, courses/, quizzes/) that checks clean
and that a sync leaves as it is: how a city moves its published content into version control.

The versions keep rendered HTML, not their Markdown (content.export says how it is rebuilt and what
is normalised). The vocabulary and the organisation's settings are not in the database: the
settings file is the running app's own; the policy text is the latest synced version, as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ..content.export import bank_markdown, course_markdown, lesson_markdown, selfcheck_markdown
from ..content.settings import DEFAULT_ROOT, SETTINGS_FILE, policy_file_of
from ..content.skeleton import TargetNotEmpty
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
from .content_diff import diff_content
from .content_versions import (
    exported_scenario,
    latest_versions,
    stored_course_fields,
    stored_scenario_fields,
    stored_selfcheck_fields,
)

SCENARIO_FOLDER = "quizzes/scenarios"  # one bank file per scenario: a file's history is its scenario's
SELFCHECK_FOLDER = "quizzes/selfchecks"


@dataclass
class ExportReport:
    files: list[Path] = field(default_factory=list)  # relative to the target
    # Items whose rebuilt Markdown would not give the stored version again (Markdown the rebuild
    # cannot spell back): a sync of the export would make a new version of them. Compared at once.
    unfaithful: list[str] = field(default_factory=list)


def export_content(target: Path, content_root: Path) -> ExportReport:
    """Write the live content under ``target``: the files written (relative to it) and what failed
    to round-trip.

    ``content_root`` is the app's own, whose settings file is copied. Refuses (TargetNotEmpty)
    when ``target`` already has any of the three folders: nothing is overwritten.
    """
    files = write_live_content(target, content_root, live_item_files())
    check = diff_content(target, relative_to=target)
    unfaithful = [str(problem) for problem in check.problems]
    unfaithful += [
        f"{change.path}: {label} {change.key}"
        for label, kind in (
            ("scenario", check.scenarios),
            ("course", check.courses),
            ("selfcheck", check.selfchecks),
        )
        for change in kind.changed
    ]
    return ExportReport(files, unfaithful)


def write_live_content(target: Path, content_root: Path, item_files: dict[str, str]) -> list[Path]:
    """The files of ``export_content`` (``item_files``: ``live_item_files()``, made now or kept
    while nothing live changed) without comparing them with what is stored: for a tree that is
    checked and compared anyway (an upload laid over the live content)."""
    taken = [name for name in ("policy", "courses", "quizzes") if (target / name).exists()]
    if taken:
        raise TargetNotEmpty(f"{target} already has {', '.join(taken)}/; nothing was written")
    files = {**_policy_files(content_root), **item_files}
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(Path(relative) for relative in files)


def live_item_files() -> dict[str, str]:
    """The live courses, scenarios and self-checks as files: path relative to the root -> text."""
    return {**_course_files(), **_scenario_files(), **_selfcheck_files()}


def _live(model, version_model) -> list[tuple[str, object]]:
    live = set(db.session.scalars(select(model.key).where(model.retired_at.is_(None))))
    return sorted((key, v) for key, v in latest_versions(model, version_model).items() if key in live)


def _policy_files(content_root: Path) -> dict[str, str]:
    root = content_root if (content_root / SETTINGS_FILE).is_file() else DEFAULT_ROOT
    settings_text = (root / SETTINGS_FILE).read_text(encoding="utf-8")
    name = policy_file_of(settings_text)
    latest = db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1)).first()
    # Never synced: the app's own policy file, which is what a first sync would store.
    policy = latest.source if latest else (root / SETTINGS_FILE).parent.joinpath(name).read_text("utf-8")
    return {SETTINGS_FILE: settings_text, f"policy/{name}": policy}


def _course_files() -> dict[str, str]:
    files = {}
    for key, version in _live(Course, CourseVersion):
        fields = stored_course_fields(version)
        meta = {"id": key} | {
            name: fields[name]
            for name in (
                "title",
                "summary",
                "audience",
                "pass_mark",
                "completion",
                "quiz_after_lessons",
                "review",
            )
        }
        meta["quiz"] = fields["quiz_rules"]
        if fields["draft"]:
            meta["status"] = "draft"
        files[f"courses/{key}/course.md"] = course_markdown(meta, fields["intro_html"])
        for lesson in fields["lessons"]:
            files[f"courses/{key}/{lesson['slug']}.md"] = lesson_markdown(lesson["title"], lesson["html"])
    return files


def _scenario_files() -> dict[str, str]:
    files = {}
    for key, version in _live(Scenario, ScenarioVersion):
        scenario = exported_scenario(key, stored_scenario_fields(version))
        files[f"{SCENARIO_FOLDER}/{key}.md"] = bank_markdown(scenario.title, [scenario])
    return files


def _selfcheck_files() -> dict[str, str]:
    files = {}
    for key, version in _live(SelfCheck, SelfCheckVersion):
        fields = stored_selfcheck_fields(version)
        meta = {"id": key, "title": fields["title"], "summary": fields["summary"], "scale": fields["scale"]}
        files[f"{SELFCHECK_FOLDER}/{key}.md"] = selfcheck_markdown(
            meta, fields["intro_html"], fields["items"], fields["bands"]
        )
    return files
