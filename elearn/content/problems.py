"""Problems found in content files, reported as ``path:line: severity: message``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as problems name it: relative to ``base`` (default: the working directory) when under it."""
    try:
        return str(path.resolve().relative_to((base or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class Problems(list[Problem]):
    """A list of problems with helpers for the common cases."""

    def error(self, path: str, line: int, message: str) -> None:
        self.append(Problem(path, line, message, Severity.ERROR))

    def warning(self, path: str, line: int, message: str) -> None:
        self.append(Problem(path, line, message, Severity.WARNING))

    @property
    def error_count(self) -> int:
        """How many errors so far: a parser compares it before and after a part it checks."""
        return sum(p.severity is Severity.ERROR for p in self)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]
