"""修了証 as a PDF: A4, the same facts as the printable page, the font embedded so it prints alike anywhere.

An official document, so it is written in Japanese whatever the reader's language, like the records.
ReportLab embeds a subset of the TrueType font; the output is invariant (no creation time or random
document id), so the same record issued on the same day gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..fiscal import era_date, fiscal_year_label
from ..models import Completion
from .pdf_fonts import pdf_font

WIDTH, HEIGHT = A4
MARGIN = 25 * mm
ONLINE = "オンライン（確認テスト合格）"


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate states, read off the completion record."""

    name: str
    department: str
    employee_no: str
    course: str
    course_version: int
    fiscal_year: str
    completed_on: str
    method: str
    score: str
    code: str

    @classmethod
    def of(cls, completion: Completion) -> CertificateFacts:
        version = completion.course_version
        employee = completion.employee
        return cls.stated(
            name=employee.name,
            department=employee.department.name,
            employee_no=employee.employee_no,
            course=version.title,
            course_version=version.version,
            fiscal_year=completion.fiscal_year,
            completed_at=completion.completed_at,
            score=completion.score,
            code=completion.certificate_code,
        )

    @classmethod
    def stated(
        cls, *, fiscal_year: int, completed_at: datetime, score: int | None, **facts: Any
    ) -> CertificateFacts:
        """The facts as the certificate words them (和暦, 点)."""
        return cls(
            fiscal_year=fiscal_year_label(fiscal_year),
            completed_on=era_date(completed_at),
            method=ONLINE,
            score="" if score is None else f"{score} 点",
            **facts,
        )


@dataclass(frozen=True)
class Issuer:
    """Who issues the certificates and where a code is checked, from the configuration."""

    name: str
    seal: str
    verify_url: str  # the verification page, or "" when no ELEARN_BASE_URL is configured

    @classmethod
    def from_config(cls, config: Mapping[str, Any], name: str) -> Issuer:
        """``name`` from the content settings (or its override); the seal and address from the config."""
        base = config.get("BASE_URL") or ""
        return cls(
            name=name,
            seal=config.get("CERTIFICATE_SEAL") or "",
            verify_url=f"{base}/certificates/verify" if base else "",
        )

    def url_for(self, code: str) -> str:
        return f"{self.verify_url}?code={code}" if self.verify_url else ""


def certificate_pdf(completion: Completion, issuer: Issuer, issued_on: date) -> bytes:
    return render_certificate(CertificateFacts.of(completion), issuer, issued_on)


def render_certificate(facts: CertificateFacts, issuer: Issuer, issued_on: date) -> bytes:
    font = pdf_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(f"修了証 {facts.course} {facts.name}")
    canvas.setAuthor(issuer.name)
    canvas.setSubject(f"確認コード {facts.code}")
    _draw_frame(canvas)
    y = _draw_heading(canvas, font, facts)
    y = _draw_facts(canvas, font, facts, y)
    _draw_issuer(canvas, font, issuer, issued_on, y)
    _draw_verification(canvas, font, issuer, facts.code)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_frame(canvas: Canvas) -> None:
    canvas.setLineWidth(1.2)
    canvas.rect(12 * mm, 12 * mm, WIDTH - 24 * mm, HEIGHT - 24 * mm)
    canvas.setLineWidth(0.4)
    canvas.rect(14 * mm, 14 * mm, WIDTH - 28 * mm, HEIGHT - 28 * mm)


def _draw_heading(canvas: Canvas, font: str, facts: CertificateFacts) -> float:
    canvas.setFont(font, 36)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 55 * mm, "修 了 証")
    y = HEIGHT - 85 * mm
    canvas.setFont(font, 22)
    canvas.drawCentredString(WIDTH / 2, y, f"{facts.name}　様")
    canvas.setFont(font, 12)
    y -= 10 * mm
    canvas.drawCentredString(WIDTH / 2, y, f"{facts.department}（職員番号 {facts.employee_no}）")
    y -= 18 * mm
    canvas.setFont(font, 13)
    canvas.drawCentredString(WIDTH / 2, y, "あなたは次の研修を修了したことを証します。")
    return y - 16 * mm


def _draw_facts(canvas: Canvas, font: str, facts: CertificateFacts, y: float) -> float:
    rows = [
        ("研修名", facts.course),
        ("コース版", f"第{facts.course_version}版"),
        ("年度", facts.fiscal_year),
        ("修了日", facts.completed_on),
        ("修了方法", facts.method),
    ]
    if facts.score:
        rows.append(("確認テストの得点", facts.score))
    label_x, value_x = MARGIN + 10 * mm, MARGIN + 52 * mm
    for label, value in rows:
        canvas.setFont(font, 11)
        canvas.drawString(label_x, y, label)
        canvas.setFont(font, 13)
        canvas.drawString(value_x, y, value)
        canvas.setLineWidth(0.3)
        canvas.line(label_x, y - 2.5 * mm, WIDTH - MARGIN - 10 * mm, y - 2.5 * mm)
        y -= 11 * mm
    return y


def _draw_issuer(canvas: Canvas, font: str, issuer: Issuer, issued_on: date, y: float) -> None:
    y -= 12 * mm
    right = WIDTH - MARGIN - 10 * mm
    canvas.setFont(font, 12)
    canvas.drawRightString(right, y, f"発行日　{era_date(issued_on)}")
    y -= 14 * mm
    canvas.setFont(font, 15)
    canvas.drawRightString(right, y, issuer.name)
    if issuer.seal:
        canvas.setFont(font, 10)
        canvas.drawRightString(right, y - 8 * mm, issuer.seal)


def _draw_verification(canvas: Canvas, font: str, issuer: Issuer, code: str) -> None:
    url = issuer.url_for(code)
    size = 26 * mm
    left, bottom = MARGIN, 22 * mm
    text_x = left
    if url:  # without a configured address there is nothing a QR code could point to
        _draw_qr(canvas, url, left, bottom, size)
        text_x = left + size + 6 * mm
    canvas.setFont(font, 10)
    canvas.drawString(text_x, bottom + size - 5 * mm, "確認コード")
    canvas.setFont(font, 14)
    canvas.drawString(text_x, bottom + size - 12 * mm, code)
    canvas.setFont(font, 8)
    canvas.drawString(text_x, bottom + 7 * mm, "この修了証の真正性は、人事担当が確認コードで照会できます。")
    canvas.drawString(text_x, bottom + 2 * mm, url)


def _draw_qr(canvas: Canvas, text: str, left: float, bottom: float, size: float) -> None:
    """The QR code as vector rectangles, one per run of dark modules in a row: sharp at any print size,
    no image to embed, and a few hundred rectangles instead of a thousand squares. Every one of the eight
    masks decodes; fixing one spares scoring all eight, most of a certificate's time (docs/benchmarks.md)."""
    matrix = segno.make(text, error="m", micro=False, mask=0).matrix
    cell = size / len(matrix)
    top = bottom + size
    path = canvas.beginPath()
    for row, line in enumerate(matrix):
        for start, length in _dark_runs(line):
            path.rect(left + start * cell, top - (row + 1) * cell, length * cell, cell)
    canvas.drawPath(path, stroke=0, fill=1)


def _dark_runs(line: bytes | bytearray) -> Iterator[tuple[int, int]]:
    """(first column, length) of each run of dark modules."""
    start = None
    for column, dark in enumerate((*line, 0)):
        if dark and start is None:
            start = column
        elif not dark and start is not None:
            yield start, column - start
            start = None
