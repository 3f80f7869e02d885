"""研修実施状況報告: a fiscal year's training per course and department, for the 法令遵守推進委員会.

The figures are the dashboard's (one GROUP BY over the year's assignments), arranged per course, plus
the self-check's whole-organisation aggregate as the privacy rules publish it. Written in Japanese
whatever the reader's language: it is a document of record, like the exports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from ..database import transaction, utcnow
from ..fiscal import fiscal_year_label, format_datetime
from ..models import AuditAction
from . import audit
from .dashboard import Tally, completion_cells
from .item_analysis import SelfCheckGroup, selfcheck_groups
from .reports import ReportFilter

COLUMNS = ("所属", "割当", "修了（オンライン）", "修了（集合研修）", "免除", "未修了", "修了率")
RATE_COLUMN = len(COLUMNS)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class DepartmentLine:
    department: str
    tally: Tally

    @property
    def cells(self) -> tuple[str, int, int, int, int, int, float]:
        """The row: assigned, completed online and in person, exempt, not completed, the rate (of the
        assignments not exempt, as on the dashboard)."""
        t = self.tally
        left = t.assigned - t.completed - t.exempt
        return (
            self.department,
            t.assigned,
            t.completed - t.in_person,
            t.in_person,
            t.exempt,
            left,
            t.rate / 100,
        )


@dataclass(frozen=True)
class CourseSection:
    course: str
    lines: tuple[DepartmentLine, ...]
    total: Tally


@dataclass(frozen=True)
class AnnualReport:
    year: int
    made_at: datetime
    made_by: str
    courses: tuple[CourseSection, ...]
    selfchecks: tuple[SelfCheckGroup, ...]

    @property
    def title(self) -> str:
        return f"{fiscal_year_label(self.year)} カスタマー・ハラスメント防止研修 実施状況報告"

    @property
    def made(self) -> str:
        return f"作成 {format_datetime(self.made_at)}　{self.made_by}"


def build_annual_report(year: int, made_by: str) -> AnnualReport:
    by_course: dict[str, list[DepartmentLine]] = defaultdict(list)
    for cell in completion_cells(ReportFilter(year)):  # in department order
        by_course[cell.course].append(DepartmentLine(cell.department, cell.tally))
    sections = tuple(
        CourseSection(course, tuple(lines), sum((line.tally for line in lines), Tally()))
        for course, lines in sorted(by_course.items())
    )
    return AnnualReport(year, utcnow(), made_by, sections, tuple(selfcheck_groups()))


def export_annual_report(actor: audit.Actor, year: int, fmt: str) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of the year's report as ``pdf`` or ``xlsx``; audited."""
    # ReportLab and openpyxl are loaded by the first report of their format, not by every process.
    from .annual_report_pdf import annual_report_pdf
    from .annual_report_xlsx import annual_report_xlsx

    report = build_annual_report(year, actor.label)
    data = annual_report_pdf(report) if fmt == "pdf" else annual_report_xlsx(report)
    with transaction():
        audit.record(
            actor,
            AuditAction.EXPORT,
            f"{fiscal_year_label(year)}の研修実施状況報告を作成しました（{fmt.upper()}）",
            report="annual",
            year=year,
            format=fmt,
        )
    mimetype = "application/pdf" if fmt == "pdf" else XLSX_MIMETYPE
    return f"annual-report-{year}.{fmt}", mimetype, data
