"""Content for tests: a copy of the project's content to edit, and scenario bank text to write."""

from __future__ import annotations

import shutil
from pathlib import Path

from elearn.config import PROJECT_ROOT

BANK_HEADER = "---\nkind: scenarios\ntitle: テスト用の問題集\n---\n"

# Line numbers below are counted from the "## " heading (line 1 of the block).
SCENARIO = """
## {title}

- ID: {id}
- 分類: 暴言
- 視点: customer-to-staff
- 難易度: 初級
- 場面: 窓口
- 根拠: 第1-3, 第2(1), 第3

### 状況

来庁者が窓口で「{title}」と大声を出しました。

### 問い

この場面での対応として、最も適切なものはどれですか。

### 選択肢

- [x] 落ち着いてやめるよう伝え、上司に報告する
  > 組織で対応するのが基本です [[第3]]。
- [ ] 相手の気が済むまで黙って聞き続ける
  > 一人で受け止め続ける必要はありません。

### 解説

人格を否定する暴言は著しい迷惑行為に当たり得ます [[第2(1)]]。
"""


def scenario(id: str, title: str = "暴言を受ける") -> str:
    return SCENARIO.format(id=id, title=title)


def bank(*scenarios: str) -> str:
    return BANK_HEADER + "".join(scenarios)


def copy_project_content(dest: Path) -> Path:
    """Copy courses/, quizzes/ and policy/ of the project to ``dest`` and return it."""
    for name in ("courses", "quizzes", "policy"):
        shutil.copytree(PROJECT_ROOT / name, dest / name)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file with ``new``; the text must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based number of the first line of the file containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
