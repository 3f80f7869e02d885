"""SCORM 1.2 export of a synced course version: built from the database, recorded on the audit trail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..content import DrawError
from ..database import transaction
from ..extensions import db
from ..models import AuditAction, Course, CourseVersion, Scenario, ScenarioVersion
from ..scorm import PackageChoice, PackageCourse, PackageLesson, PackageScenario, ScormPackage, build_package
from .audit import Actor, record
from .catalog import current_versions
from .policy import current_policy_version, policy_of


class ScormExportError(Exception):
    """The package cannot be made; the message is for the user."""


def course_version(key: str, version: int | None) -> CourseVersion:
    """The course's version ``version``, or its current one (None); ScormExportError when there is none."""
    course = db.session.scalar(select(Course).where(Course.key == key))
    if course is None:
        raise ScormExportError(f"コース {key} は同期されていません（elearn content sync）")
    if version is None:
        return course.current
    found = db.session.scalar(
        select(CourseVersion).where(CourseVersion.course_id == course.id, CourseVersion.version == version)
    )
    if found is None:
        raise ScormExportError(f"コース {key} に第{version}版はありません")
    return found


def package_course(version: CourseVersion) -> PackageCourse:
    return PackageCourse(
        key=version.course.key,
        version=version.version,
        title=version.title,
        summary=version.summary,
        intro_html=version.intro_html,
        pass_mark=version.pass_mark,
        quiz_rules=dict(version.quiz_rules),
        lessons=tuple(PackageLesson(lesson.slug, lesson.title, lesson.html) for lesson in version.lessons),
        created_at=version.created_at,
        review=version.review,
        completion=version.completion,
        quiz_after_lessons=version.quiz_after_lessons,
    )


def package_bank() -> list[PackageScenario]:
    """The live scenarios' current versions, in key order: the bank a quiz in the app draws from."""
    query = current_versions(Scenario, ScenarioVersion, ScenarioVersion.scenario_id).options(
        selectinload(ScenarioVersion.choices)
    )
    return [
        PackageScenario(
            id=scenario.key,
            title=v.title,
            category=v.category,
            perspective=v.perspective,
            clauses=tuple(v.clauses),
            multiple=v.multiple,
            situation_html=v.situation_html,
            question_html=v.question_html,
            explanation_html=v.explanation_html,
            choices=tuple(PackageChoice(c.text_html, c.correct, c.feedback_html) for c in v.choices),
        )
        for scenario, v in db.session.execute(query)
    ]


def export_scorm(actor: Actor, key: str, version: int | None = None) -> ScormPackage:
    """The SCORM 1.2 package of a course version (current when None), recorded as an export."""
    found = course_version(key, version)
    try:
        package = build_package(package_course(found), package_bank(), policy_of(current_policy_version()))
    except DrawError as exc:
        raise ScormExportError(f"確認テストの問題を用意できません: {exc}") from exc
    verb = "書き出しました" if actor.at_command_line else "ダウンロードしました"
    with transaction():
        record(
            actor,
            AuditAction.EXPORT,
            f"コース「{found.title}」第{found.version}版の SCORM 1.2 パッケージを{verb}",
            format="scorm12",
            course=key,
            version=found.version,
        )
    return package
