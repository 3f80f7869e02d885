"""The private self-check: rated statements, a score and guidance, no pass or fail.

Answers belong to the employee alone; other roles only ever see aggregates.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from ..extensions import db
from ..models import Employee, SelfCheck, SelfCheckResponse, SelfCheckVersion
from .catalog import current_versions


class SelfCheckError(ValueError):
    pass


def active_selfchecks() -> list[tuple[SelfCheck, SelfCheckVersion]]:
    rows = db.session.execute(current_versions(SelfCheck, SelfCheckVersion, SelfCheckVersion.selfcheck_id))
    return [(selfcheck, version) for selfcheck, version in rows]


def current_version(key: str) -> SelfCheckVersion | None:
    return next((v for s, v in active_selfchecks() if s.key == key), None)


def record_response(
    employee: Employee, version: SelfCheckVersion, answers: Mapping[str, int]
) -> SelfCheckResponse:
    """Store a complete set of answers (item id -> scale index) with its score."""
    item_ids = [item_id for item_id, _ in version.items]
    if set(answers) != set(item_ids):
        raise SelfCheckError("すべての項目に答えてください。")
    if any(not 0 <= answers[i] < len(version.scale) for i in item_ids):
        raise SelfCheckError("回答が正しくありません。")
    response = SelfCheckResponse(
        employee_id=employee.id,
        department_id=employee.department_id,
        selfcheck_version_id=version.id,
        answers={i: answers[i] for i in item_ids},
        score=sum(answers[i] for i in item_ids),
    )
    db.session.add(response)
    db.session.commit()
    return response


def my_responses(employee: Employee) -> list[SelfCheckResponse]:
    return list(
        db.session.scalars(
            select(SelfCheckResponse)
            .where(SelfCheckResponse.employee_id == employee.id)
            .order_by(SelfCheckResponse.submitted_at.desc())
        )
    )
