"""研修実施状況報告 as a PDF: a table and a bar chart of the rates per course, the self-check after."""

from __future__ import annotations

import io

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .annual_report import COLUMNS, AnnualReport, CourseSection, DepartmentLine
from .item_analysis import SelfCheckGroup
from .pdf_fonts import pdf_font

WIDTH = A4[0] - 40 * mm


def annual_report_pdf(report: AnnualReport) -> bytes:
    font = pdf_font()
    styles = {
        "title": ParagraphStyle("title", fontName=font, fontSize=15, leading=22, wordWrap="CJK"),
        "heading": ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=8),
        "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK"),
    }
    story: list[Flowable] = [
        Paragraph(report.title, styles["title"]),
        Paragraph(report.made, styles["body"]),
        Spacer(1, 6 * mm),
    ]
    for section in report.courses:
        story += _course(section, font, styles)
    story += _selfchecks(report.selfchecks, font, styles)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=report.title, author=report.made_by, invariant=True,
    )  # fmt: skip
    document.build(story)
    return out.getvalue()


def _course(section: CourseSection, font: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    rows = [COLUMNS, *(_row(line) for line in section.lines), _row(DepartmentLine("合計", section.total))]
    table = Table(rows, colWidths=[WIDTH * 0.28, *[WIDTH * 0.12] * 6], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f2f2f2")),
            ]
        )
    )
    return [Paragraph(section.course, styles["heading"]), table, Spacer(1, 4 * mm), _chart(section, font)]


def _row(line: DepartmentLine) -> list[str]:
    *cells, rate = line.cells
    return [str(cell) for cell in cells] + [f"{rate * 100:.1f}%"]


def _chart(section: CourseSection, font: str) -> Drawing:
    """A bar per department: its completion rate, 0–100%."""
    lines = section.lines or (DepartmentLine("（割当なし）", section.total),)
    bar_height = 5 * mm
    height = bar_height * len(lines) + 15 * mm
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 45 * mm, 8 * mm
    chart.width, chart.height = WIDTH - 55 * mm, bar_height * len(lines)
    chart.data = [[line.tally.rate for line in reversed(lines)]]
    chart.categoryAxis.categoryNames = [line.department for line in reversed(lines)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = colors.HexColor("#2b5797")
    drawing.add(chart)
    return drawing


def _selfchecks(
    groups: tuple[SelfCheckGroup, ...], font: str, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("セルフチェック（全庁集計）", styles["heading"])]
    story.append(Paragraph("個人の回答は表示しません。回答者 5 人未満の集計は表示しません。", styles["body"]))
    for group in groups:
        story.append(
            Paragraph(f"{group.title}（第{group.version}版）回答者 {group.respondents} 人", styles["body"])
        )
        if group.suppressed:
            continue
        rows = [["設問", *group.scale]]
        rows += [[Paragraph(item.statement, styles["body"]), *map(str, item.counts)] for item in group.items]
        scale_width = WIDTH * 0.5 / max(len(group.scale), 1)
        table = Table(rows, colWidths=[WIDTH * 0.5, *[scale_width] * len(group.scale)], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font, 8),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(1, 4 * mm)]
    return story
