"""All certificates of a year (optionally one department or course) as one ZIP of PDFs and an index.

The ZIP is written as it is sent: each certificate is drawn, added and handed on before the next one is
read, the rows come from the database as plain tuples in batches, and the index waits in a temporary
file, so memory stays flat however many certificates there are.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, select

from ..database import streamed, transaction, utcnow
from ..extensions import db
from ..fiscal import fiscal_year_label, format_date, local_date
from ..models import AuditAction, Completion, Course, CourseVersion, Department, Employee
from . import audit
from .certificate_pdf import CertificateFacts, Issuer, render_certificate
from .exports import BOM, safe_cell
from .policy import site
from .reports import ReportFilter

INDEX_NAME = "index.csv"
INDEX_HEADER = (
    "ファイル名", "年度", "職員番号", "氏名", "所属", "コース",
    "コース版", "修了日", "修了方法", "得点", "修了証番号",
)  # fmt: skip
BATCH = 200


@dataclass(frozen=True)
class Archive:
    """A ZIP on its way out: a download on the web, a file at the command line."""

    basename: str
    body: Iterator[bytes]
    mimetype: str = "application/zip"

    @property
    def filename(self) -> str:
        return f"{self.basename}.zip"

    def chunks(self) -> Iterator[bytes]:
        return self.body


class _Sink(io.RawIOBase):
    """A write-only stream that hands on what was written; ZipFile writes data descriptors to it."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def archive_certificates(actor: audit.Actor, report: ReportFilter, config: Mapping[str, Any]) -> Archive:
    """Record the download, then stream the archive the filter describes."""
    count = db.session.scalar(select(db.func.count()).select_from(_query(report).subquery())) or 0
    verb = "書き出しました" if actor.at_command_line else "ダウンロードしました"
    with transaction():
        audit.record(
            actor,
            AuditAction.EXPORT,
            f"{fiscal_year_label(report.year)}の修了証 {count} 件を一括で{verb}（ZIP）",
            format="zip",
            **report.as_args(),
        )
    issuer, issued_on = Issuer.from_config(config, site().certificate_issuer), local_date(utcnow())
    return Archive(f"certificates-{report.year}", _zip_chunks(report, issuer, issued_on))


def _query(report: ReportFilter) -> Select:
    query = (
        select(
            Completion.fiscal_year,
            Completion.completed_at,
            Completion.score,
            Completion.certificate_code.label("code"),
            Employee.employee_no,
            Employee.name,
            Department.name.label("department"),
            Course.key.label("course_key"),
            CourseVersion.title.label("course"),
            CourseVersion.version.label("course_version"),
        )
        .join(Employee, Completion.employee_id == Employee.id)
        .join(Department, Employee.department_id == Department.id)
        .join(CourseVersion, Completion.course_version_id == CourseVersion.id)
        .join(Course, CourseVersion.course_id == Course.id)
        .where(Completion.fiscal_year == report.year)
        .order_by(Department.name, Employee.employee_no, Course.key, Completion.id)
    )
    if report.department_id is not None:
        query = query.where(Employee.department_id == report.department_id)
    if report.course_id is not None:
        query = query.where(Course.id == report.course_id)
    return query


def _zip_chunks(report: ReportFilter, issuer: Issuer, issued_on: date) -> Iterator[bytes]:
    sink = _Sink()
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as index:
        writer = csv.writer(index)
        writer.writerow(INDEX_HEADER)
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for row in streamed(db.session.execute(_query(report).execution_options(yield_per=BATCH))):
                facts, name = _facts(row), _file_name(row)
                archive.writestr(name, render_certificate(facts, issuer, issued_on))
                writer.writerow([safe_cell(value) for value in _index_row(name, row)])
                yield sink.take()
            index.seek(0)
            with archive.open(INDEX_NAME, "w") as entry:
                entry.write(BOM.encode())
                while block := index.read(64 * 1024):
                    entry.write(block.encode("utf-8"))
        yield sink.take()


def _file_name(row: Row) -> str:
    return f"{row.fiscal_year}_{row.employee_no}_{row.course_key}.pdf"


def _facts(row: Row) -> CertificateFacts:
    facts = row._asdict()
    del facts["course_key"]
    return CertificateFacts.stated(**facts)


def _index_row(name: str, row: Row) -> list[object]:
    return [
        name,
        row.fiscal_year,
        row.employee_no,
        row.name,
        row.department,
        row.course,
        row.course_version,
        format_date(row.completed_at),
        "オンライン",
        row.score,
        row.code,
    ]
