"""The vocabularies that are the same for every organisation.

The organisation's own (分類, 視点, 場面, 難易度) are content: policy/settings.yml, read by settings.py.
"""

from __future__ import annotations

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

# 状態 of a scenario (状態: 下書き) and status of a course (status: draft): a draft is previewed and tried
# by trainers but never shown to learners nor drawn into their quizzes. Not written means published.
SCENARIO_STATES: dict[str, bool] = {"下書き": True, "公開": False}  # value -> is a draft
COURSE_STATES: dict[str, bool] = {"draft": True, "published": False}
