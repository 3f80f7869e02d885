"""The package's runtime script run under Node, and the seeded shuffle it shares with Python for tests."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import MutableSequence
from pathlib import Path
from typing import Any

import pytest

from elearn.scorm.builder import HERE, SCRIPT

RUNTIME = HERE / "static" / SCRIPT
DRIVER = Path(__file__).with_name("driver.js")
MASK = 0xFFFFFFFF


def node(op: str, **request: Any) -> Any:
    """The runtime's answer to one request (skipped where Node is missing)."""
    executable = shutil.which("node")
    if executable is None:
        pytest.skip("node is missing (apt-get install nodejs)")
    completed = subprocess.run(
        [executable, str(DRIVER), str(RUNTIME)],
        input=json.dumps({"op": op, **request}, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(completed.stdout)


class SeededShuffle(random.Random):
    """Shuffles as the runtime's seededRng does (mulberry32, Fisher-Yates), so that a Python draw and a
    browser draw with the same seed must pick the same scenarios in the same order."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.state = seed & MASK

    def _next(self) -> int:
        self.state = (self.state + 0x6D2B79F5) & MASK
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & MASK
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & MASK)) & MASK
        return (t ^ (t >> 14)) & MASK

    def shuffle(self, x: MutableSequence[Any]) -> None:  # type: ignore[override]
        for i in range(len(x) - 1, 0, -1):
            j = self._next() % (i + 1)
            x[i], x[j] = x[j], x[i]
