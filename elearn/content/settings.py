"""The content settings (``policy/settings.yml`` under the content root): the organisation, its
policy file, and the vocabulary scenarios are classified by.

A municipality adopts elearn by writing its own settings and policy; nothing of one city is in
the code. The project's own content root (the repository) holds the shipped settings, used when a
content tree has no ``policy/`` of its own (tests' copies of courses, a pasted text).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .frontmatter import _FrontMatterLoader
from .policy import Policy, parse_policy
from .problems import Problem, Problems, display_path
from .skeleton import check_placeholders

SETTINGS_FILE = "policy/settings.yml"
# The repository: its courses/, quizzes/ and policy/ are the shipped content.
DEFAULT_ROOT = Path(__file__).resolve().parents[2]
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):")
_TEXT_KEYS = ("organisation", "site_title", "certificate_issuer", "support_contact")
_KNOWN_KEYS = {
    *_TEXT_KEYS,
    "site_title_en",
    "policy",
    "categories",
    "perspectives",
    "settings",
    "difficulties",
    "coverage",
}


@dataclass(frozen=True)
class Perspective:
    code: str
    label: str
    clause: str | None = None  # the clause a scenario of this perspective should cite


@dataclass(frozen=True)
class Coverage:
    """What a complete scenario bank has: tests/content/test_bank_coverage.py checks the shipped one."""

    scenarios_per_category: int = 4
    citations_per_clause: int = 2


@dataclass(frozen=True)
class ContentSettings:
    organisation: str
    site_title: str
    certificate_issuer: str
    support_contact: str
    policy_title: str
    policy_date: str
    policy: Policy
    categories: dict[str, str | None]  # name -> the clause it illustrates (None: not harassment)
    perspectives: dict[str, Perspective]
    settings: tuple[str, ...]  # 場面
    difficulties: tuple[str, ...]
    coverage: Coverage = field(default_factory=Coverage)
    site_title_en: str = ""  # the title on English pages; the Japanese one when not given
    files: tuple[str, ...] = ()  # the settings and policy files as problems name them
    notes: tuple[Problem, ...] = ()  # problems of these files that leave the settings usable
    policy_source: str = ""  # the policy's Markdown as written, stored with each policy version
    digest: str = ""  # of the settings and policy files: equal files, equal digest

    def clause_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.policy.clauses)

    def perspective_labels(self) -> dict[str, str]:
        return {code: p.label for code, p in self.perspectives.items()}


class SettingsInvalid(Exception):
    """The settings or the policy file cannot be used; ``problems`` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def find_root(paths: Iterable[Path], default: Path = DEFAULT_ROOT) -> Path:
    """The content root of ``paths``: the nearest folder at or above them holding ``policy/settings.yml``."""
    for path in paths:
        for folder in [path.resolve(), *path.resolve().parents]:
            if (folder / SETTINGS_FILE).is_file():
                return folder
    return default


def settings_of(root: Path, *, relative_to: Path | None = None) -> ContentSettings:
    """The settings of the content under ``root`` (the shipped ones when it has none).

    Raises SettingsInvalid with ``path:line`` problems when the files cannot be used.
    """
    if not (root / SETTINGS_FILE).is_file():
        root = DEFAULT_ROOT
    settings_path = root / SETTINGS_FILE
    shown = display_path(settings_path, relative_to)
    problems = Problems()
    settings_text = _read(settings_path, shown, problems)
    if settings_text is None:
        raise SettingsInvalid(problems)
    policy_name = _policy_file_name(settings_text)
    policy_path = settings_path.parent / policy_name
    policy_shown = display_path(policy_path, relative_to)
    policy_text = _read(policy_path, policy_shown, problems) if policy_name else ""
    if problems:
        raise SettingsInvalid(problems)
    return _parse(shown, settings_text, policy_shown, policy_text or "")


def _read(path: Path, shown: str, problems: Problems) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.error(shown, 1, "UTF-8 として読めません（文字コードを UTF-8 にしてください）")
    except OSError as exc:
        problems.error(shown, 1, f"ファイルを読めません: {exc.strerror}")
    return None


def policy_file_of(settings_text: str) -> str:
    """The policy file a settings text names (relative to policy/); empty when it names none."""
    return _policy_file_name(settings_text)


@lru_cache(maxsize=16)
def _policy_file_name(settings_text: str) -> str:
    try:
        raw = yaml.load(settings_text, Loader=_FrontMatterLoader)
    except (yaml.YAMLError, RecursionError):
        return ""
    policy = raw.get("policy") if isinstance(raw, dict) else None
    name = policy.get("file") if isinstance(policy, dict) else None
    # Only a file beside settings.yml: a settings file does not reach elsewhere on the disk.
    return name if isinstance(name, str) and re.fullmatch(r"[^/\\]+\.md", name) else ""


@lru_cache(maxsize=16)
def _parse(shown: str, settings_text: str, policy_shown: str, policy_text: str) -> ContentSettings:
    # Cached by the files' text: the same text gives the same objects, so renderers kept per
    # policy are reused rather than built again for every load.
    problems = Problems()
    raw, lines = _load_yaml(shown, settings_text, problems)
    if raw is None:
        raise SettingsInvalid(problems)
    # A placeholder left is an error to report, not one that stops the rest being checked.
    notes = Problems()
    check_placeholders(shown, settings_text, notes)
    check_placeholders(policy_shown, policy_text, notes)
    reader = _Reader(shown, raw, lines, problems)
    policy_meta = reader.mapping("policy")
    if not _policy_file_name(settings_text):
        reader.error(
            "policy",
            "policy.file に基本方針のファイル名（settings.yml と同じフォルダの .md）を書いてください",
        )
    policy = parse_policy(policy_text, policy_shown, problems)
    known = {c.id for c in policy.clauses}
    settings = ContentSettings(
        **{key: reader.text(key) for key in _TEXT_KEYS},
        policy_title=str(policy_meta.get("title") or policy.title),
        policy_date=str(policy_meta.get("date") or ""),
        policy=policy,
        categories=reader.categories(known),
        perspectives=reader.perspectives(known),
        settings=reader.names("settings"),
        difficulties=reader.names("difficulties"),
        coverage=reader.coverage(),
        site_title_en=str(raw.get("site_title_en") or "").strip(),
        files=(shown, policy_shown),
        notes=tuple(notes),
        policy_source=policy_text,
        digest=hashlib.sha256(f"{settings_text}\0{policy_text}".encode()).hexdigest(),
    )
    if problems.errors:
        raise SettingsInvalid(sorted(problems))
    return settings


def _load_yaml(shown: str, text: str, problems: Problems) -> tuple[dict | None, dict[str, int]]:
    try:
        raw = yaml.load(text, Loader=_FrontMatterLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or "YAML として読めません"
        problems.error(shown, mark.line + 1 if mark else 1, f"設定の書き方が正しくありません: {problem}")
        return None, {}
    except RecursionError:
        problems.error(shown, 1, "設定の書き方が正しくありません: 入れ子が深すぎます")
        return None, {}
    if not isinstance(raw, dict):
        problems.error(shown, 1, "設定は「項目: 値」の形で書いてください")
        return None, {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _TOP_KEY.match(line):
            lines.setdefault(match.group(1), number)
    return raw, lines


@dataclass
class _Reader:
    """Reads the top-level keys of settings.yml, recording a problem at the key's line for each bad one."""

    path: str
    raw: dict[str, Any]
    lines: dict[str, int]
    problems: Problems

    def __post_init__(self) -> None:
        for key in self.raw:
            if key not in _KNOWN_KEYS:
                self.problems.warning(self.path, self.lines.get(str(key), 1), f"不明な項目です: {key}")

    def error(self, key: str, message: str) -> None:
        self.problems.error(self.path, self.lines.get(key, 1), message)

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"{key} を文字で書いてください")
            return ""
        return value.strip()

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.raw.get(key)
        if not isinstance(value, dict):
            self.error(key, f"{key} は「項目: 値」の形で書いてください")
            return {}
        return value

    def _items(self, key: str) -> list[Any]:
        value = self.raw.get(key)
        if not isinstance(value, list) or not value:
            self.error(key, f"{key} は一覧（- …）で書いてください")
            return []
        return value

    def names(self, key: str) -> tuple[str, ...]:
        names: list[str] = []
        for item in self._items(key):
            if not isinstance(item, str | int) or not str(item).strip():
                self.error(key, f"{key} の値は文字で書いてください: {item!r}")
            elif str(item) in names:
                self.error(key, f"{key} の {item} が重複しています")
            else:
                names.append(str(item).strip())
        return tuple(names)

    def _clause(self, key: str, item: dict[str, Any], known: set[str]) -> str | None:
        clause = item.get("clause")
        if clause is None:
            return None
        if str(clause) not in known:
            self.error(key, f"{key} の不明な条項です: {clause}（基本方針にありません）")
        return str(clause)

    def categories(self, known: set[str]) -> dict[str, str | None]:
        categories: dict[str, str | None] = {}
        for item in self._items("categories"):
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str) or not name.strip():
                self.error("categories", "categories の各項目に name（分類の名前）を書いてください")
            elif name in categories:
                self.error("categories", f"分類 {name} が重複しています")
            else:
                categories[name.strip()] = self._clause("categories", item, known)
        return categories

    def perspectives(self, known: set[str]) -> dict[str, Perspective]:
        perspectives: dict[str, Perspective] = {}
        for item in self._items("perspectives"):
            code = item.get("code") if isinstance(item, dict) else None
            label = item.get("label") if isinstance(item, dict) else None
            if not isinstance(code, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", code):
                self.error("perspectives", "perspectives の code は英小文字・数字・ハイフンで書いてください")
            elif not isinstance(label, str) or not label.strip():
                self.error("perspectives", f"視点 {code} の label（表示名）がありません")
            elif code in perspectives:
                self.error("perspectives", f"視点 {code} が重複しています")
            else:
                perspectives[code] = Perspective(
                    code, label.strip(), self._clause("perspectives", item, known)
                )
        return perspectives

    def coverage(self) -> Coverage:
        raw = self.raw.get("coverage", {})
        if not isinstance(raw, dict):
            self.error("coverage", "coverage は「項目: 件数」の形で書いてください")
            return Coverage()
        values = {}
        for key in ("scenarios_per_category", "citations_per_clause"):
            value = raw.get(key, getattr(Coverage, key))
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                self.error("coverage", f"coverage.{key} は 0 以上の整数にしてください")
            else:
                values[key] = value
        return Coverage(**values)


def default_settings() -> ContentSettings:
    """The shipped settings (the repository's policy/), for text checked without a content root."""
    return settings_of(DEFAULT_ROOT)
