"""Item analysis for trainers and HR: how each scenario version fared, and self-check aggregates.

Only submitted attempts count. Self-check answers are private: they are shown only as counts
per answer for groups of at least ``MIN_GROUP`` respondents.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from markupsafe import Markup
from sqlalchemy import Text, cast, func, select

from ..extensions import db
from ..models import (
    Attempt,
    AttemptQuestion,
    Department,
    Employee,
    Scenario,
    ScenarioChoice,
    ScenarioVersion,
    SelfCheck,
    SelfCheckResponse,
    SelfCheckVersion,
)
from . import audit
from .exports import Export, ExportFormat

MIN_GROUP = 5
WHOLE = "全体"
ITEM_HEADER = (
    "シナリオ",
    "版",
    "題名",
    "分類",
    "回答数",
    "正答数",
    "正答率(%)",
    "最も多い誤答",
    "誤答の選択数",
)


class ItemSort(StrEnum):
    SCENARIO = "scenario"
    ANSWERED = "answered"
    CORRECT = "correct"
    WRONG = "wrong"


@dataclass(frozen=True)
class ItemStats:
    scenario_key: str
    version: int
    title: str
    category: str
    answered: int
    correct: int
    top_wrong: str  # the wrong choice chosen most often ("" when none was)
    top_wrong_count: int

    @property
    def percent_correct(self) -> float:
        return 100 * self.correct / self.answered if self.answered else 0.0

    def as_tuple(self) -> tuple:
        return (
            self.scenario_key,
            self.version,
            self.title,
            self.category,
            self.answered,
            self.correct,
            round(self.percent_correct, 1),
            self.top_wrong,
            self.top_wrong_count,
        )


_SORT_KEYS = {
    ItemSort.SCENARIO: lambda s: (s.scenario_key, s.version),
    ItemSort.ANSWERED: lambda s: (s.answered, s.scenario_key, s.version),
    ItemSort.CORRECT: lambda s: (s.percent_correct, s.scenario_key, s.version),
    ItemSort.WRONG: lambda s: (s.top_wrong_count, s.scenario_key, s.version),
}


def plain_text(html: str) -> str:
    return Markup(html).striptags()


def item_statistics(
    year: int | None = None, sort: ItemSort = ItemSort.SCENARIO, descending: bool = False
) -> list[ItemStats]:
    """Per scenario version with answers: one GROUP BY over the answers, by distinct answer given."""
    selected = cast(AttemptQuestion.selected, Text)
    query = (
        select(AttemptQuestion.scenario_version_id, AttemptQuestion.correct, selected, func.count())
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.submitted_at.is_not(None), AttemptQuestion.correct.is_not(None))
        .group_by(AttemptQuestion.scenario_version_id, AttemptQuestion.correct, selected)
    )
    if year is not None:
        query = query.where(Attempt.fiscal_year == year)
    answered: Counter[int] = Counter()
    correct: Counter[int] = Counter()
    picks: dict[int, Counter[int]] = defaultdict(Counter)  # version -> choice id -> times chosen
    for version_id, right, chosen, count in db.session.execute(query):
        answered[version_id] += count
        if right:
            correct[version_id] += count
        for choice_id in json.loads(chosen) if chosen else ():
            picks[version_id][choice_id] += count
    if not answered:
        return []
    answered_versions = list(answered)  # a few hundred at most: one per scenario version ever drawn
    versions = db.session.execute(
        select(ScenarioVersion, Scenario.key)
        .join(Scenario, Scenario.id == ScenarioVersion.scenario_id)
        .where(ScenarioVersion.id.in_(answered_versions))
    ).all()
    choices = {
        c.id: c
        for c in db.session.scalars(
            select(ScenarioChoice).where(ScenarioChoice.scenario_version_id.in_(answered_versions))
        )
    }
    stats = []
    for version, key in versions:
        wrong = [(n, -choices[c].position, c) for c, n in picks[version.id].items() if not choices[c].correct]
        top = max(wrong, default=None)
        stats.append(
            ItemStats(
                scenario_key=key,
                version=version.version,
                title=version.title,
                category=version.category,
                answered=answered[version.id],
                correct=correct[version.id],
                top_wrong=plain_text(choices[top[2]].text_html) if top else "",
                top_wrong_count=top[0] if top else 0,
            )
        )
    stats.sort(key=_SORT_KEYS[sort], reverse=descending)
    return stats


def export_item_analysis(
    actor: audit.Actor,
    fmt: ExportFormat,
    year: int | None = None,
    sort: ItemSort = ItemSort.SCENARIO,
    descending: bool = False,
) -> Export:
    """The item statistics as a file (ITEM_HEADER), their export recorded on the audit trail first."""
    filters = {"year": year, "sort": sort.value, "order": "desc" if descending else "asc"}
    filters = {key: value for key, value in filters.items() if value is not None}
    audit.record_export(actor, "設問分析", fmt, report="item-analysis", filters=filters)
    rows = [item.as_tuple() for item in item_statistics(year, sort, descending)]
    return Export(fmt, "item-analysis", ITEM_HEADER, rows)


@dataclass
class SelfCheckItem:
    item_id: str
    statement: str
    counts: list[int]  # respondents per answer on the scale


@dataclass
class SelfCheckGroup:
    """A self-check version's answers for a group (the whole organisation or one department)."""

    title: str
    version: int
    group: str
    respondents: int
    scale: list[str]
    items: list[SelfCheckItem] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.respondents < MIN_GROUP


def selfcheck_groups(by_department: bool = False) -> list[SelfCheckGroup]:
    """Each respondent counted once (their latest response). Groups under MIN_GROUP carry no answers."""
    latest = (
        select(func.max(SelfCheckResponse.id))
        .group_by(SelfCheckResponse.employee_id, SelfCheckResponse.selfcheck_version_id)
        .scalar_subquery()
    )
    keys = [SelfCheckResponse.selfcheck_version_id, *([Department.name] if by_department else [])]
    query = (
        select(*keys, func.count())
        .join(Employee, Employee.id == SelfCheckResponse.employee_id)
        .join(Department, Department.id == Employee.department_id)
        .where(SelfCheckResponse.id.in_(latest))
        .group_by(*keys)
    )
    sizes = {(row[0], row[1] if by_department else WHOLE): row[-1] for row in db.session.execute(query)}
    versions = {
        v.id: (v, key)
        for v, key in db.session.execute(
            select(SelfCheckVersion, SelfCheck.key).join(
                SelfCheck, SelfCheck.id == SelfCheckVersion.selfcheck_id
            )
        )
    }
    groups: dict[tuple[int, str], SelfCheckGroup] = {}
    for (version_id, name), size in sorted(sizes.items(), key=lambda kv: (versions[kv[0][0]][1], kv[0])):
        version = versions[version_id][0]
        group = SelfCheckGroup(version.title, version.version, name, size, list(version.scale))
        if not group.suppressed:
            group.items = [SelfCheckItem(i, text, [0] * len(version.scale)) for i, text in version.items]
        groups[version_id, name] = group
    _count_answers(groups, latest, by_department)
    return list(groups.values())


def _count_answers(groups: dict[tuple[int, str], SelfCheckGroup], latest, by_department: bool) -> None:
    """Tally the answers of the groups large enough to show; smaller groups' answers are never read."""
    shown = {key for key, g in groups.items() if not g.suppressed}
    if not shown:
        return
    query = (
        select(SelfCheckResponse.selfcheck_version_id, Department.name, SelfCheckResponse.answers)
        .join(Employee, Employee.id == SelfCheckResponse.employee_id)
        .join(Department, Department.id == Employee.department_id)
        .where(
            SelfCheckResponse.id.in_(latest),
            SelfCheckResponse.selfcheck_version_id.in_({version_id for version_id, _ in shown}),
        )
    )
    for version_id, department, answers in db.session.execute(query.execution_options(yield_per=1000)):
        key = (version_id, department if by_department else WHOLE)
        if key not in shown:
            continue
        for item in groups[key].items:
            answer = answers.get(item.item_id)
            if answer is not None and 0 <= answer < len(item.counts):
                item.counts[answer] += 1
