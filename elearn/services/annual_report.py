"""研修実施状況報告: a fiscal year's training per course and department, for the 法令遵守推進委員会.

The figures are the dashboard's (one GROUP BY over the year's assignments), arranged per course, plus
the self-check's whole-organisation aggregate as the privacy rules publish it. Written in Japanese
whatever the reader's language: it is a document of record, like the exports.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from ..database import transaction, utcnow
from ..fiscal import fiscal_year_label, format_datetime
from ..models import AuditAction
from . import audit
from .dashboard import Tally, completion_cells
from .exports import safe_cell
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
    from .annual_report_pdf import annual_report_pdf  # ReportLab is loaded only for the PDF

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


def annual_report_xlsx(report: AnnualReport) -> bytes:
    """One sheet per course with a bar chart of the rates, and one for the self-check."""
    book = Workbook()
    book.remove(book.active)
    for number, section in enumerate(report.courses, start=1):
        _course_sheet(book.create_sheet(f"{number} {section.course}"[:31]), report, section)
    _selfcheck_sheet(book.create_sheet("セルフチェック"), report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _heading(sheet, report: AnnualReport, subtitle: str) -> None:
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([subtitle])
    sheet.append([report.made])
    sheet.append([])


def _course_sheet(sheet, report: AnnualReport, section: CourseSection) -> None:
    _heading(sheet, report, section.course)
    sheet.append(COLUMNS)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for line in section.lines:
        sheet.append([safe_cell(line.cells[0]), *line.cells[1:]])
    total = DepartmentLine("合計", section.total).cells
    sheet.append(total)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=header_row + 1, min_col=RATE_COLUMN, max_col=RATE_COLUMN):
        row[0].number_format = "0.0%"
    sheet.column_dimensions["A"].width = 28
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if section.lines:
        _rate_chart(sheet, section, header_row)


def _rate_chart(sheet, section: CourseSection, header_row: int) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"{section.course} 所属別修了率"
    chart.y_axis.number_format = "0%"
    chart.legend = None
    last = header_row + len(section.lines)
    chart.add_data(
        Reference(sheet, min_col=RATE_COLUMN, min_row=header_row, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last))
    chart.height = max(7.5, 0.6 * len(section.lines))
    sheet.add_chart(chart, "G5")


def _selfcheck_sheet(sheet, report: AnnualReport) -> None:
    _heading(sheet, report, "セルフチェック（全庁集計。回答者 5 人未満の集計は表示しません）")
    for group in report.selfchecks:
        sheet.append([f"{group.title}（第{group.version}版）", f"回答者 {group.respondents} 人"])
        if group.suppressed:
            sheet.append(["回答者が少ないため表示しません"])
            continue
        sheet.append(["設問", *group.scale])
        for item in group.items:
            sheet.append([safe_cell(item.statement), *item.counts])
        sheet.append([])
    sheet.column_dimensions["A"].width = 60
