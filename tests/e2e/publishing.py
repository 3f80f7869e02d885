"""What a trainer publishes from the browser in the tests: a small draft course and its bank, one
scenario of which is a draft, as a ZIP of the repository layout.

The course draws one question from the scenarios of 暴言 that cite 第3-6, which only this bank's
scenarios do: learners' quizzes could draw only the published one, a trial draws either, and a trial
retake avoids the scenario just seen, so the draft is drawn by the second trial at the latest.
"""

from __future__ import annotations

import io
import zipfile

from tests.content.tree import bank, scenario

COURSE = "tameshi"
LIVE_TITLE, DRAFT_TITLE = "窓口で書類を投げつけられる", "電話で名前を何度も聞き返される"
LIVE_ID, DRAFT_ID = "tameshi-01", "tameshi-02"

COURSE_MD = f"""---
id: {COURSE}
title: 試行用のコース
summary: Web から公開したシナリオを試すためのコースです。
audience: optional
pass_mark: 80
status: draft
quiz_after_lessons: false
quiz:
  questions: 1
  pool:
    categories: [暴言]
    clauses: [第3-6]
---

Web から公開したシナリオを、受講者と同じ画面で試します。
"""
LESSON_MD = """---
title: はじめに
---

組織で対応するのが基本です [[第3]]。
"""


def _cited(text: str) -> str:
    return text.replace("- 根拠: 第1-3, 第2(1), 第3", "- 根拠: 第1-3, 第2(1), 第3, 第3-6")


BANK_MD = _cited(
    bank(
        scenario(LIVE_ID, LIVE_TITLE),
        scenario(DRAFT_ID, DRAFT_TITLE).replace("- 根拠:", "- 状態: 下書き\n- 根拠:", 1),
    )
)
FILES = {
    f"courses/{COURSE}/course.md": COURSE_MD,
    f"courses/{COURSE}/01-hajimeni.md": LESSON_MD,
    f"quizzes/{COURSE}.md": BANK_MD,
}


RETITLED = "窓口で書類を机にたたきつけられる"  # the published scenario's title in a second upload
SECOND_BANK = {f"quizzes/{COURSE}.md": BANK_MD.replace(LIVE_TITLE, RETITLED, 1)}


def content_zip(files: dict[str, str] = FILES) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.replace("\n", "\r\n").encode())  # as saved on Windows
    return buffer.getvalue()
