"""The roster template HR downloads: every column the import reads, in order, with an example row."""

from __future__ import annotations

from .exports import Export, ExportFormat

COLUMNS = (
    "職員番号",
    "氏名",
    "所属",
    "氏名カナ",
    "役割",
    "雇用区分",
    "メールアドレス",
    "所属コード",
    "所属カナ",
)
# 職員番号 with a leading zero: written as text in the XLSX, so Excel keeps the zero.
EXAMPLE = ("001207", "市役所 花子", "市民課", "シヤクショ ハナコ", "職員", "正規職員", "", "0101", "シミンカ")


def roster_template(fmt: ExportFormat) -> Export:
    return Export(fmt, "roster-template", COLUMNS, [EXAMPLE])
