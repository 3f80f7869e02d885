"""Bad input never crashes anything nor half-writes a record (Hypothesis).

The roster reader turns any bytes into checked rows or errors with a line number. Every form of the
app, posted with arbitrary values, answers 2xx, 3xx or 4xx, never 5xx; a refusal (4xx, or the form
shown again with its errors) writes nothing, and the training records stay consistent throughout.
"""

from __future__ import annotations

import csv
import io
import string
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from elearn.fiscal import current_fiscal_year
from elearn.models import AssignmentScope, Role
from elearn.services.roster_csv import (
    EMPLOYEE_NO,
    MAX_LENGTHS,
    REQUIRED_COLUMNS,
    UNPRINTABLE,
    RosterFile,
    parse_roster,
)
from elearn.services.selfchecks import current_version
from tests.reliability.integrity import inconsistencies
from tests.security.world import (
    OWN,
    SELFCHECK,
    Page,
    World,
    build_world,
    changed_tables,
    client_for,
    table_contents,
    url,
)

ROSTER = settings(max_examples=300)
FORMS = settings(
    max_examples=400,
    derandomize=True,  # the same examples on every run: the database is shared between them
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---------------------------------------------------------------------------------------------
# The roster reader

COLUMNS = ["職員番号", "氏名", "所属", "氏名カナ", "役割", "雇用区分", "メールアドレス"]
TRICKY_CELLS = ["", " ", "hr", "人事担当", "管理監督者", "boss", "A-1", "A_1", "x" * 21, "a@b.jp", "a b@c"]
TRICKY_CELLS += ['"', '""', ",", "\n", "\r\n", "\ufeff", "=1+1", "\x00", "名" * 101]
CELL = st.sampled_from(TRICKY_CELLS) | st.text(max_size=12)
TABLE = st.tuples(
    st.lists(st.sampled_from(COLUMNS) | st.text(max_size=4), max_size=9),
    st.lists(st.lists(CELL, max_size=9), max_size=8),
)


@st.composite
def roster_files(draw) -> bytes:
    """CSV as spreadsheets and HR systems write it, with every kind of mistake in it."""
    header, rows = draw(TABLE)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])))
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
    return buffer.getvalue().encode(encoding, errors="replace")


def lines_of(data: bytes, result: RosterFile) -> int:
    if result.encoding in ("xlsx", "xls", "utf16"):  # not text: one message for the whole file
        return 1
    return len(data.decode(result.encoding or "utf-8", errors="replace").splitlines())


def check_roster_result(data: bytes, result: RosterFile) -> None:
    last_line = max(lines_of(data, result), 1) + 1  # "no rows" is reported on line 2 of a 1-line file
    assert result.rows or result.errors
    for error in result.errors:
        assert 1 <= error.line <= last_line and error.message, error
    error_lines = {error.line for error in result.errors}
    numbers = [row.employee_no for row in result.rows]
    assert len(numbers) == len(set(numbers))
    for row in result.rows:
        assert 2 <= row.line <= last_line and row.line not in error_lines
        assert EMPLOYEE_NO.match(row.employee_no)
        assert row.name and row.department and len(row.name) <= MAX_LENGTHS["氏名"]
        assert row.role is None or isinstance(row.role, Role)


@ROSTER
@given(st.binary(max_size=600))
def test_any_bytes_give_rows_or_numbered_errors(data):
    check_roster_result(data, parse_roster(data))


@ROSTER
@given(roster_files())
def test_any_csv_gives_rows_or_numbered_errors(data):
    check_roster_result(data, parse_roster(data))


PLAIN = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")) | st.just(" "), min_size=1, max_size=30
).filter(lambda text: text.strip() == text and not UNPRINTABLE.search(text))  # bidi marks are Cf
VALID_ROW = st.tuples(
    st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=20),
    PLAIN,
    PLAIN,
    st.sampled_from(["", *(r.value for r in Role), *(r.japanese for r in Role)]),
)


@ROSTER
@given(st.lists(VALID_ROW, min_size=1, max_size=6, unique_by=lambda row: row[0].upper()), st.booleans())
def test_a_valid_roster_reads_back_exactly(rows, bom):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([("職員番号", "氏名", "所属", "役割"), *rows])
    result = parse_roster(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    assert result.errors == []
    roles = {"": None, **{r.value: r for r in Role}, **{r.japanese: r for r in Role}}
    read = [(r.employee_no, r.name, r.department, r.role) for r in result.rows]
    # Numbers are stored in capitals (elearn/normalise.py), whatever case the file has.
    assert read == [
        (number.upper(), name, department, roles[role]) for number, name, department, role in rows
    ]
    assert set(REQUIRED_COLUMNS) <= result.columns


# ---------------------------------------------------------------------------------------------
# Every form

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NUMBER = st.integers(-(10**12), 10**12).map(str)
VALUE = TEXT | NUMBER | st.sampled_from(["", " ", "0", "-1", "1", "2", "y", "on", "null", "[]", "2026-02-30"])


def field(*plausible: object) -> st.SearchStrategy:
    """A form field: missing, a value that could be right, or anything at all (or several)."""
    one = st.sampled_from([str(p) for p in plausible]) | VALUE if plausible else VALUE
    return st.none() | one | st.lists(one, min_size=2, max_size=3)


def form(**fields: st.SearchStrategy) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries(fields).map(lambda data: {k: v for k, v in data.items() if v is not None})


@st.composite
def roster_upload(draw) -> dict[str, object]:
    data = draw(roster_files() | st.binary(max_size=300))
    return {
        "file": (io.BytesIO(data), draw(st.sampled_from(["roster.csv", "", "../../etc/passwd", "名簿.csv"]))),
        "full": draw(field("y")),
    }


def record_file(header: str, good_row: str) -> st.SearchStrategy[dict[str, object]]:
    """An exemption or attendance file: a good one, one with an arbitrary row, or arbitrary bytes."""
    text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60)
    files = st.one_of(
        st.just(f"{header}\r\n{good_row}\r\n".encode()),
        text.map(lambda row: f"{header}\r\n{row}\r\n".encode()),
        st.binary(max_size=200),
    )
    return st.builds(lambda data: {"file": (io.BytesIO(data), "file.csv")}, files)


# Who posts each form, and where (a variant of the URL, see tests/security/world.py).
POSTERS: dict[str, tuple[str, str]] = {
    "auth.login": ("anonymous", ""),
    "auth.activate": ("anonymous", ""),
    "auth.logout": ("employee", ""),
    "auth.change_password": ("employee", ""),
    "preferences.language": ("employee", ""),
    "learn.lesson_read": ("employee", ""),
    "learn.start_attempt": ("employee", ""),
    "learn.question": ("employee", OWN),
    "learn.submit": ("employee", OWN),
    "selfcheck.take": ("employee", ""),
    "author.paste": ("trainer", ""),
    "hr.accounts": ("hr", ""),
    "hr.assignments": ("hr", ""),
    "hr.reset": ("hr", "colleague"),
    "hr.unlock": ("hr", "colleague"),
    "hr.roster": ("hr", ""),
    "hr.roster_preview": ("hr", OWN),
    "manage.remind": ("manager", ""),
    "hr.remind": ("hr", ""),
    "hr.reminder_settings": ("hr", ""),
    "hr.mail_template": ("hr", ""),
    "hr.exemptions": ("hr", ""),
    "hr.attendance": ("hr", ""),
    "hr.record_upload": ("hr", OWN),
    "hr.exempt_employee": ("hr", "colleague"),
    "hr.withdraw_exemption": ("hr", "colleague"),
    "hr.assign_employee": ("hr", "colleague"),
    "hr.assign_individually": ("hr", ""),
}

# A refusal may still count a failure (a wrong password, a wrong activation code, per code and per
# address) and log it.
REFUSAL_MAY_WRITE = {
    "auth.login": {"login_attempts", "security_events"},
    "auth.activate": {"activation_codes", "login_attempts"},
    "auth.change_password": {"login_attempts", "security_events"},
}


def form_strategies(world: World) -> dict[str, st.SearchStrategy[dict[str, object]]]:
    attempt = world.of(world.users["employee"]).open
    choices = [c for q in attempt.questions for c in q.choice_order]
    items = [item_id for item_id, _ in current_version(SELFCHECK).items]
    return {
        "auth.login": form(employee_no=field("E001", "NOBODY", " E001 "), password=field("correct-horse-42")),
        "auth.activate": form(
            employee_no=field("E001", "E002"), code=field("AAAA-BBBB-CCCC"), password=field(), confirm=field()
        ),
        "auth.logout": form(extra=field()),
        "auth.change_password": form(
            current_password=field("correct-horse-42"), password=field("a-long-new-phrase"), confirm=field()
        ),
        "preferences.language": form(
            language=field("ja", "en", "fr"), next=field("/", "//evil.example", "/policy")
        ),
        "learn.lesson_read": form(extra=field()),
        "learn.start_attempt": form(extra=field()),
        "learn.question": form(answer=field(*choices), to_summary=field("1")),
        "learn.submit": form(extra=field()),
        "selfcheck.take": form(**{f"item_{i}": field(0, 1, 2, 3, 4) for i in items}),
        "author.paste": form(markdown=field("---\nkind: scenarios\ntitle: x\n---\n## a\n")),
        "hr.accounts": form(department=field("", world.colleague.department_id, 999)),
        "hr.assignments": form(
            year=field(current_fiscal_year(), 1999, 2101),
            course=field(1, 2, 3, 999),
            scope=field(*(s.value for s in AssignmentScope)),
            department=field("", world.colleague.department_id),
            role=field(*(r.value for r in Role)),
            employment_type=field("会計年度任用職員"),
            due_date=field("2027-03-31", "2027-02-30"),
        ),
        "hr.reset": form(extra=field()),
        "hr.unlock": form(extra=field()),
        "hr.roster": roster_upload(),
        "hr.roster_preview": form(extra=field()),
        "manage.remind": form(employee=field(world.colleague.employee_no, world.outsider.employee_no)),
        "hr.remind": form(employee=field(world.colleague.employee_no)),
        "hr.reminder_settings": form(
            invitation=field("y"),
            days_before=field("14, 3", "14、3", "0", "366", "3,3"),
            first_after=field(1, 0, 365),
            every_after=field(7, 0),
            times_after=field(3, 21),
        ),
        "hr.mail_template": form(
            subject=field("{コース}", "{名前}", "a\r\nBcc: x@example.jp"),
            body=field("{氏名} 様 {URL}", "{ 氏名 }"),
            preview=field("y"),
            save=field("y"),
        ),
        "hr.exemptions": record_file(
            "職員番号,コース,年度,理由", f"E002,kanri,{current_fiscal_year()},その他：x"
        ),
        "hr.attendance": record_file("職員番号,コース,実施日,研修名", "E002,shokuin-koui,2026/4/1,研修"),
        "hr.record_upload": form(extra=field()),
        "hr.exempt_employee": form(
            year=field(current_fiscal_year(), 1999, "２０２６"),
            course=field(1, 2, 3, 999),
            reason=field("leave", "other", "nope"),
            details=field(),
        ),
        "hr.withdraw_exemption": form(exemption=field("1", "２", "²", "99999999999999999999"), why=field()),
        "hr.assign_employee": form(
            year=field(current_fiscal_year()), course=field(1, 2, 999), due_date=field()
        ),
        "hr.assign_individually": form(
            employees=field("E001", "E001,NOBODY", "ｅ００２、E001", ","),
            year=field(current_fiscal_year(), 2101),
            course=field(1, 2, 3, 999),
            due_date=field("2027-03-31", "x"),
        ),
    }


def refused(response) -> bool:
    """A 4xx, or the form shown again with its errors."""
    if 400 <= response.status_code < 500:
        return True
    page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    return response.status_code == 200 and ("has-error" in page or "flash-error" in page)


class Organisation:
    """The world the forms are posted into, and the database as the last example left it."""

    def __init__(self, world: World) -> None:
        self.world = world
        # Built once, not per example (they read the world's ids from the database): an id a form
        # changes later on is still offered, as one more value that may be wrong.
        self.forms = form_strategies(world)
        self.tables = table_contents()

    def changes(self) -> set[str]:
        """The tables written since the last call."""
        before, self.tables = self.tables, table_contents()
        return changed_tables(before, self.tables)


@pytest.fixture
def organisation(app, people) -> Organisation:
    return Organisation(build_world(people))


@FORMS
@given(st.data())
def test_every_form_takes_any_values_without_a_crash_or_a_partial_write(app, organisation, data):
    world = organisation.world
    endpoint = data.draw(st.sampled_from(sorted(POSTERS)), label="form")
    fields = data.draw(organisation.forms[endpoint], label="fields")
    event(endpoint)
    role, variant = POSTERS[endpoint]
    target = url(app, world, Page(endpoint, "POST", variant), role)
    client = client_for(app, world, role)
    organisation.changes()  # signing in writes the session's row: not the form's doing
    with posted(client, target, fields) as response:
        assert response.status_code < 500, response.status_code
        event(f"{endpoint} {response.status_code}{' refused' if refused(response) else ''}")
        changed = organisation.changes()
        if refused(response):
            assert changed <= REFUSAL_MAY_WRITE.get(endpoint, set()), changed
    if changed:
        assert inconsistencies() == {}


@contextmanager
def posted(client, target: str, fields: dict[str, object]) -> Iterator:
    response = client.post(target, data=fields, content_type="multipart/form-data")
    try:
        yield response
    finally:
        response.close()
