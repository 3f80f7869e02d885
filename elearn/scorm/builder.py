"""The package's files: launch page, policy page, script, CSS and manifest, zipped."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..content import Policy, clause_anchor
from .course import PackageCourse, PackageScenario
from .links import POLICY_PAGE, lesson_view, packaged_html
from .manifest import LAUNCH_PAGE, manifest_xml
from .plan import draw_plan

HERE = Path(__file__).parent
APP_CSS = HERE.parent / "static" / "css" / "elearn.css"
SCRIPT = "elearn-scorm.js"
# Path in the package -> where its bytes come from; the pages are rendered.
STATIC_FILES = {
    "css/elearn.css": APP_CSS,
    "css/scorm.css": HERE / "static" / "scorm.css",
    SCRIPT: HERE / "static" / SCRIPT,
}

_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["clause_anchor"] = clause_anchor


@dataclass(frozen=True)
class ScormPackage:
    filename: str
    data: bytes


def _plan_json(plan: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/json">: no "<" that could close the element."""
    return json.dumps(plan, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def package_files(course: PackageCourse, bank: Sequence[PackageScenario], policy: Policy) -> dict[str, bytes]:
    """Every file of the package by its path, the manifest first (DrawError when the quiz cannot be drawn)."""
    plan = draw_plan(course, bank)
    slugs = plan["lessons"]
    lessons = [
        {"slug": lesson.slug, "view": lesson_view(lesson.slug), "title": lesson.title,
         "html": packaged_html(lesson.html, slugs)}
        for lesson in course.lessons
    ]  # fmt: skip
    pages = {
        LAUNCH_PAGE: _templates.get_template("index.html").render(
            course=course,
            intro_html=packaged_html(course.intro_html, slugs),
            lessons=lessons,
            plan_json=_plan_json(plan),
            script=SCRIPT,
            policy_page=POLICY_PAGE,
        ),
        POLICY_PAGE: _templates.get_template("policy.html").render(course=course, policy=policy),
    }
    files = {path: text.encode("utf-8") for path, text in pages.items()}
    files.update({path: source.read_bytes() for path, source in STATIC_FILES.items()})
    return {"imsmanifest.xml": manifest_xml(course, list(files)), **files}


def build_package(course: PackageCourse, bank: Sequence[PackageScenario], policy: Policy) -> ScormPackage:
    """The zipped package, its manifest at the root."""
    buffer = io.BytesIO()
    stamp = course.created_at.timetuple()[:6]  # one version, one date: the same bytes for the same content
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in package_files(course, bank, policy).items():
            archive.writestr(zipfile.ZipInfo(path, date_time=stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    return ScormPackage(f"{course.package_id}-scorm12.zip", buffer.getvalue())
