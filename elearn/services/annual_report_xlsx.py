"""研修実施状況報告 as a workbook: one sheet per course with a bar chart of the rates, and one for the
self-check aggregate (the report itself: services/annual_report.py)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from .annual_report import COLUMNS, RATE_COLUMN, AnnualReport, CourseSection, DepartmentLine
from .exports import safe_cell


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
