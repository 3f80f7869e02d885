"""Content uploaded on /author/: kept in the database, checked and compared in a tree of the live
content with the upload laid over it, published in one transaction with its audit event.

The tree is a temporary directory (under the app's instance folder, removed afterwards) holding
``write_live_content()``: what is live, minus the files of what the upload redefines, plus the
upload: so the check sees the upload among everything learners have now, exactly as
``elearn content check`` sees a content root, and a publish is a sync of that tree.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..content import COURSE_FILE, LoadResult, Problem, Severity, load_tree, scenario_sources
from ..database import transaction, utcnow
from ..extensions import db
from ..models import (
    AuditAction,
    ContentUpload,
    PolicyVersion,
)
from .audit import Actor, record
from .content_diff import ContentDiff, diff_content
from .content_export import SCENARIO_FOLDER, SELFCHECK_FOLDER, live_item_files, write_live_content
from .content_upload_files import ReceivedFiles
from .content_versions import KINDS, latest_versions, lock_publication
from .sync import Publication, SyncReport, write_content

PENDING, PUBLISHED, DISCARDED = "pending", "published", "discarded"
_SCENARIO_STATE = re.compile(r"^- 状態\s*[:：]")
_SCENARIO_ID = re.compile(r"^- ID\s*[:：]")


class UploadNotPending(Exception):
    """The upload was published or discarded already."""


class UploadHasErrors(Exception):
    """The upload's tree has errors: it cannot be published."""


class LiveChanged(Exception):
    """What is live changed since the comparison was shown (another publish, a sync from files)."""


def store_upload(actor: Actor, filename: str, received: ReceivedFiles, draft: bool) -> ContentUpload:
    """Keep the upload's files until they are published or discarded; nothing goes live."""
    with transaction():
        upload = ContentUpload(
            uploaded_by_id=actor.employee_id, filename=filename[:255], files=received.files, draft=draft
        )
        db.session.add(upload)
    return upload


def pending_uploads() -> list[ContentUpload]:
    return list(
        db.session.scalars(
            select(ContentUpload).where(ContentUpload.status == PENDING).order_by(ContentUpload.id.desc())
        )
    )


def live_fingerprint() -> str:
    """A digest of which version of every item is live (and of the policy): any publish or sync
    that changes what learners see changes it."""
    parts = []
    for kind in KINDS.values():
        retired = dict(db.session.execute(select(kind.model.key, kind.model.retired_at)).all())
        for key, v in sorted(latest_versions(kind.model, kind.version_model).items()):
            # The id and hash too: a number alone could name other content after a restore.
            is_retired = retired.get(key) is not None
            parts.append(f"{kind.code} {key} {v.version} {v.id} {v.content_hash} {is_retired}")
    policy = db.session.execute(
        select(PolicyVersion.id, PolicyVersion.content_hash).order_by(PolicyVersion.version.desc()).limit(1)
    ).first()
    parts.append(f"policy {tuple(policy) if policy else None}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _live_item_files() -> dict[str, str]:
    """``live_item_files()``, made again only when what is live changed: every page of an upload
    lays it over the live content, and making these files is most of such a page's work."""
    fingerprint = live_fingerprint()
    kept = current_app.extensions.get("elearn.live_item_files")
    if kept is None or kept[0] != fingerprint:
        kept = current_app.extensions["elearn.live_item_files"] = (fingerprint, live_item_files())
    return kept[1]


# --- the tree an upload is checked in -----------------------------------------------------------


@dataclass
class DraftMarks:
    """Lines the 下書き checkbox inserted into each file: to give messages the trainer's line numbers."""

    inserted: dict[str, list[int]] = field(default_factory=dict)  # path -> inserted line numbers

    def original(self, problem: Problem) -> Problem:
        lines = self.inserted.get(problem.path)
        if not lines:
            return problem
        return replace(problem, line=max(1, problem.line - sum(line < problem.line for line in lines)))


@dataclass
class UploadCheck:
    """An upload checked among the live content: its messages, what it would change, and the
    fingerprint of the live state it was compared with."""

    upload: ContentUpload
    problems: list[Problem]
    diff: ContentDiff
    fingerprint: str
    root: Path  # valid only inside ``checked_upload``

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def uploaded_problems(self) -> dict[str, list[Problem]]:
        """Messages by uploaded file (every file listed, with or without messages)."""
        found: dict[str, list[Problem]] = {path: [] for path in sorted(self.upload.files)}
        for problem in self.problems:
            if problem.path in found:
                found[problem.path].append(problem)
        return found

    @property
    def other_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.path not in self.upload.files]


@contextmanager
def upload_tree(
    upload: ContentUpload, content_root: Path, work_dir: Path
) -> Iterator[tuple[Path, DraftMarks]]:
    """The live content with ``upload`` laid over it, in a temporary directory under ``work_dir``."""
    work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="upload-", dir=work_dir) as directory:
        root = Path(directory)
        write_live_content(root, content_root, _live_item_files())
        marks = _overlay(root, upload.files, upload.draft)
        yield root, marks


def _overlay(root: Path, files: dict[str, str], draft: bool) -> DraftMarks:
    for folder in _whole_course_folders(files):
        shutil.rmtree(root / folder, ignore_errors=True)
    marks = DraftMarks()
    for relative, text in files.items():
        if draft:
            text, marks.inserted[relative] = _marked_draft(relative, text)
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    first = load_tree(root, relative_to=root)
    for path in _superseded(first, set(files)):
        target = root / path
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    return marks


def _whole_course_folders(files: dict[str, str]) -> set[str]:
    """Course folders the upload gives whole (course.md and lessons): lessons it leaves out go."""
    folders = {str(Path(path).parent) for path in files if path.startswith("courses/")}
    return {
        folder
        for folder in folders
        if f"{folder}/{COURSE_FILE}" in files
        and any(p.startswith(f"{folder}/") and not p.endswith(f"/{COURSE_FILE}") for p in files)
    }


def _exported_path(label: str, key: str) -> str:
    return {
        "scenario": f"{SCENARIO_FOLDER}/{key}.md",
        "course": f"courses/{key}",
        "selfcheck": f"{SELFCHECK_FOLDER}/{key}.md",
    }[label]


def _superseded(loaded: LoadResult, uploaded: set[str]) -> set[str]:
    """Exported files the upload replaces: those of items it defines again, and those of items whose
    latest version came from a file it replaces (so a bank uploaded again retires what it dropped)."""
    content = loaded.content
    items = {"scenario": content.scenarios, "course": content.courses, "selfcheck": content.selfchecks}
    defined = {(label, item.id) for label, found in items.items() for item in found if item.path in uploaded}
    stale = set()
    for kind in KINDS.values():
        for key, version in latest_versions(kind.model, kind.version_model).items():
            if version.source_path in uploaded and (kind.code, key) not in defined:
                stale.add((kind.code, key))
    # Never the upload's own files, nor a course folder it writes into: that folder is the upload's now.
    return (
        {_exported_path(label, key) for label, key in defined | stale}
        - uploaded
        - {str(Path(p).parent) for p in uploaded}
    )


def _marked_draft(path: str, text: str) -> tuple[str, list[int]]:
    """``text`` with the course or every scenario marked 下書き; the numbers of the lines inserted."""
    lines = text.split("\n")
    if path.endswith(f"/{COURSE_FILE}"):
        inserted = _mark_course(lines)
    elif path.startswith("quizzes/"):
        inserted = _mark_scenarios(lines, scenario_sources(text))
    else:  # a lesson: its course says whether it is a draft
        inserted = []
    return "\n".join(lines), inserted


def _mark_course(lines: list[str]) -> list[int]:
    """``status: draft`` in the front matter (replacing a status written there)."""
    if not lines or lines[0].strip() != "---":
        return []  # no front matter: the checker's message says so, at the line the trainer wrote
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return []
    status = next((i for i in range(1, end) if lines[i].startswith("status:")), None)
    if status is not None:
        lines[status] = "status: draft"
        return []
    lines.insert(1, "status: draft")
    return [2]


def _mark_scenarios(lines: list[str], sources) -> list[int]:
    """``- 状態: 下書き`` in every scenario's settings: replacing its 状態, or after its ID."""
    inserted = []
    for source in reversed(sources):  # bottom-up: the line numbers above stay as parsed
        numbers = [line.number for line in source.lines]
        state = next((n for n in numbers if _SCENARIO_STATE.match(lines[n - 1])), None)
        if state is not None:
            lines[state - 1] = "- 状態: 下書き"
            continue
        id_line = next((n for n in numbers if _SCENARIO_ID.match(lines[n - 1])), None)
        if id_line is not None:
            lines.insert(id_line, "- 状態: 下書き")
            inserted.append(id_line + 1)
    return _renumbered(inserted)


def _renumbered(inserted_from_end: list[int]) -> list[int]:
    """Numbers of lines inserted bottom-up, each counted before the earlier insertions: as they
    stand in the final text, every line inserted above one moves it down by one."""
    return [n + index for index, n in enumerate(sorted(inserted_from_end))]


@contextmanager
def checked_upload(upload: ContentUpload, content_root: Path, work_dir: Path) -> Iterator[UploadCheck]:
    """Check the upload among the live content as ``elearn content check`` does, and compare."""
    fingerprint = live_fingerprint()
    with upload_tree(upload, content_root, work_dir) as (root, marks):
        loaded = load_tree(root, relative_to=root)
        problems = [marks.original(problem) for problem in loaded.problems]
        diff = diff_content(root, relative_to=root)
        yield UploadCheck(upload, problems, diff, fingerprint, root)


# --- publish and discard ------------------------------------------------------------------------


@dataclass
class Published:
    upload: ContentUpload
    report: SyncReport


def _pending(upload_id: int) -> ContentUpload:
    upload = db.session.get(ContentUpload, upload_id)
    if upload is None or upload.status != PENDING:
        raise UploadNotPending(upload_id)
    return upload


def publish_upload(
    actor: Actor, upload_id: int, fingerprint: str, content_root: Path, work_dir: Path
) -> Published:
    """Publish the upload in one transaction: the sync of its tree, the upload marked published and
    the audit event. LiveChanged when what is live is no longer what ``fingerprint`` was taken of."""
    upload = _pending(upload_id)
    with upload_tree(upload, content_root, work_dir) as (root, _marks):
        # Loaded as sync_content loads: Publication names each version's file relative to ``root``.
        loaded = load_tree(root)
        if loaded.problems.errors:
            raise UploadHasErrors(upload_id)
        try:
            with transaction():
                lock_publication()
                db.session.refresh(upload)  # read again: the first of a double click may have published it
                if upload.status != PENDING:
                    raise UploadNotPending(upload_id)
                if live_fingerprint() != fingerprint:
                    raise LiveChanged(upload_id)
                report = write_content(loaded, Publication(root, "web", actor.employee_id))
                upload.status, upload.decided_at = PUBLISHED, utcnow()
                record(
                    actor,
                    AuditAction.CONTENT_PUBLISH,
                    _summary(upload, report),
                    **_details(upload, loaded, report),
                )
        except IntegrityError:  # SQLite: another publish took a version number after our read
            raise LiveChanged(upload_id) from None
    return Published(upload, report)


def discard_upload(upload_id: int) -> ContentUpload:
    """Mark the upload discarded: it is kept as sent, never published."""
    with transaction():
        upload = _pending(upload_id)
        upload.status, upload.decided_at = DISCARDED, utcnow()
    return upload


def _summary(upload: ContentUpload, report: SyncReport) -> str:
    return (
        f"教材を公開しました（{upload.filename}: 追加 {len(report.added)}、変更 {len(report.updated)}、"
        f"廃止 {len(report.retired)}）"
    )


def _details(upload: ContentUpload, loaded: LoadResult, report: SyncReport) -> dict:
    hashes = {
        f"{label} {item.id}": item.hash()
        for label, found in (
            ("scenario", loaded.content.scenarios),
            ("course", loaded.content.courses),
            ("selfcheck", loaded.content.selfchecks),
        )
        for item in found
    }
    return {
        "upload": upload.id,
        "source": upload.filename,
        "draft": upload.draft,
        "files": {
            path: hashlib.sha256(text.encode()).hexdigest() for path, text in sorted(upload.files.items())
        },
        "added": {label: hashes.get(label, "") for label in report.added},
        "updated": {label: hashes.get(label, "") for label in report.updated},
        "retired": list(report.retired),
    }
