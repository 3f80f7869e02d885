"""Training content: Markdown courses, scenario banks and self-checks, parsed and checked.

Plain Python: no Flask, no SQLAlchemy. The CLI, the web app's sync and preview, and
the tests all call into this package.
"""

from .courses import COURSE_FILE, parse_lesson, read_text
from .documents import Choice, ContentSet, Course, Lesson, QuizRules, Scenario, SelfCheck
from .draw import DrawError, draw, eligible
from .frontmatter import source_lines, split_front_matter
from .loader import LoadResult, check, display_path, load, load_text, load_tree, stats
from .policy import Clause, Policy, clause_anchor, clause_ids, load_policy
from .problems import Problem, Problems, Severity
from .render import POLICY_URL, lesson_link, relink, render_content, render_markdown
from .scenarios import ScenarioSource, scenario_sources

__all__ = [
    "COURSE_FILE",
    "POLICY_URL",
    "Choice",
    "Clause",
    "ContentSet",
    "Course",
    "DrawError",
    "Lesson",
    "LoadResult",
    "Policy",
    "Problem",
    "Problems",
    "QuizRules",
    "Scenario",
    "ScenarioSource",
    "SelfCheck",
    "Severity",
    "check",
    "clause_anchor",
    "clause_ids",
    "display_path",
    "draw",
    "eligible",
    "lesson_link",
    "load",
    "load_policy",
    "load_text",
    "load_tree",
    "parse_lesson",
    "read_text",
    "relink",
    "render_content",
    "render_markdown",
    "scenario_sources",
    "source_lines",
    "split_front_matter",
    "stats",
]
