"""Whatever a content file holds, loading it gives a valid model or problems with a line, never a crash.

Hypothesis feeds the loader arbitrary text and bytes, and the project's own files mutated the way
editing goes wrong: lines deleted, duplicated, swapped, truncated, stray characters and bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from elearn.config import PROJECT_ROOT
from elearn.content import LoadResult, default_settings, load_tree, render_markdown
from elearn.content.courses import COURSE_ID
from elearn.content.scenarios import SCENARIO_ID
from elearn.content.vocab import AUDIENCES

SHIPPED = default_settings()

PROPERTY = settings(max_examples=200)

BANKS = sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in PROJECT_ROOT.glob("quizzes/*.md"))
COURSE_FILES = sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in PROJECT_ROOT.glob("courses/*/*.md"))
FRONT_MATTER = "---\nkind: scenarios\ntitle: テスト\n---\n"

# Pieces that mean something to the parser, so that random text often looks almost right.
TOKENS = [*"-*[]xX:：#>` \t\n|~!()（）、,", "## ", "### ", "- [x] ", "  > ", "[[第3]]", "---", "ID", "第"]
MARKUP = st.lists(st.sampled_from(TOKENS) | st.text(max_size=3), max_size=60).map("".join)
# Front matter as "key: value" lines, with values YAML reads in surprising ways.
YAML_VALUES = ["2026-02-30", "2026-04-01", "!!int abc", "!!float x", "!!bool maybe", "!!timestamp x"]
YAML_VALUES += ["!!binary ***", "!!set {a}", "&a [*a]", "1e400", "0x1F", "~", "yes", "[a, b]", "{a: 1}"]
# Nesting too deep for the parser is tested once, in test_checker_rules.py: PyYAML takes seconds over
# each such document, and here Hypothesis would draw one for dozens of examples.
YAML_VALUES += ["9" * 5000, "[" * 50, "[[[a]]", "scenarios", "self-check"]
YAML = st.lists(
    st.tuples(
        st.sampled_from(["kind", "title", "id", "scale", "summary", "quiz"]) | st.text(max_size=5),
        st.sampled_from(YAML_VALUES) | st.text(max_size=10),
    ),
    max_size=6,
).map(lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs))
NOISE = st.text(min_size=1, max_size=8) | st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4).map(
    "".join
)


@contextmanager
def content_tree(relative: str, data: bytes) -> Iterator[Path]:
    """A content root holding ``data`` as the file ``relative``, with what that file needs around it.

    A lesson or course file gets the rest of its course folder; a course also gets the project's
    bank (by a link), so that its draw rules can be met.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "courses").mkdir()
        if relative.startswith("courses/"):
            shutil.copytree(PROJECT_ROOT / Path(relative).parent, root / Path(relative).parent)
            os.symlink(PROJECT_ROOT / "quizzes", root / "quizzes")
        else:
            (root / "quizzes").mkdir()
        (root / relative).write_bytes(data)
        yield root


def assert_model_or_located_problems(result: LoadResult, root: Path) -> None:
    for problem in result.problems:
        path = Path(problem.path)
        file = path if path.is_absolute() else root / path
        lines = len(file.read_bytes().splitlines()) if file.is_file() else 0
        assert 1 <= problem.line <= lines + 1, problem
        assert problem.message
    if result.ok:
        assert_valid(result)


def assert_valid(result: LoadResult) -> None:
    """What sync and the quiz rely on when the checker found no error."""
    known = set(SHIPPED.clause_ids())
    for scenario in result.content.scenarios:
        assert SCENARIO_ID.match(scenario.id) and scenario.title
        assert scenario.category in SHIPPED.categories and scenario.perspective in SHIPPED.perspectives
        assert scenario.difficulty in SHIPPED.difficulties and scenario.setting in SHIPPED.settings
        assert scenario.clauses and set(scenario.clauses) <= known
        assert scenario.situation.strip() and scenario.question.strip() and scenario.explanation.strip()
        assert len(scenario.choices) >= 2 and any(c.correct for c in scenario.choices)
        assert all(c.text for c in scenario.choices)
        assert len(scenario.hash()) == 64
    for course in result.content.courses:
        assert COURSE_ID.match(course.id) and course.audience in AUDIENCES
        assert course.lessons and 1 <= course.pass_mark <= 100 and course.quiz.questions >= 1
        assert len(course.hash()) == 64
    for selfcheck in result.content.selfchecks:
        assert len(selfcheck.scale) >= 2 and selfcheck.items
        assert all(selfcheck.band_for(score) for score in range(selfcheck.max_score + 1))
        assert len(selfcheck.hash()) == 64


def check_file(relative: str, data: bytes) -> None:
    with content_tree(relative, data) as root:
        assert_model_or_located_problems(load_tree(root, relative_to=root), root)


EDIT = st.tuples(
    st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "cut", "replace"]),
    st.integers(0, 10_000),  # a line, taken modulo the number of lines
    st.integers(0, 10_000),  # another line, or a column
    NOISE,
)


def edited(relative: str, edits: list[tuple[str, int, int, str]]) -> bytes:
    """A real file after a few careless edits (kept as a list, so that a failure reads clearly)."""
    lines = (PROJECT_ROOT / relative).read_text(encoding="utf-8").split("\n")
    for edit, first, second, noise in edits:
        lines = lines or [""]
        at, other = first % len(lines), second % len(lines)
        if edit == "delete":
            del lines[at]
        elif edit == "duplicate":
            lines.insert(at, lines[other])
        elif edit == "swap":
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "insert":
            column = second % (len(lines[at]) + 1)
            lines[at] = lines[at][:column] + noise + lines[at][column:]
        elif edit == "truncate":
            lines = lines[:at]
        elif edit == "cut":
            lines[at] = lines[at][: second % (len(lines[at]) + 1)]
        else:
            lines[at] = noise
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@PROPERTY
@given(st.text() | MARKUP)
def test_any_text_as_a_bank_file_gives_a_model_or_located_problems(text):
    check_file("quizzes/any.md", text.encode("utf-8", "surrogatepass"))


@PROPERTY
@given(MARKUP | st.text())
def test_any_body_under_valid_front_matter_gives_a_model_or_located_problems(text):
    check_file("quizzes/any.md", (FRONT_MATTER + text).encode("utf-8", "surrogatepass"))


@PROPERTY
@given(YAML | st.text(), st.sampled_from(["---\n", "---\nkind: self-check\n"]))
def test_any_front_matter_gives_a_model_or_located_problems(yaml, start):
    check_file("quizzes/any.md", f"{start}{yaml}\n---\n## 項目\n".encode("utf-8", "surrogatepass"))


@PROPERTY
@given(st.sampled_from(BANKS), st.lists(EDIT, min_size=1, max_size=4))
def test_carelessly_edited_bank_files_give_a_model_or_located_problems(relative, edits):
    check_file(relative, edited(relative, edits))


@PROPERTY
@given(st.sampled_from(COURSE_FILES), st.lists(EDIT, min_size=1, max_size=4))
def test_carelessly_edited_course_files_give_a_model_or_located_problems(relative, edits):
    check_file(relative, edited(relative, edits))


@PROPERTY
@given(st.sampled_from(BANKS + COURSE_FILES), st.integers(0, 100_000), st.binary(min_size=1, max_size=16))
def test_random_bytes_in_a_real_file_give_problems_with_a_line(relative, offset, noise):
    data = (PROJECT_ROOT / relative).read_bytes()
    at = offset % (len(data) + 1)  # possibly in the middle of a character
    check_file(relative, data[:at] + noise + data[at:])


@PROPERTY
@given(st.binary())
def test_random_bytes_as_a_bank_file_give_problems_with_a_line(data):
    check_file("quizzes/any.md", data)


@PROPERTY
@given(MARKUP | st.text())
def test_any_text_renders_to_safe_html(text):
    html = render_markdown(text + "<script>alert(1)</script>")
    assert "<script" not in html
