"""Item analysis for trainers and HR: how each scenario version fared, and self-check aggregates.

Only submitted attempts count. Self-check answers are private: they are shown only as counts
per answer, from snapshots per department of at least ``MIN_GROUP`` respondents that advance by at
least ``MIN_GROUP`` respondents at a time (see selfcheck_groups).
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

    @property
    def suppressed(self) -> bool:
        """Fewer than MIN_GROUP answers: how they were answered would tell on the few who answered."""
        return self.answered < MIN_GROUP

    def as_tuple(self) -> tuple:
        results = (self.correct, round(self.percent_correct, 1), self.top_wrong, self.top_wrong_count)
        return (
            self.scenario_key,
            self.version,
            self.title,
            self.category,
            self.answered,
            *(("",) * len(results) if self.suppressed else results),
        )


# Hidden results must not show through the order either: suppressed versions sort as lowest.
_SORT_KEYS = {
    ItemSort.SCENARIO: lambda s: (s.scenario_key, s.version),
    ItemSort.ANSWERED: lambda s: (s.answered, s.scenario_key, s.version),
    ItemSort.CORRECT: lambda s: (-1 if s.suppressed else s.percent_correct, s.scenario_key, s.version),
    ItemSort.WRONG: lambda s: (-1 if s.suppressed else s.top_wrong_count, s.scenario_key, s.version),
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
        .where(
            Attempt.submitted_at.is_not(None),
            Attempt.trial.is_(False),  # a trainer trying the course is not evidence about a question
            AttemptQuestion.correct.is_not(None),
        )
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
    """A self-check version's published answers for a group (the whole organisation or one department)."""

    title: str
    version: int
    group: str
    respondents: int  # counted in the published snapshot
    waiting: int  # answered since, not yet counted
    scale: list[str]
    items: list[SelfCheckItem] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.respondents < MIN_GROUP


@dataclass
class _Snapshot:
    """One department's answers to one self-check version as published: it advances only when
    MIN_GROUP employees have answered since it last did, so that no difference between two readings
    is fewer than MIN_GROUP people's answers; until the first advance it holds nobody."""

    published: dict[int, int] = field(default_factory=dict)  # employee -> their latest response counted
    since: dict[int, int] = field(default_factory=dict)  # employee -> their latest response not yet counted

    def add(self, employee_id: int, response_id: int) -> None:
        """Responses must come in the order they were recorded."""
        self.since[employee_id] = response_id
        if len(self.since) >= MIN_GROUP:
            self.published.update(self.since)
            self.since = {}


def _snapshots() -> dict[tuple[int, int], _Snapshot]:
    """Per (self-check version, department answered in): the published snapshot, derived from the
    responses themselves (which are never changed or deleted), so every process publishes the same."""
    snapshots: dict[tuple[int, int], _Snapshot] = defaultdict(_Snapshot)
    rows = db.session.execute(
        select(
            SelfCheckResponse.selfcheck_version_id,
            SelfCheckResponse.department_id,
            SelfCheckResponse.employee_id,
            SelfCheckResponse.id,
        ).order_by(SelfCheckResponse.id)
    )
    for version_id, department_id, employee_id, response_id in rows:
        snapshots[version_id, department_id].add(employee_id, response_id)
    return snapshots


def selfcheck_groups(by_department: bool = False) -> list[SelfCheckGroup]:
    """The self-check aggregates as published: per department snapshots (see _Snapshot), each at least
    MIN_GROUP respondents or empty, and the whole organisation as their sum. Every figure shown is
    thus a sum of whole snapshots: no subtraction, over time or of shown groups from a total, isolates
    fewer than MIN_GROUP people. Each respondent is counted once per department, with their latest
    response in the snapshot."""
    snapshots = _snapshots()
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    versions = {
        v.id: (v, key)
        for v, key in db.session.execute(
            select(SelfCheckVersion, SelfCheck.key).join(
                SelfCheck, SelfCheck.id == SelfCheckVersion.selfcheck_id
            )
        )
    }
    groups: dict[tuple[int, str], SelfCheckGroup] = {}
    counted: dict[int, tuple[int, str]] = {}  # response id -> the group it is counted in
    for (version_id, department_id), snapshot in snapshots.items():
        version = versions[version_id][0]
        name = names[department_id] if by_department else WHOLE
        group = groups.get((version_id, name))
        if group is None:
            group = groups[version_id, name] = SelfCheckGroup(
                version.title, version.version, name, 0, 0, list(version.scale)
            )
        group.respondents += len(snapshot.published)
        group.waiting += len(snapshot.since)
        counted.update(dict.fromkeys(snapshot.published.values(), (version_id, name)))
    for (version_id, _name), group in groups.items():
        if not group.suppressed:
            group.items = [
                SelfCheckItem(i, text, [0] * len(group.scale)) for i, text in versions[version_id][0].items
            ]
    _count_answers(groups, counted)
    return [groups[key] for key in sorted(groups, key=lambda key: (versions[key[0]][1], key))]


def _count_answers(
    groups: dict[tuple[int, str], SelfCheckGroup], counted: dict[int, tuple[int, str]]
) -> None:
    """Tally the answers of the responses in the published snapshots, and of no other response."""
    if not counted:
        return
    query = select(SelfCheckResponse.id, SelfCheckResponse.answers).where(
        SelfCheckResponse.selfcheck_version_id.in_({version_id for version_id, _ in counted.values()})
    )
    for response_id, answers in db.session.execute(query.execution_options(yield_per=1000)):
        key = counted.get(response_id)
        if key is None:
            continue
        for item in groups[key].items:
            answer = answers.get(item.item_id)
            if answer is not None and 0 <= answer < len(item.counts):
                item.counts[answer] += 1
