"""What the preview pages show: content read from disk (or pasted), checked, rendered as learners see it.

Nothing here touches the database, so content that has not been synced can be previewed.
The checking is the checker's own (``load_tree``, ``load_text``), with paths relative to the
content root; the rendering is sync's own (``render``), so the HTML is what sync would store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..content import (
    COURSE_FILE,
    ContentSettings,
    Course,
    LoadResult,
    Policy,
    Problem,
    Problems,
    Scenario,
    ScenarioSource,
    SelfCheck,
    Severity,
    default_settings,
    display_path,
    load_text,
    load_tree,
    parse_lesson,
    read_text,
    render_content,
    scenario_sources,
    source_lines,
    split_front_matter,
)
from .rendering import RenderedScenario, RenderedSelfCheck

SourceLine = tuple[int, str]  # (line number, text)


# --- problems ----------------------------------------------------------------------------------


@dataclass
class FileStatus:
    """One content file and the checker's messages about it."""

    path: str  # as the checker names it, relative to the content root
    title: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)


def _by_path(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for problem in sorted(problems):
        grouped.setdefault(problem.path, []).append(problem)
    return grouped


def numbered_source(text: str) -> list[SourceLine]:
    return list(enumerate(source_lines(text), start=1))


# --- the content tree --------------------------------------------------------------------------


class ContentTree:
    """The content under one root, checked as a whole, as ``elearn content check`` does."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.result: LoadResult = load_tree(root, relative_to=root)
        self.problems = _by_path(self.result.problems)
        # Unreadable settings are among the problems shown; the pages still render with the shipped ones.
        self.settings = self.result.settings or default_settings()
        self.policy = self.settings.policy

    def shown(self, path: Path) -> str:
        return display_path(path, self.root)

    def status(self, path: Path, title: str) -> FileStatus:
        return FileStatus(self.shown(path), title, self.problems.get(self.shown(path), []))

    # Course folders and quiz files are looked up among those that exist, never by joining a
    # requested name onto the root: a URL cannot reach outside the content folders.

    def course_folders(self) -> dict[str, Path]:
        courses = self.root / "courses"
        if not courses.is_dir():
            return {}
        return {p.name: p for p in sorted(courses.iterdir()) if (p / COURSE_FILE).is_file()}

    def quiz_files(self) -> dict[str, Path]:
        quizzes = self.root / "quizzes"
        return {p.relative_to(quizzes).as_posix(): p for p in sorted(quizzes.rglob("*.md"))}

    def course(self, folder: Path) -> Course | None:
        path = self.shown(folder / COURSE_FILE)
        return next((c for c in self.result.content.courses if c.path == path), None)

    def selfcheck(self, path: Path) -> SelfCheck | None:
        return next((s for s in self.result.content.selfchecks if s.path == self.shown(path)), None)

    def scenarios(self, path: Path) -> list[Scenario]:
        return [s for s in self.result.content.scenarios if s.path == self.shown(path)]


def _front_matter(path: Path) -> dict:
    """The front matter of a file as far as it can be read; its problems are the checker's to report."""
    text = read_text(path, "", Problems())
    doc = split_front_matter("", text, Problems()) if text is not None else None
    return doc.meta if doc is not None else {}


def _title(meta: dict, fallback: str) -> str:
    title = meta.get("title")
    return title.strip() if isinstance(title, str) and title.strip() else fallback


# --- the index -----------------------------------------------------------------------------------


@dataclass
class CourseSummary:
    folder: str
    course: FileStatus
    lessons: list[tuple[str, FileStatus]]  # (slug, status)


@dataclass
class Overview:
    courses: list[CourseSummary]
    banks: list[tuple[str, FileStatus, int]]  # (name under quizzes/, status, scenarios parsed)
    selfchecks: list[tuple[str, FileStatus]]
    others: list[FileStatus]  # problems about anything not listed above
    errors: int
    warnings: int


def overview(root: Path) -> Overview:
    tree = ContentTree(root)
    listed: set[str] = set()
    courses = []
    for name, folder in tree.course_folders().items():
        course = tree.course(folder)
        titles = {lesson.slug: lesson.title for lesson in course.lessons} if course else {}
        lessons = [
            (path.stem, tree.status(path, titles.get(path.stem, path.name)))
            for path in sorted(folder.glob("*.md"))
            if path.name != COURSE_FILE
        ]
        summary = CourseSummary(
            name, tree.status(folder / COURSE_FILE, course.title if course else name), lessons
        )
        courses.append(summary)
        listed.update([summary.course.path, tree.shown(folder), *(s.path for _, s in lessons)])
    banks, selfchecks = [], []
    for name, path in tree.quiz_files().items():
        meta = _front_matter(path)
        status = tree.status(path, _title(meta, name))
        listed.add(status.path)
        if meta.get("kind") == "self-check":
            selfchecks.append((name, status))
        else:
            banks.append((name, status, len(tree.scenarios(path))))
    others = [FileStatus(path, path, found) for path, found in tree.problems.items() if path not in listed]
    problems = tree.result.problems
    return Overview(courses, banks, selfchecks, others, len(problems.errors), len(problems.warnings))


# --- a course and its lessons --------------------------------------------------------------------


@dataclass
class LessonLink:
    slug: str
    title: str


@dataclass
class CoursePreview:
    folder: str
    title: str
    course: Course | None  # None when the checker found errors that stop it being built
    intro_html: str
    lessons: list[LessonLink]
    files: list[FileStatus]  # course.md, then the lessons, with their messages
    source: list[SourceLine]  # course.md as written, shown when the course cannot be built


def _lesson_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if p.name != COURSE_FILE)


def course_preview(root: Path, folder_name: str) -> CoursePreview | None:
    return _course_preview(ContentTree(root), folder_name)


def _course_preview(tree: ContentTree, folder_name: str) -> CoursePreview | None:
    folder = tree.course_folders().get(folder_name)
    if folder is None:
        return None
    course = tree.course(folder)
    paths = _lesson_paths(folder)
    titles = {lesson.slug: lesson.title for lesson in course.lessons} if course else {}
    files = [tree.status(folder / COURSE_FILE, COURSE_FILE)]
    files += [tree.status(path, titles.get(path.stem, path.name)) for path in paths]
    text = read_text(folder / COURSE_FILE, "", Problems()) or ""
    return CoursePreview(
        folder=folder_name,
        title=course.title if course else _title(_front_matter(folder / COURSE_FILE), folder_name),
        course=course,
        intro_html=render_content(course.intro, tree.policy) if course else "",
        lessons=[LessonLink(p.stem, titles.get(p.stem, p.name)) for p in paths],
        files=files,
        source=[] if course else numbered_source(text),
    )


@dataclass
class LessonPreview:
    course: CoursePreview
    slug: str
    title: str
    html: str | None  # None when the lesson has errors that stop it being built
    status: FileStatus
    source: list[SourceLine]
    position: int
    previous: LessonLink | None
    next: LessonLink | None

    @property
    def total(self) -> int:
        return len(self.course.lessons)


def lesson_preview(root: Path, folder_name: str, slug: str) -> LessonPreview | None:
    tree = ContentTree(root)  # checked once: the whole tree's messages, and its settings
    course = _course_preview(tree, folder_name)
    if course is None:
        return None
    slugs = [link.slug for link in course.lessons]
    if slug not in slugs:
        return None
    index = slugs.index(slug)
    path = root / "courses" / folder_name / f"{slug}.md"
    status = course.files[index + 1]
    # Parsed on its own, as the course parser does, so that one broken lesson (or a broken
    # course.md) does not hide the others; the messages are the full check's.
    settings = tree.settings
    lesson = parse_lesson(path, status.path, set(slugs), Problems(), settings)
    text = read_text(path, "", Problems()) or ""
    return LessonPreview(
        course=course,
        slug=slug,
        title=lesson.title if lesson else course.lessons[index].title,
        html=render_content(lesson.body, settings.policy) if lesson else None,
        status=status,
        source=numbered_source(text),
        position=index + 1,
        previous=course.lessons[index - 1] if index > 0 else None,
        next=course.lessons[index + 1] if index + 1 < len(slugs) else None,
    )


# --- scenario bank files ---------------------------------------------------------------------


@dataclass
class ScenarioPreview:
    """One ``## `` block of a bank file: rendered when it parses, its source lines in any case."""

    title: str
    source: list[SourceLine]
    problems: list[Problem]
    scenario: RenderedScenario | None

    @property
    def first_line(self) -> int:
        return self.source[0][0]

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)


@dataclass
class BankPreview:
    status: FileStatus  # every message about the file
    file_problems: list[Problem]  # those outside any scenario (front matter, file as a whole)
    preamble: list[SourceLine]  # the lines before the first scenario
    scenarios: list[ScenarioPreview]
    is_bank: bool = True  # False for pasted text that says it is something else


def bank_preview(
    text: str,
    status: FileStatus,
    parsed: Iterable[Scenario],
    is_bank: bool = True,
    policy: Policy | None = None,
) -> BankPreview:
    """Lay the checker's messages beside each scenario of a bank file, by line."""
    by_line = {s.line: s for s in parsed}
    sources: list[ScenarioSource] = scenario_sources(text) if is_bank else []
    lines = numbered_source(text)
    first = sources[0].first if sources else len(lines) + 1
    file_problems = []
    found: dict[int, list[Problem]] = {source.first: [] for source in sources}
    for problem in status.problems:
        owner = next((s for s in sources if s.first <= problem.line <= s.last), None)
        (found[owner.first] if owner else file_problems).append(problem)
    scenarios = [
        ScenarioPreview(
            title=source.title,
            source=[(line.number, line.text) for line in source.lines],
            problems=found[source.first],
            scenario=RenderedScenario.of(by_line[source.first], policy) if source.first in by_line else None,
        )
        for source in sources
    ]
    return BankPreview(status, file_problems, lines[: first - 1], scenarios, is_bank)


@dataclass
class QuizFilePreview:
    name: str
    kind: str  # "scenarios" or "self-check" (as far as the front matter tells)
    bank: BankPreview | None
    selfcheck: RenderedSelfCheck | None
    status: FileStatus
    source: list[SourceLine]


def quiz_file_preview(root: Path, name: str) -> QuizFilePreview | None:
    tree = ContentTree(root)
    path = tree.quiz_files().get(name)
    if path is None:
        return None
    meta = _front_matter(path)
    status = tree.status(path, _title(meta, name))
    text = read_text(path, "", Problems())
    if text is None:  # not UTF-8: the messages say where
        return QuizFilePreview(name, "scenarios", None, None, status, [])
    if meta.get("kind") == "self-check":
        selfcheck = tree.selfcheck(path)
        rendered = RenderedSelfCheck.of(selfcheck, tree.policy) if selfcheck else None
        return QuizFilePreview(name, "self-check", None, rendered, status, numbered_source(text))
    bank = bank_preview(text, status, tree.scenarios(path), policy=tree.policy)
    return QuizFilePreview(name, "scenarios", bank, None, status, numbered_source(text))


def pasted_bank_preview(text: str, path: str, settings: ContentSettings | None = None) -> BankPreview:
    """Check pasted Markdown by the checker's rules and ``settings`` as the file ``path``; stores nothing."""
    result = load_text(text, path, settings)
    doc = split_front_matter(path, text, Problems())
    meta = doc.meta if doc else {}
    status = FileStatus(path, _title(meta, path), list(result.problems))
    # "## " headings of a self-check are its sections, not scenarios; a broken front matter
    # does not say, so the text is taken for the bank the form asks for.
    return bank_preview(
        text,
        status,
        result.content.scenarios,
        is_bank=doc is None or meta.get("kind") == "scenarios",
        policy=result.settings.policy if result.settings else None,
    )
