"""An audit event's details written for people: 「年度: 2026、絞り込み: 所属 市民課」, not
``filters={'year': 2026, 'department': 3}``.

The details are stored as the code wrote them (stable keys, ids); this is how the trail's page and
its download show them. Keys this version does not know are shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Department

LABELS = {
    "year": "年度",
    "source_year": "引き継ぎ元の年度",
    "course": "コース",
    "scope": "対象",
    "due": "受講期限",
    "old_due": "元の受講期限",
    "assigned": "割当",
    "assignments": "対象の割当",
    "rules": "割当の数",
    "skipped": "見送り",
    "removed": "外した割当",
    "kept": "残した割当",
    "reason": "理由",
    "source": "ファイル",
    "full": "全職員の名簿",
    "digest": "内容の SHA-256",
    "added": "追加",
    "updated": "変更",
    "unchanged": "変更なし",
    "deactivated": "無効化",
    "added_employees": "追加した職員",
    "changed_employees": "変更した職員",
    "deactivated_employees": "無効にした職員",
    "employee_no": "職員番号",
    "days": "有効日数",
    "count": "件数",
    "department": "所属",
    "format": "形式",
    "report": "帳票",
    "filters": "絞り込み",
    "action": "操作",
    "status": "状態",
    "enrolment": "在籍",
    "sort": "並び順",
    "order": "順序",
    "upload": "アップロード番号",
    "draft": "下書きとして公開",
    "files": "ファイルの SHA-256",
    "retired": "廃止",
    "kind": "種類",  # of content (シナリオ・コース), of a mail template
    "key": "教材 ID",
    "from_version": "戻した版",
    "new_version": "新しい版",
}
REPORTS = {"completions": "修了状況", "item-analysis": "設問分析", "audit": "操作記録"}
STATUSES = {
    "completed": "修了",
    "in_progress": "受講中",
    "not_started": "未受講",
    "not_completed": "未修了",
    "exempt": "免除",
}
ENROLMENTS = {"all": "全員", "active": "在籍のみ"}
DUE = {"overdue": "期限超過", "due_soon": "期限間近"}
ORDERS = {"asc": "昇順", "desc": "降順"}
KINDS = {"scenario": "シナリオ", "course": "コース", "selfcheck": "セルフチェック"}


@dataclass
class Names:
    """Department names and course titles by id, read once for a whole trail."""

    departments: dict[int, str] = field(default_factory=dict)
    courses: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Names:
        from .reports import course_titles  # reports records its exports through audit: import late

        departments = dict(db.session.execute(select(Department.id, Department.name)).all())
        return cls(departments, course_titles())


def describe(details: Mapping[str, Any], names: Names | None = None) -> str:
    """The details as 「見出し: 値」 pairs joined by 「、」, blank values left out."""
    names = names or Names()
    parts = [_pair(key, value, names) for key, value in details.items() if value not in (None, "", [], {})]
    return "、".join(parts)


def _pair(key: str, value: Any, names: Names) -> str:
    return f"{LABELS.get(key, key)}: {_value(key, value, names)}"


def _value(key: str, value: Any, names: Names) -> str:
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if key in ("files", "added", "updated") and isinstance(value, Mapping):
        # A published item or file with the start of its hash: enough to find the version again.
        return "・".join(f"{name} {str(digest)[:12]}" for name, digest in value.items())
    if isinstance(value, Mapping):
        return "・".join(f"{LABELS.get(k, k)} {_value(k, v, names)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "／".join(str(v) for v in value)
    if key == "digest" and isinstance(value, str):
        return value[:12]
    if key == "department" and isinstance(value, int):
        return names.departments.get(value, str(value))
    if key == "course" and isinstance(value, int):
        return names.courses.get(value, str(value))
    if key in ("from_version", "new_version") and isinstance(value, int):
        return f"第{value}版"
    named = {
        "report": REPORTS,
        "status": STATUSES,
        "order": ORDERS,
        "enrolment": ENROLMENTS,
        "due": DUE,
        "kind": KINDS,
    }
    return str(named.get(key, {}).get(value, value))
