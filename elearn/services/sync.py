"""Load the Markdown content into the database: all or nothing, idempotent, versioned."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select

from ..content import ContentSettings, LoadResult, Policy, Problem, load_tree, policy_data, render_content
from ..content import Course as ParsedCourse
from ..content import Scenario as ParsedScenario
from ..content import SelfCheck as ParsedSelfCheck
from ..content.documents import content_hash
from ..content.problems import display_path
from ..database import transaction, utcnow
from ..extensions import db
from ..models import (
    Course,
    CourseVersion,
    Lesson,
    PolicyVersion,
    Scenario,
    ScenarioChoice,
    ScenarioVersion,
    SelfCheck,
    SelfCheckVersion,
)
from .content_versions import (
    course_fields,
    lock_publication,
    scenario_fields,
    selfcheck_fields,
    stored_course_fields,
    stored_scenario_fields,
    stored_selfcheck_fields,
)


class ContentInvalid(Exception):
    """The content has errors; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} error(s) in content")
        self.problems = problems


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Publication:
    """How the versions a sync writes were published: from the files at the command line (the
    default), or on /author/ by a trainer (``origin`` "web", ``published_by`` their employee id)."""

    root: Path
    origin: str = "files"
    published_by: int | None = None

    def columns(self, item_path: str) -> dict[str, object]:
        """The publication columns of a version parsed from ``item_path`` (as problems name it)."""
        return {
            "origin": self.origin,
            "published_by_id": self.published_by,
            "source_path": display_path(Path(item_path), self.root),
        }


class WebPublishedItems(Exception):
    """A sync from the files would change or retire items last published on /author/; nothing was
    written."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(f"{len(items)} web-published item(s) would be replaced")
        self.items = items


# Versions whose text lives only in the database: a sync of files that lack them must not silently
# undo a trainer's publication (README, content workflow: files and the web).
WEB_ORIGINS = ("web", "rollback")


def load_content(root: Path) -> LoadResult:
    """The content under ``root`` checked as a sync checks it; ContentInvalid on any error."""
    result = load_tree(root)
    if result.problems.errors:
        raise ContentInvalid(result.problems.errors)
    return result


def sync_content(
    root: Path, *, origin: str = "files", published_by: int | None = None, replace_web: bool = True
) -> SyncReport:
    """Bring the database in line with the content under ``root`` in one transaction.

    ``replace_web=False`` (the command line without --force): WebPublishedItems, and nothing
    written, when the sync would change or retire an item whose latest version came from the web.
    """
    result = load_content(root)
    with transaction():
        lock_publication()
        web = {} if replace_web else web_published()
        report = write_content(result, Publication(root, origin, published_by))
        replaced = [label for label in (*report.updated, *report.retired) if label in web]
        if replaced:
            raise WebPublishedItems(replaced)  # the transaction rolls back everything written
    return report


def write_content(result: LoadResult, publication: Publication) -> SyncReport:
    """Write what ``result`` (checked, without errors) changes into the caller's transaction."""
    report = SyncReport(warnings=result.problems.warnings)
    policy = result.settings.policy
    # First: a course or scenario version synced with it is never older than its policy version.
    _sync_policy(result.settings, report)
    _sync_scenarios(result.content.scenarios, report, policy, publication)
    _sync_courses(result.content.courses, report, policy, publication)
    _sync_selfchecks(result.content.selfchecks, report, policy, publication)
    db.session.flush()
    return report


def web_published() -> dict[str, str]:
    """ "scenario KEY" (as a SyncReport names items) -> origin, for live items whose latest version
    was published on /author/."""
    found = {}
    for model, version_model in (
        (Scenario, ScenarioVersion),
        (Course, CourseVersion),
        (SelfCheck, SelfCheckVersion),
    ):
        label = model.__tablename__.rstrip("s")
        for record, origin in _latest_origins(model, version_model):
            if origin in WEB_ORIGINS and record.retired_at is None:
                found[f"{label} {record.key}"] = origin
    return found


def _latest_origins(model, version_model):
    rows = db.session.execute(
        select(model, version_model.origin).join(version_model).order_by(version_model.version)
    )
    return {record: origin for record, origin in rows}.items()


def _sync_policy(settings: ContentSettings, report: SyncReport) -> None:
    """A new policy version when its text changed since the latest one."""
    digest = content_hash({"policy": settings.policy_source})
    latest = db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1)).first()
    if latest is not None and latest.content_hash == digest:
        report.unchanged += 1
        return
    number = latest.version + 1 if latest else 1
    db.session.add(
        PolicyVersion(
            version=number,
            content_hash=digest,
            title=settings.policy_title[:300],
            source=settings.policy_source,
            parsed=policy_data(settings.policy),
            synced_at=utcnow(),
        )
    )
    (report.updated if latest else report.added).append(f"policy version {number}")


class _Lazy:
    """A value computed once, when first asked for."""

    def __init__(self, compute) -> None:
        self._compute = compute
        self._done = False
        self._value = None

    def __call__(self):
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value


def _latest_versions(model, version_model) -> dict[str, tuple[object, str, int]]:
    """key -> (record, hash of its latest version, latest version number)."""
    rows = db.session.execute(
        select(model, version_model.content_hash, version_model.version)
        .join(version_model)
        .order_by(version_model.version)
    )
    return {record.key: (record, digest, number) for record, digest, number in rows}


def _next_version(model, key: str, digest: str, existing: dict, report: SyncReport, same=None):
    """(record, version number) when a new version must be written; None when unchanged.

    ``same(latest version)`` says whether a text whose hash differs still gives the very version
    learners have (an exported file synced back, a paragraph re-wrapped): then nothing is written.
    """
    label = model.__tablename__.rstrip("s")
    if key not in existing:
        # Not flushed one by one: the next flush inserts every new record in one batch.
        record = model(key=key)
        db.session.add(record)
        report.added.append(f"{label} {key}")
        return record, 1
    record, latest_hash, latest_number = existing[key]
    revived = record.retired_at is not None
    record.retired_at = None
    if latest_hash != digest and not (same is not None and same(record.versions[-1])):
        report.updated.append(f"{label} {key}")
        return record, latest_number + 1
    if revived:
        report.updated.append(f"{label} {key}")
    else:
        report.unchanged += 1
    return None


def _retire(existing: dict, seen: set[str], label: str, report: SyncReport) -> None:
    now = utcnow()
    for key, (record, _hash, _number) in existing.items():
        if key not in seen and record.retired_at is None:
            record.retired_at = now
            report.retired.append(f"{label} {key}")


def _sync_scenarios(
    parsed: list[ParsedScenario], report: SyncReport, policy: Policy, publication: Publication
) -> None:
    existing = _latest_versions(Scenario, ScenarioVersion)
    pending = []
    for item in parsed:
        digest = item.hash()
        fields = _Lazy(lambda item=item: scenario_fields(item, policy))
        new = _next_version(
            Scenario, item.id, digest, existing, report, lambda v, f=fields: stored_scenario_fields(v) == f()
        )
        if new is not None:
            pending.append((*new, fields() | publication.columns(item.path), digest))
    _retire(existing, {s.id for s in parsed}, "scenario", report)
    if not pending:
        return
    # A bank has hundreds of scenarios and each has several choices: insert them in bulk
    # (a few multi-row statements) rather than through the unit of work, object by object.
    db.session.flush()
    version_ids = db.session.scalars(
        insert(ScenarioVersion).returning(ScenarioVersion.id, sort_by_parameter_order=True),
        [
            {
                "scenario_id": record.id,
                "version": number,
                "content_hash": digest,
                **{name: value for name, value in fields.items() if name != "choices"},
            }
            for record, number, fields, digest in pending
        ],
    ).all()
    db.session.execute(
        insert(ScenarioChoice),
        [
            {"scenario_version_id": version_id, **choice}
            for version_id, (_record, _number, fields, _digest) in zip(version_ids, pending, strict=True)
            for choice in fields["choices"]
        ],
    )


def _sync_courses(
    parsed: list[ParsedCourse], report: SyncReport, policy: Policy, publication: Publication
) -> None:
    existing = _latest_versions(Course, CourseVersion)
    for item in parsed:
        digest = item.hash()
        new = _next_version(
            Course,
            item.id,
            digest,
            existing,
            report,
            lambda v, i=item: stored_course_fields(v) == course_fields(i, policy),
        )
        if new is None:
            continue
        record, number = new
        version = CourseVersion(
            course=record,
            version=number,
            content_hash=digest,
            title=item.title,
            summary=item.summary,
            audience=item.audience,
            pass_mark=item.pass_mark,
            quiz_rules=item.quiz.as_dict(),
            completion=item.completion,
            quiz_after_lessons=item.quiz_after_lessons,
            review=item.review,
            draft=item.draft,
            intro_html=render_content(item.intro, policy),
            **publication.columns(item.path),
        )
        version.lessons = [
            Lesson(position=i, slug=lesson.slug, title=lesson.title, html=render_content(lesson.body, policy))
            for i, lesson in enumerate(item.lessons)
        ]
        db.session.add(version)
    _retire(existing, {c.id for c in parsed}, "course", report)


def _sync_selfchecks(
    parsed: list[ParsedSelfCheck], report: SyncReport, policy: Policy, publication: Publication
) -> None:
    existing = _latest_versions(SelfCheck, SelfCheckVersion)
    for item in parsed:
        digest = item.hash()
        new = _next_version(
            SelfCheck,
            item.id,
            digest,
            existing,
            report,
            lambda v, i=item: stored_selfcheck_fields(v) == selfcheck_fields(i, policy),
        )
        if new is None:
            continue
        record, number = new
        db.session.add(
            SelfCheckVersion(
                selfcheck=record,
                version=number,
                content_hash=digest,
                title=item.title,
                summary=item.summary,
                intro_html=render_content(item.intro, policy),
                scale=list(item.scale),
                items=[[item_id, text] for item_id, text in item.items],
                bands=[
                    {"low": b.low, "high": b.high, "html": render_content(b.text, policy)} for b in item.bands
                ],
                **publication.columns(item.path),
            )
        )
    _retire(existing, {s.id for s in parsed}, "selfcheck", report)
