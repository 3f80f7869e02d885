"""Exports open safely in a spreadsheet, and an XLSX export's memory does not grow with its rows."""

import io
import tracemalloc

from openpyxl import load_workbook

from elearn.services.exports import ExportFormat, csv_chunks, export_chunks, safe_cell

HEADER = ("番号", "氏名", "得点")


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted():
    for dangerous in ("=1+1", "+81-3", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous) == "'" + dangerous


def test_full_width_formula_characters_are_quoted_like_their_ascii_forms():
    for dangerous in ("＝1+1", "＋81", "－2+3", "＠SUM(A1)", "﹦1+1"):
        assert safe_cell(dangerous) == "'" + dangerous
    text = "".join(csv_chunks(HEADER, [("A1", "＝HYPERLINK(1)", 90)]))
    assert text.endswith("A1,'＝HYPERLINK(1),90\r\n")
    assert safe_cell("青木 = 花子") == "青木 = 花子"
    assert safe_cell(None) == "" and safe_cell(42) == "42"


def test_csv_has_a_bom_crlf_and_quoted_formulas():
    text = "".join(csv_chunks(HEADER, [("A1", "=HYPERLINK(1)", 90)]))
    assert text == "\ufeff番号,氏名,得点\r\nA1,'=HYPERLINK(1),90\r\n"


def test_xlsx_keeps_numbers_as_numbers_and_formulas_as_text():
    rows = [("A1", "=1+1", 90), ("A2", "x\x07y", None), ("A3", "-1+2", -1), ("A4", "＝1", 0)]
    payload = b"".join(export_chunks(ExportFormat.XLSX, HEADER, rows))
    sheet = load_workbook(io.BytesIO(payload)).active
    assert list(sheet.iter_rows(values_only=True)) == [
        HEADER,
        ("A1", "=1+1", 90),
        ("A2", "xy", None),
        *rows[2:],
    ]
    # The value is unchanged: Excel's quote prefix, not an apostrophe in it, keeps it text.
    for coordinate in ("B2", "B4", "B5"):
        assert sheet[coordinate].data_type == "s" and sheet[coordinate].quotePrefix, coordinate
    assert not sheet["A2"].quotePrefix and sheet["C4"].value == -1


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
