"""elearn content: check, summarise and load the Markdown content."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app

from ..content import check as check_content
from ..content import load_tree, stats
from ..content.skeleton import PLACEHOLDER, TargetNotEmpty, write_skeleton
from ..services.content_diff import ContentDiff, diff_content
from ..services.content_export import export_content
from ..services.sync import ContentInvalid, WebPublishedItems, sync_content
from .content_history import history_command, rollback_command

content_cli = click.Group("content", help="Check, summarise and load the Markdown content.")
content_cli.add_command(history_command)
content_cli.add_command(rollback_command)


def _content_root() -> Path:
    return Path(current_app.config["CONTENT_ROOT"])


@content_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def content_check(paths: tuple[Path, ...]) -> None:
    """Check content files; print each problem as path:line: severity: message."""
    root = _content_root()
    targets = list(paths) or [root / "courses", root / "quizzes"]
    try:
        result = check_content(targets, root)
    except Exception as exc:  # the checker reports problems, never raises; if it ever does, no traceback
        reason = (str(exc).splitlines() or [""])[0]
        raise click.ClickException(f"the checker failed ({type(exc).__name__}: {reason})") from None
    for problem in result.problems:
        click.echo(str(problem))
    errors, warnings = len(result.problems.errors), len(result.problems.warnings)
    click.echo(f"{len(result.files)} files checked: {errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(1 if errors else 0)


@content_cli.command("stats")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def content_stats(fmt: str) -> None:
    """Coverage of the scenario bank: per category, perspective, clause and difficulty."""
    result = load_tree(_content_root())
    if result.settings is None:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("the content settings or the policy have errors")
    summary = stats(result.content, result.settings)
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    click.echo(f"scenarios: {summary['scenarios']}")
    click.echo(f"drafts: {summary['drafts']}")
    for key in ("by_category", "by_perspective", "by_clause", "by_difficulty", "by_setting"):
        click.echo(f"{key}:")
        for name, count in summary[key].items():
            click.echo(f"  {name}: {count}")
    click.echo("answer_cues:")
    for name, value in summary["answer_cues"].items():
        click.echo(f"  {name}: {value}")
    click.echo("coverage_gaps (below policy/settings.yml coverage):")
    for kind, gaps in summary["coverage_gaps"].items():
        click.echo(f"  {kind}: " + (", ".join(f"{name} ({count})" for name, count in gaps.items()) or "none"))


@content_cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def content_init(directory: Path) -> None:
    """Write a new organisation's content (policy, settings, a course, a bank) to fill in."""
    try:
        written = write_skeleton(directory)
    except TargetNotEmpty as exc:
        raise click.ClickException(str(exc)) from None
    for relative in written:
        click.echo(directory / relative)
    click.echo(
        f"Replace every {PLACEHOLDER} with your own text, then run: elearn content check {directory}",
        err=True,
    )


@content_cli.command("sync")
@click.option("--force", is_flag=True, help="Replace items last published on /author/ by the files' version.")
@click.option(
    "--keep-web",
    is_flag=True,
    help="When the files would replace items published on /author/: write nothing, warn, exit 0 (make run).",
)
def content_sync(force: bool, keep_web: bool) -> None:
    """Load courses/ and quizzes/ into the database; on any error nothing changes.

    Items whose latest version was published on /author/ are replaced only with --force.
    """
    root = _content_root()
    try:
        report = sync_content(root, replace_web=force)
    except ContentInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("content has errors; the database was not changed") from None
    except WebPublishedItems as exc:
        _refuse_web_replacement(root, exc.items, keep_web)
        return
    for problem in report.warnings:
        click.echo(str(problem), err=True)
    click.echo(
        f"added {len(report.added)}, updated {len(report.updated)}, "
        f"retired {len(report.retired)}, unchanged {report.unchanged}"
    )


def _refuse_web_replacement(root: Path, items: list[str], keep_web: bool) -> None:
    """Say which web-published items the files would replace, and how, then stop."""
    click.echo("these items were last published on /author/ and the files would replace them:", err=True)
    for item in items:
        click.echo(f"  {item}", err=True)
    for line in diff_lines(diff_content(root)):
        click.echo(line, err=True)
    if keep_web:
        click.echo("warning: nothing was synced; the web-published content stays live", err=True)
        return
    raise click.ClickException(
        "nothing was written; export the live content (elearn content export DIR) to keep it, "
        "or run elearn content sync --force to replace it"
    )


@content_cli.command("diff")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def content_diff(paths: tuple[Path, ...]) -> None:
    """What `content sync` would change against the live content; exit 1 when the files have errors."""
    result = diff_content(_content_root(), paths)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    for line in diff_lines(result):
        click.echo(line)
    sys.exit(1 if result.problems else 0)


def diff_lines(result: ContentDiff) -> list[str]:
    """The diff as the command prints it: one line per change, the Markdown diffs below their item."""
    lines: list[str] = []
    if result.policy_changed:
        lines.append("policy: changed")
    for label, kind in (
        ("scenario", result.scenarios),
        ("course", result.courses),
        ("selfcheck", result.selfchecks),
    ):
        lines += [f"added {label} {key}" for key in kind.added]
        for change in kind.changed:
            lines.append(f"changed {label} {change.key} ({change.path})")
            lines += [f"  {setting}" for setting in change.settings]
            lines += [f"  lesson {lesson}" for lesson in change.lessons]
            lines += [diff for diff in (change.diff, *change.lesson_diffs.values()) if diff]
        lines += [f"retired {label} {key}" for key in kind.retired]
    lines += [f"quiz rules can no longer be satisfied: {why}" for why in result.unsatisfiable]
    if result.empty:
        lines.append("nothing to change")
    return lines


@content_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def content_export(directory: Path) -> None:
    """Write everything live back as Markdown (policy/, courses/, quizzes/) under DIRECTORY."""
    try:
        report = export_content(directory, _content_root())
    except TargetNotEmpty as exc:
        raise click.ClickException(str(exc)) from None
    for relative in report.files:
        click.echo(directory / relative)
    for item in report.unfaithful:
        click.echo(f"warning: does not give the stored version back: {item}", err=True)
    click.echo(
        f"{len(report.files)} files written; check them with: elearn content check {directory}", err=True
    )
