"""elearn content history / rollback: the versions of a synced item and republishing an older one, for
cities that keep their content in git (the same service as the history pages on /author/)."""

from __future__ import annotations

import click

from ..fiscal import format_datetime
from ..services.audit import Actor
from ..services.content_history import (
    KINDS,
    RollbackRefused,
    item_history,
    rollback,
    synced_keys,
    version_diff,
)

KIND_OPTION = click.option(
    "--kind",
    type=click.Choice(sorted(KINDS)),
    help="What KEY names; needed only when a course, scenario or self-check share the key.",
)


def _kind_of(key: str, kind: str | None) -> str:
    """The kind of the synced item KEY: as given, or the only kind that has it."""
    if kind is not None:
        return kind
    kinds = [code for code in sorted(KINDS) if key in synced_keys(code)]
    if not kinds:
        raise click.ClickException(f"no synced course, scenario or self-check has the key {key}")
    if len(kinds) > 1:
        raise click.ClickException(f"{key} is a {' and a '.join(kinds)}: choose one with --kind")
    return kinds[0]


@click.command("history")
@click.argument("key")
@KIND_OPTION
@click.option(
    "--diff", "versions", type=int, nargs=2, metavar="OLD NEW", help="Show what changed from OLD to NEW."
)
def history_command(key: str, kind: str | None, versions: tuple[int, int] | None) -> None:
    """The versions of a synced item, newest first: when, how and by whom each was published."""
    kind = _kind_of(key, kind)
    found = item_history(kind, key)
    if found is None:
        raise click.ClickException(f"no {kind} {key}")
    state = "retired" if found.retired else "live"
    click.echo(f"{kind} {key} ({state}): {len(found.versions)} version(s)")
    for v in found.versions:
        who = v.publisher or "command line"
        draft = " draft" if v.draft else ""
        click.echo(
            f"v{v.number}  {format_datetime(v.published_at)}  {v.origin}  {who}  {v.content_hash[:12]}{draft}"
        )
    if versions:
        _echo_diff(kind, key, *versions)


def _echo_diff(kind: str, key: str, old: int, new: int) -> None:
    diff = version_diff(kind, key, old, new)
    if diff is None:
        raise click.ClickException(f"{kind} {key} has no version {old} or {new}")
    change = diff.change
    click.echo(f"v{old} → v{new}:")
    if diff.empty:
        click.echo("  the same for learners")
    lines = [f"  {setting}" for setting in change.settings] + [f"  lesson {line}" for line in change.lessons]
    for line in [*lines, *(text for text in (change.diff, *change.lesson_diffs.values()) if text)]:
        click.echo(line)


@click.command("rollback")
@click.argument("key")
@click.option("--to", "number", type=int, required=True, help="The version to publish again.")
@KIND_OPTION
def rollback_command(key: str, number: int, kind: str | None) -> None:
    """Publish version N of a synced item again, as a new version (recorded on the audit trail)."""
    kind = _kind_of(key, kind)
    try:
        done = rollback(Actor.command_line(), kind, key, number)
    except RollbackRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"{kind} {key}: version {done.from_version} published again as version {done.new_version}")
