"""The font PDFs are set in: IPAex明朝, shipped in the package (elearn/fonts/, IPA Font License v1.0)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "IPAexMincho"
FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "ipaexm.ttf"


@cache
def pdf_font() -> str:
    """The font's name, registered with ReportLab once per process; only the glyphs used are embedded."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE)))
    return FONT_NAME
