"""`elearn content init DIR`: a new organisation's skeleton that checks clean once filled in."""

from __future__ import annotations

from pathlib import Path

from elearn.content import check
from elearn.content.skeleton import PLACEHOLDER


def fill_in(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            path.write_text(path.read_text("utf-8").replace(PLACEHOLDER, "北野町"), "utf-8")


def test_init_writes_a_policy_settings_a_course_and_a_bank(runner, tmp_path):
    result = runner.invoke(args=["content", "init", str(tmp_path / "kitano")])
    assert result.exit_code == 0, result.output
    written = sorted(
        p.relative_to(tmp_path / "kitano").as_posix() for p in (tmp_path / "kitano").rglob("*.*")
    )
    assert written == [
        "courses/kihon/01-teigi.md",
        "courses/kihon/course.md",
        "policy/kihon-houshin.md",
        "policy/settings.yml",
        "quizzes/kihon.md",
    ]


def test_the_skeleton_reports_every_placeholder_left_by_line(runner, tmp_path):
    root = tmp_path / "kitano"
    runner.invoke(args=["content", "init", str(root)])
    result = check([root], root)
    left = sorted(
        (path.relative_to(root).as_posix(), number)
        for path in root.rglob("*.*")
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if PLACEHOLDER in line
    )
    found = sorted(
        (Path(p.path).resolve().relative_to(root.resolve()).as_posix(), p.line) for p in result.problems
    )
    assert found == left and len(left) >= 10
    assert all(p.message.startswith(PLACEHOLDER) for p in result.problems)


def test_the_skeleton_checks_clean_once_its_placeholders_are_replaced(runner, tmp_path):
    root = tmp_path / "kitano"
    runner.invoke(args=["content", "init", str(root)])
    fill_in(root)
    result = check([root], root)
    assert [str(p) for p in result.problems] == []
    assert result.content.courses and result.content.scenarios
    assert result.settings.organisation.startswith("北野町")


def test_init_never_overwrites_content(runner, tmp_path):
    (tmp_path / "quizzes").mkdir()
    result = runner.invoke(args=["content", "init", str(tmp_path)])
    assert result.exit_code == 1 and "already has quizzes/" in result.output
    assert not (tmp_path / "policy").exists()
