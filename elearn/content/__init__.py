"""Training content: Markdown courses, scenario banks and self-checks, parsed and checked.

Plain Python: no Flask, no SQLAlchemy. The CLI, the web app's sync and preview, and
the tests all call into this package.
"""

from .draw import DrawError, draw, eligible
from .loader import LoadResult, check, load, load_tree, stats
from .model import Choice, ContentSet, Course, Lesson, QuizRules, Scenario, SelfCheck
from .policy import Clause, Policy, clause_anchor, clause_ids, load_policy
from .problems import Problem, Problems, Severity
from .render import render_markdown

__all__ = [
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
    "SelfCheck",
    "Severity",
    "check",
    "clause_anchor",
    "clause_ids",
    "draw",
    "eligible",
    "load",
    "load_policy",
    "load_tree",
    "render_markdown",
    "stats",
]
