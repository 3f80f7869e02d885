"""``elearn content init``: a new organisation's content root, to fill in.

The skeleton (the ``skeleton/`` folder beside this module) holds a policy template, its settings,
one course and one bank. Every part only the organisation can write is marked 【要記入】, and the
checker reports each mark left, so a skeleton passes ``content check`` once they are all replaced.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .problems import Problems

PLACEHOLDER = "【要記入】"
SKELETON = Path(__file__).with_name("skeleton")


class TargetNotEmpty(Exception):
    """The folder already holds content; nothing was written."""


def check_placeholders(shown: str, text: str, problems: Problems) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if PLACEHOLDER in line:
            problems.error(shown, number, f"{PLACEHOLDER}のところを、この自治体の内容に書き換えてください")


def skeleton_files() -> list[Path]:
    return sorted(p.relative_to(SKELETON) for p in SKELETON.rglob("*") if p.is_file())


def write_skeleton(target: Path) -> list[Path]:
    """Write the skeleton under ``target`` and return the files written (relative to it).

    Refuses (TargetNotEmpty) when any of its folders already exists there: nothing is overwritten.
    """
    taken = [name for name in ("policy", "courses", "quizzes") if (target / name).exists()]
    if taken:
        raise TargetNotEmpty(f"{target} already has {', '.join(taken)}/; nothing was written")
    files = skeleton_files()
    for relative in files:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SKELETON / relative, target / relative)
    return files
