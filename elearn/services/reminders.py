"""Sending reminders: who is due for which rule, claimed in the database, then sent over one SMTP session.

Exactly once per assignment and rule: a mail is a row with a unique (assignment, rule key), inserted
(claimed) before the SMTP conversation. Two runs at once insert the same row once; the loser's insert
does nothing. A run holds its rows by a random claim token while it sends; a run that died holding
rows leaves them ``queued``, and the next run takes them over once the claim is CLAIM_MINUTES old.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..database import utcnow
from ..extensions import db
from ..fiscal import era_date, local_date
from ..models import Assignment, Department, Employee, MailKind, MailState, MailTemplate, ReminderMail
from .deadlines import japan_today, remindable_condition
from .mail_templates import DEFAULTS, Template
from .mailer import MailRefused, MailServerDown, OutgoingMail, SmtpSettings, build_message
from .outbox import Sender
from .progress import Status
from .reminder_rules import Reminder, Rules, rules_for
from .reports import ReportFilter, assignments_query, course_titles, started_condition

BATCH = 500
MAX_TRIES = 3
CLAIM_MINUTES = 30


@dataclass(frozen=True)
class Target:
    """An unfinished assignment, with what its mail needs."""

    assignment_id: int
    employee_id: int
    employee_no: str
    name: str
    email: str | None
    department: str
    course_id: int
    due_date: date | None
    assigned_at: datetime
    started: bool

    @property
    def status(self) -> Status:
        return Status.IN_PROGRESS if self.started else Status.NOT_STARTED


@dataclass
class RunResult:
    """What a run did, counted; ``planned`` lists who would get what (dry runs)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    no_address: int = 0
    already: int = 0  # manual sends: reminded by hand today already
    queued: int = 0  # left for the next run
    server_down: str | None = None
    planned: list[tuple[Target, Reminder]] = field(default_factory=list)


def targets_query(report: ReportFilter) -> Select:
    """The report's unfinished assignments (whatever status it asks for, only these are reminded)."""
    return (
        assignments_query(
            report,
            Assignment.id,
            Assignment.employee_id,
            Employee.employee_no,
            Employee.name,
            Employee.email,
            Department.name,
            Assignment.course_id,
            Assignment.due_date,
            Assignment.assigned_at,
            started_condition(report.year),
        )
        .join(Department, Department.id == Employee.department_id)
        .where(remindable_condition())
    )


def targets(report: ReportFilter, after_id: int = 0, limit: int | None = None) -> list[Target]:
    query = targets_query(report).where(Assignment.id > after_id).order_by(Assignment.id).limit(limit)
    return [Target(*row) for row in db.session.execute(query)]


def target_batches(report: ReportFilter) -> Iterator[list[Target]]:
    """Every target in batches by assignment id: memory stays flat, and commits between batches are safe."""
    after = 0
    while batch := targets(report, after, BATCH):
        yield batch
        after = batch[-1].assignment_id


def has_address(target: Target) -> bool:
    return bool(target.email and target.email.strip())


def recorded_keys(assignment_ids: list[int]) -> set[tuple[int, str]]:
    rows = db.session.execute(
        select(ReminderMail.assignment_id, ReminderMail.rule_key).where(
            ReminderMail.assignment_id.in_(assignment_ids)
        )
    )
    return {(a, k) for a, k in rows}


def plan(target: Target, rules: Rules, today: date, recorded: set[tuple[int, str]]):
    """The reminder to send now (or None) and the earlier ones to record as skipped: only the latest
    of the reminders that have come due is sent, so nobody gets three mails in one morning."""
    due = rules.due(local_date(target.assigned_at), target.due_date, today)
    if not due:
        return None, []
    *earlier, latest = due
    skipped = [r for r in earlier if (target.assignment_id, r.key) not in recorded]
    return (None if (target.assignment_id, latest.key) in recorded else latest), skipped


class Templates:
    """Template versions as used by one run: the current one for new rows, the recorded one for retries."""

    def __init__(self) -> None:
        self.versions: dict[tuple[str, int], Template] = {}
        self.current: dict[MailKind, int] = {}

    def latest(self, kind: MailKind) -> int:
        if kind not in self.current:
            version = db.session.scalar(
                select(MailTemplate.version)
                .where(MailTemplate.kind == kind.value)
                .order_by(MailTemplate.version.desc())
                .limit(1)
            )
            self.current[kind] = version or 0
        return self.current[kind]

    def get(self, kind: MailKind, version: int) -> Template:
        key = (kind.value, version)
        if key not in self.versions:
            row = db.session.scalar(
                select(MailTemplate).where(MailTemplate.kind == kind.value, MailTemplate.version == version)
            )
            subject, body = (row.subject, row.body) if row is not None else DEFAULTS[kind]
            self.versions[key] = Template(kind, version, subject, body)
        return self.versions[key]


def mail_values(target: Target, course: str, settings: SmtpSettings) -> dict[str, str]:
    return {
        "氏名": target.name,
        "コース": course,
        "期限": era_date(target.due_date) or "なし",
        "状態": target.status.japanese,
        "URL": settings.my_training_url,
    }


def compose(target: Target, template: Template, course: str, settings: SmtpSettings) -> OutgoingMail:
    subject, body = template.render(mail_values(target, course, settings))
    return build_message(settings, target.name, (target.email or "").strip(), subject, body)


def claim_rows(rows: list[dict]) -> None:
    """Insert mail rows, each unless its (assignment, rule) exists: the claim that makes a mail once."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(ReminderMail).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(ReminderMail).on_conflict_do_nothing()
    else:  # pragma: no cover  (SQLite and PostgreSQL are the databases the app supports)
        statement = insert(ReminderMail)
    db.session.execute(statement, rows)


def mail_row(
    target: Target,
    key: str,
    kind: MailKind,
    state: MailState,
    version: int,
    claim: str | None,
    now: datetime,
    sent_by: int | None = None,
) -> dict:
    return {
        "assignment_id": target.assignment_id,
        "employee_id": target.employee_id,
        "kind": kind.value,
        "rule_key": key,
        "template_version": version,
        "state": state.value,
        "to_address": (target.email or "").strip() or None,
        "created_at": now,
        "tries": 0,
        "claim": claim if state is MailState.QUEUED else None,
        "claimed_at": now if state is MailState.QUEUED else None,
        "sent_by_id": sent_by,
    }


def send_claimed(token: str, year: int, sender: Sender, templates: Templates, result: RunResult) -> None:
    """Send every row this run holds and has not finished, one commit per mail: a crash loses at most
    the answer to the mail being sent. MailServerDown stops the run, the rest stay queued."""
    titles = course_titles()
    while True:
        rows = db.session.execute(
            select(
                ReminderMail.id, ReminderMail.assignment_id, ReminderMail.kind, ReminderMail.template_version
            )
            .where(ReminderMail.claim == token, ReminderMail.state == MailState.QUEUED.value)
            .order_by(ReminderMail.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        still_due = targets_query(ReportFilter(year)).where(
            Assignment.id.in_([r.assignment_id for r in rows])
        )
        eligible = {row[0]: Target(*row) for row in db.session.execute(still_due)}
        for mail_id, assignment_id, kind, version in rows:
            _send_row(
                mail_id,
                eligible.get(assignment_id),
                templates.get(MailKind(kind), version),
                titles,
                sender,
                result,
            )


def _send_row(
    mail_id: int,
    target: Target | None,
    template: Template,
    titles: dict[int, str],
    sender: Sender,
    result: RunResult,
) -> None:
    record = sender.outcomes.record
    if target is None or not has_address(target):  # finished (or lost the address) since it was claimed
        record(mail_id, MailState.SKIPPED, "修了済みまたは宛先なし", tried=False)
        result.skipped += 1
        return
    try:
        mail = compose(target, template, titles.get(target.course_id, "?"), sender.settings)
    except ValueError as error:
        record(mail_id, MailState.FAILED, f"宛先が正しくありません: {error}")
        result.failed += 1
        return
    try:
        reply = sender.deliver(mail)
    except MailRefused as refused:
        record(mail_id, MailState.FAILED, str(refused))
        result.failed += 1
        return
    record(mail_id, MailState.SENT, reply)
    result.sent += 1


def claim_retries(token: str, year: int, now: datetime) -> int:
    """Take over a batch of the year's queued rows nobody holds (or whose run died) and failed ones with
    tries left; how many. In batches, so that no claim grows old while its run is still sending."""
    stale = now - timedelta(minutes=CLAIM_MINUTES)
    retryable = and_(
        ReminderMail.state.in_((MailState.QUEUED.value, MailState.FAILED.value)),
        ReminderMail.tries < MAX_TRIES,
        or_(ReminderMail.claim.is_(None), ReminderMail.claimed_at < stale),
    )
    of_year = select(Assignment.id).where(Assignment.fiscal_year == year)
    batch = select(ReminderMail.id).where(retryable, ReminderMail.assignment_id.in_(of_year)).limit(BATCH)
    # The conditions again in the UPDATE itself: a row another run took meanwhile is not taken twice.
    claimed = db.session.execute(
        update(ReminderMail)
        .where(ReminderMail.id.in_(batch.scalar_subquery()), retryable)
        .values(claim=token, claimed_at=now, state=MailState.QUEUED.value)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed


def release(token: str, year: int, result: RunResult) -> None:
    db.session.rollback()
    db.session.execute(
        update(ReminderMail)
        .where(ReminderMail.claim == token)
        .values(claim=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    result.queued = (
        db.session.scalar(
            select(db.func.count(ReminderMail.id))
            .join(Assignment, Assignment.id == ReminderMail.assignment_id)
            .where(Assignment.fiscal_year == year, ReminderMail.state == MailState.QUEUED.value)
        )
        or 0
    )


def claim_due(
    batch: list[Target], rules: Rules, today: date, token: str, templates: Templates, result: RunResult
) -> list[dict]:
    """The rows a batch needs now: the latest due reminder queued (claimed), earlier ones skipped."""
    recorded = recorded_keys([t.assignment_id for t in batch])
    rows, now = [], utcnow()
    for target in batch:
        if not has_address(target):
            if rules.due(local_date(target.assigned_at), target.due_date, today):
                result.no_address += 1
            continue
        latest, skipped = plan(target, rules, today, recorded)
        for reminder in skipped:
            rows.append(mail_row(target, reminder.key, reminder.kind, MailState.SKIPPED, 0, None, now))
            result.skipped += 1
        if latest is not None:
            version = templates.latest(latest.kind)
            rows.append(mail_row(target, latest.key, latest.kind, MailState.QUEUED, version, token, now))
            result.planned.append((target, latest))
    return rows


def send_due_reminders(
    year: int, settings: SmtpSettings, *, today: date | None = None, dry_run: bool = False
) -> RunResult:
    """Send what the year's rules say is due today; safe to run twice and on several servers at once."""
    today = today or japan_today()
    rules, templates, result = rules_for(year), Templates(), RunResult()
    token = secrets.token_hex(16)
    if dry_run:
        for batch in target_batches(ReportFilter(year)):
            claim_due(batch, rules, today, token, templates, result)
        return result
    with Sender(settings) as sender:
        try:
            while claim_retries(token, year, utcnow()):
                send_claimed(token, year, sender, templates, result)
            for batch in target_batches(ReportFilter(year)):
                claim_rows(claim_due(batch, rules, today, token, templates, result))
                db.session.commit()
                result.planned.clear()  # listed for dry runs: a run's memory must not grow with its mails
                send_claimed(token, year, sender, templates, result)
        except MailServerDown as down:
            result.server_down = str(down)
        finally:
            release(token, year, result)
    return result
