"""The fixed vocabularies a scenario is classified by."""

from __future__ import annotations

# The nine behaviours of 第2, in the policy's order, with the clause each one illustrates.
CATEGORIES: dict[str, str | None] = {
    "暴言": "第2(1)",
    "執拗な要求": "第2(2)",
    "正当な理由のない過度な要求": "第2(3)",
    "暴行": "第2(4)",
    "高圧的な言動": "第2(5)",
    "長時間の拘束": "第2(6)",
    "リピート型": "第2(7)",
    "セクハラ・SOGIハラ・つきまとい": "第2(8)",
    "SNS投稿・撮影": "第2(9)",
    "なし": None,
}

PERSPECTIVES: dict[str, str] = {
    "customer-to-staff": "利用者等から職員へ",
    "staff-as-harasser": "職員が行為者になる場面",
    "legitimate-complaint": "正当な要望・苦情",
}

DIFFICULTIES: tuple[str, ...] = ("初級", "中級", "上級")

SETTINGS: tuple[str, ...] = (
    "窓口",
    "電話",
    "メール",
    "訪問先",
    "SNS",
    "委託先とのやり取り",
    "会議・打合せ",
    "工事・検査の現場",
    "庁内",
    "公共施設",
    "避難所",
    "選挙事務",
    "勤務時間外",
)

# 形式 of a scenario: 択一 has one correct choice; 複数選択 asks for every correct one (one or more).
ANSWER_FORMATS: dict[str, str] = {
    "択一": "single",
    "複数選択": "select-all",
}

AUDIENCES: dict[str, str] = {
    "all": "全職員必修",
    "managers": "管理監督者必修",
    "optional": "任意",
}
