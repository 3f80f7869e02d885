"""Training content: Markdown courses, scenario banks and self-checks, parsed and checked.

Plain Python: no Flask, no SQLAlchemy. The CLI, the web app's sync and preview, and
the tests all call into this package.
"""

from .courses import COURSE_FILE, parse_lesson, read_text
from .documents import Choice, ContentSet, Course, Lesson, QuizRules, Scenario, SelfCheck
from .draw import DrawError, draw, eligible
from .frontmatter import source_lines, split_front_matter
from .loader import LoadResult, check, load, load_text, load_tree, stats
from .policy import Clause, Policy, clause_anchor, parse_policy, policy_data, policy_from_data
from .problems import Problem, Problems, Severity, display_path
from .render import POLICY_URL, lesson_link, relink, render_content, render_markdown
from .scenarios import ScenarioSource, scenario_sources
from .settings import (
    ContentSettings,
    Perspective,
    SettingsInvalid,
    default_settings,
    find_root,
    settings_of,
)

__all__ = [
    "COURSE_FILE",
    "POLICY_URL",
    "Choice",
    "Clause",
    "ContentSet",
    "ContentSettings",
    "Course",
    "DrawError",
    "Lesson",
    "LoadResult",
    "Perspective",
    "Policy",
    "Problem",
    "Problems",
    "QuizRules",
    "Scenario",
    "ScenarioSource",
    "SelfCheck",
    "SettingsInvalid",
    "Severity",
    "check",
    "clause_anchor",
    "default_settings",
    "display_path",
    "draw",
    "eligible",
    "find_root",
    "lesson_link",
    "load",
    "load_text",
    "load_tree",
    "parse_lesson",
    "parse_policy",
    "policy_data",
    "policy_from_data",
    "read_text",
    "relink",
    "render_content",
    "render_markdown",
    "scenario_sources",
    "settings_of",
    "source_lines",
    "split_front_matter",
    "stats",
]
