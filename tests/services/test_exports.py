"""Exports open safely in a spreadsheet, and an XLSX export's memory does not grow with its rows."""

import io
import tracemalloc

from openpyxl import load_workbook

from elearn.services.exports import ExportFormat, csv_chunks, export_chunks, safe_cell

HEADER = ("番号", "氏名", "得点")


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted():
    for dangerous in ("=1+1", "+81-3", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("青木 = 花子") == "青木 = 花子"
    assert safe_cell(None) == "" and safe_cell(42) == "42"


def test_csv_has_a_bom_crlf_and_quoted_formulas():
    text = "".join(csv_chunks(HEADER, [("A1", "=HYPERLINK(1)", 90)]))
    assert text == "\ufeff番号,氏名,得点\r\nA1,'=HYPERLINK(1),90\r\n"


def test_xlsx_keeps_numbers_as_numbers_and_formulas_as_text():
    payload = b"".join(export_chunks(ExportFormat.XLSX, HEADER, [("A1", "=1+1", 90), ("A2", "x\x07y", None)]))
    rows = list(load_workbook(io.BytesIO(payload)).active.iter_rows(values_only=True))
    assert rows == [HEADER, ("A1", "'=1+1", 90), ("A2", "xy", None)]


def peak_memory(rows: int, fmt: ExportFormat) -> int:
    generated = ((f"E{n:06d}", f"職員 {n}", n % 100) for n in range(rows))
    tracemalloc.start()
    for _chunk in export_chunks(fmt, HEADER, generated):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_export_memory_does_not_grow_with_the_number_of_rows():
    for fmt in ExportFormat:
        small, large = peak_memory(2_000, fmt), peak_memory(20_000, fmt)
        assert large < small * 1.5, (fmt, small, large)
