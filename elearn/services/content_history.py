"""The versions of one scenario, course or self-check: who published each, how two of them differ,
and republishing an older one (rollback) as a new version.

A rollback never touches an old version: attempts keep pointing at exactly what their employee saw.
It writes version latest+1 with the fields of the chosen version, so learners see the old text again
and the trail shows who brought it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..content.export import scenario_markdown
from ..content.loader import draw_rule_error
from ..database import transaction
from ..extensions import db
from ..models import (
    AuditAction,
    Course,
    CourseVersion,
    Employee,
    Lesson,
    Scenario,
    ScenarioChoice,
    ScenarioVersion,
    SelfCheckVersion,
)
from . import audit
from .content_diff import ItemChange, item_change, unified
from .content_versions import (
    KINDS,
    Fields,
    Kind,
    exported_scenario,
    latest_versions,
    lock_publication,
)


@dataclass(frozen=True)
class VersionEntry:
    """One version as the history lists it."""

    number: int
    published_at: datetime
    origin: str  # "files" | "web" | "rollback"
    publisher: str | None  # the employee's name; None: published at the command line
    content_hash: str
    draft: bool
    source_path: str | None
    title: str


@dataclass(frozen=True)
class ItemHistory:
    kind: str
    key: str
    retired: bool
    versions: list[VersionEntry]  # newest first

    @property
    def latest(self) -> VersionEntry:
        return self.versions[0]

    def has(self, number: int) -> bool:
        return any(v.number == number for v in self.versions)


def _kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise LookupError(f"unknown kind of content: {code}") from None


def _record(kind: Kind, key: str):
    return db.session.scalars(select(kind.model).where(kind.model.key == key)).one_or_none()


def _version(kind: Kind, record, number: int):
    model = kind.version_model
    return db.session.scalars(
        select(model).where(getattr(model, kind.parent) == record.id, model.version == number)
    ).one_or_none()


def item_history(kind_code: str, key: str) -> ItemHistory | None:
    """Every version of one item, newest first, with who published it; None for an unknown item."""
    kind = _kind(kind_code)
    record = _record(kind, key)
    if record is None:
        return None
    model = kind.version_model
    rows = db.session.execute(
        select(model, Employee.name)
        .outerjoin(Employee, Employee.id == model.published_by_id)
        .where(getattr(model, kind.parent) == record.id)
        .order_by(model.version.desc())
    )
    versions = [
        VersionEntry(
            number=version.version,
            published_at=version.created_at,
            origin=version.origin,
            publisher=name,
            content_hash=version.content_hash,
            draft=bool(getattr(version, "draft", False)),
            source_path=version.source_path,
            title=version.title,
        )
        for version, name in rows
    ]
    return ItemHistory(kind.code, key, record.retired_at is not None, versions)


@dataclass(frozen=True)
class ItemSummary:
    """An item as the list of histories shows it: its latest version."""

    kind: str
    key: str
    title: str
    latest: int
    draft: bool
    retired: bool


def synced_keys(kind_code: str) -> set[str]:
    """The keys of every synced item of a kind, retired ones included: those that have a history."""
    return set(db.session.scalars(select(_kind(kind_code).model.key)))


def content_items() -> dict[str, list[ItemSummary]]:
    """Every synced item of every kind (retired ones included), by kind, in key order."""
    items: dict[str, list[ItemSummary]] = {}
    for kind in KINDS.values():
        retired = set(db.session.scalars(select(kind.model.key).where(kind.model.retired_at.is_not(None))))
        latest = latest_versions(kind.model, kind.version_model)
        items[kind.code] = [
            ItemSummary(kind.code, key, v.title, v.version, bool(getattr(v, "draft", False)), key in retired)
            for key, v in sorted(latest.items())
        ]
    return items


@dataclass(frozen=True)
class VersionDiff:
    """What changed from version ``old`` to version ``new`` of one item."""

    kind: str
    key: str
    old: int
    new: int
    change: ItemChange

    @property
    def empty(self) -> bool:
        c = self.change
        return not (c.diff or c.settings or c.lessons)


def _sides(old: int, new: int) -> tuple[str, str]:
    return f"v{old}", f"v{new}"


def _change(kind: Kind, key: str, before: Fields, after: Fields, sides: tuple[str, str]) -> ItemChange:
    if kind.code == "scenario":
        diff = unified(
            scenario_markdown(exported_scenario(key, before)),
            scenario_markdown(exported_scenario(key, after)),
            key,
            sides,
        )
        return ItemChange(key, "", diff=diff)
    change = item_change(key, "", before, after, kind.code == "course", sides)
    if kind.code == "course" and before["draft"] != after["draft"]:
        # The files' diff leaves the draft state to the file list; between versions it is a change.
        change.settings.append(f"draft: {before['draft']} → {after['draft']}")
    return change


def version_diff(kind_code: str, key: str, old: int, new: int) -> VersionDiff | None:
    """The diff between two versions of one item (either order); None when one does not exist."""
    kind = _kind(kind_code)
    record = _record(kind, key)
    if record is None:
        return None
    before, after = _version(kind, record, old), _version(kind, record, new)
    if before is None or after is None:
        return None
    change = _change(kind, key, kind.fields(before), kind.fields(after), _sides(old, new))
    return VersionDiff(kind.code, key, old, new, change)


class RollbackRefused(Exception):
    """A rollback that must not happen; the message says why, in Japanese. Nothing was written."""


@dataclass(frozen=True)
class Rollback:
    kind: str
    key: str
    from_version: int
    new_version: int
    content_hash: str


def rollback_refusal(kind_code: str, key: str, to: int) -> str | None:
    """Why version ``to`` may not be republished now, or None when it may; nothing is written."""
    kind = _kind(kind_code)
    try:
        _prepared(kind, key, to)
    except RollbackRefused as refused:
        return str(refused)
    return None


def rollback(actor: audit.Actor, kind_code: str, key: str, to: int) -> Rollback:
    """Republish version ``to`` of an item as a new version, with its audit event, in one transaction."""
    kind = _kind(kind_code)
    try:
        return _republish(actor, kind, key, to)
    except IntegrityError:
        # Another publication took the number between our read and our write (the unique version).
        raise RollbackRefused(
            "同じ時に別の公開がありました。履歴を開き直してから、もう一度戻してください。"
        ) from None


def _republish(actor: audit.Actor, kind: Kind, key: str, to: int) -> Rollback:
    with transaction():
        lock_publication()
        record, old, latest = _prepared(kind, key, to)
        number = latest.version + 1
        db.session.add(_copy(kind, record, old, number, kind.fields(old), actor))
        audit.record(
            actor,
            AuditAction.CONTENT_ROLLBACK,
            f"{kind.label}「{old.title}」（{key}）の第{to}版を第{number}版として公開しました",
            kind=kind.code,
            key=key,
            from_version=to,
            new_version=number,
            digest=old.content_hash,
        )
    return Rollback(kind.code, key, to, number, old.content_hash)


def _prepared(kind: Kind, key: str, to: int):
    """(record, version ``to``, latest version) when ``to`` may be republished; RollbackRefused otherwise."""
    record = _record(kind, key)
    if record is None:
        raise RollbackRefused(f"{kind.label} {key} はありません。")
    old, latest = _checked(kind, record, key, to)
    _check_draw_rules(kind, key, kind.fields(old))
    return record, old, latest


def _checked(kind: Kind, record, key: str, to: int):
    """(version ``to``, the latest version), or RollbackRefused: retired, missing, already current."""
    if record.retired_at is not None:
        # Retirement follows the content (a file removed, a bank replaced): reviving an item behind
        # its files' back would put it into learners' quizzes until the next sync retires it again.
        raise RollbackRefused(
            f"{kind.label} {key} は公開を終えています。戻すには、教材のファイルを公開し直してください。"
        )
    old = _version(kind, record, to)
    if old is None:
        raise RollbackRefused(f"{kind.label} {key} に第{to}版はありません。")
    latest = record.versions[-1]
    if latest.version == to:
        raise RollbackRefused(f"第{to}版は現行の版です。")
    if kind.fields(old) == kind.fields(latest):
        raise RollbackRefused(f"第{to}版は現行の版（第{latest.version}版）と同じ内容です。")
    return old, latest


@dataclass(frozen=True)
class _Drawable:
    id: str
    category: str
    perspective: str
    clauses: list[str]


def _check_draw_rules(kind: Kind, key: str, fields: Fields) -> None:
    """Refuse when the result would leave a live course's quiz rules unsatisfiable that are not now.

    Checked as the loader checks files: every live course, drafts included, against the live bank
    without its drafts (they are never drawn for learners).
    """
    if kind.code == "selfcheck":
        return
    bank = _live_bank()
    rules = _live_rules()
    before = {course: draw_rule_error(rule, list(bank.values())) for course, rule in rules.items()}
    if kind.code == "scenario":
        bank.pop(key, None)
        if not fields["draft"]:
            bank[key] = _Drawable(key, fields["category"], fields["perspective"], list(fields["clauses"]))
    else:
        rules[key] = fields["quiz_rules"]
    for course, rule in sorted(rules.items()):
        error = draw_rule_error(rule, list(bank.values()))
        if error and (course == key or not before.get(course)):
            raise RollbackRefused(f"コース {course} の出題の規則を問題集で満たせなくなります: {error}")


def _live_bank() -> dict[str, _Drawable]:
    retired = set(db.session.scalars(select(Scenario.key).where(Scenario.retired_at.is_not(None))))
    return {
        key: _Drawable(key, v.category, v.perspective, list(v.clauses))
        for key, v in latest_versions(Scenario, ScenarioVersion).items()
        if key not in retired and not v.draft
    }


def _live_rules() -> dict[str, dict[str, Any]]:
    retired = set(db.session.scalars(select(Course.key).where(Course.retired_at.is_not(None))))
    return {
        key: dict(v.quiz_rules)
        for key, v in latest_versions(Course, CourseVersion).items()
        if key not in retired
    }


def _copy(kind: Kind, record, old, number: int, fields: Fields, actor: audit.Actor):
    """Version ``number`` of ``record`` holding ``fields`` (those of ``old``), published as a rollback."""
    columns = {
        "version": number,
        "content_hash": old.content_hash,
        "origin": "rollback",
        "published_by_id": actor.employee_id,
        "source_path": old.source_path,
    }
    if kind.code == "scenario":
        choices = [ScenarioChoice(**choice) for choice in fields.pop("choices")]
        return ScenarioVersion(scenario=record, choices=choices, **columns, **fields)
    if kind.code == "course":
        lessons = [Lesson(position=i, **lesson) for i, lesson in enumerate(fields.pop("lessons"))]
        return CourseVersion(course=record, lessons=lessons, **columns, **fields)
    return SelfCheckVersion(selfcheck=record, **columns, **fields)
