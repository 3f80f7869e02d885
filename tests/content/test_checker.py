"""`elearn content check`: every problem as path:line, exit status for CI, never a traceback."""

from pathlib import Path

from elearn.config import PROJECT_ROOT

SCENARIO = """---
kind: scenarios
title: テスト
---

## 題名

- ID: {id}
- 分類: 暴言
- 視点: customer-to-staff
- 難易度: 初級
- 場面: 窓口
- 根拠: {clauses}

### 状況

状況の文。

### 問い

問いの文。

### 選択肢

- [{mark}] 選択肢A
  > フィードバックA
- [ ] 選択肢B
  > フィードバックB

### 解説

解説の文。
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_projects_content_is_clean(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert ": error:" not in result.output and ": warning:" not in result.output


def test_problems_are_reported_as_path_line_message(runner, tmp_path):
    path = write(tmp_path, "bank.md", SCENARIO.format(id="Bad ID", clauses="第2(1), 第9-9", mark=" "))
    result = runner.invoke(args=["content", "check", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{path}:8: error: ID は英小文字・数字・ハイフンで書いてください: Bad ID" in lines
    assert f"{path}:13: error: 不明な条項です: 第9-9" in lines
    assert f"{path}:23: error: 正解の選択肢（- [x]）がありません" in lines


def test_duplicate_ids_across_files_are_errors(runner, tmp_path):
    write(tmp_path, "a.md", SCENARIO.format(id="same-01", clauses="第2(1)", mark="x"))
    write(tmp_path, "b.md", SCENARIO.format(id="same-01", clauses="第2(1)", mark="x"))
    result = runner.invoke(args=["content", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'b.md'}:6: error: シナリオ ID same-01 が重複しています" in result.output


def test_clean_file_exits_zero(runner, tmp_path):
    path = write(tmp_path, "ok.md", SCENARIO.format(id="ok-01", clauses="第2(1)", mark="x"))
    result = runner.invoke(args=["content", "check", str(path)])
    assert result.exit_code == 0, result.output


def test_binary_garbage_is_a_message_not_a_traceback(runner, tmp_path):
    path = tmp_path / "junk.md"
    path.write_bytes(b"---\nkind: scenarios\n---\n\xff\xfe\x00garbage")
    result = runner.invoke(args=["content", "check", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path}:4: error:" in result.output


def test_stats_json_has_the_documented_keys(runner):
    import json

    result = runner.invoke(args=["content", "stats", "--format", "json"])
    data = json.loads(result.output)
    assert {"scenarios", "by_category", "by_perspective", "by_clause", "by_difficulty"} <= data.keys()
    assert data["scenarios"] == sum(data["by_perspective"].values())
    assert PROJECT_ROOT.joinpath("quizzes").is_dir()
