"""HR imports the roster through the page: upload, a preview of every change, then confirm."""

import csv
import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import AuditEvent, Completion, Employee, Role
from elearn.services.roster import import_roster, parse_roster
from tests.conftest import PASSWORD
from tests.records import completed

HEADER = "職員番号,氏名,所属,役割\r\n"
FULL_ROSTER = HEADER + (
    "R001,青木 花子,市民課,employee\r\n"  # unchanged
    "R002,石田 健,市民課,employee\r\n"  # moves from 課税課
    "R004,新井 陽,福祉課,employee\r\n"  # joins
    "H001,人事 太郎,職員課,hr\r\n"
)  # R003 is missing: a full roster deactivates them


def organisation(people):
    people.employee(employee_no="R001", name="青木 花子", department="市民課")
    people.employee(employee_no="R002", name="石田 健", department="課税課")
    people.employee(employee_no="R003", name="退職 予定", department="福祉課")
    return people.employee(Role.HR, employee_no="H001", name="人事 太郎", department="職員課")


def upload(client, text: str, *, full: bool = False, encoding: str = "utf-8", filename="roster.csv"):
    data = {"file": (io.BytesIO(text.encode(encoding)), filename)}
    if full:
        data["full"] = "y"
    response = client.post("/hr/roster", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.status_code
    return response.headers["Location"]


def by_number(number: str) -> Employee | None:
    db.session.expire_all()
    return db.session.scalar(select(Employee).where(Employee.employee_no == number))


def section(page: str, anchor: str) -> str:
    """The card of the preview that starts with the heading ``anchor``."""
    match = re.search(rf'<h2 id="{anchor}">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


def test_preview_shows_added_changed_and_deactivated_and_writes_nothing(client, auth, people):
    auth.login_as(organisation(people))
    preview = client.get(upload(client, FULL_ROSTER, full=True)).get_data(as_text=True)

    assert "R004" in section(preview, "added") and "新井 陽" in section(preview, "added")
    changed = section(preview, "changed")
    assert "R002" in changed and "所属: 課税課 → 市民課" in changed
    assert "R001" not in changed
    assert "R003" in section(preview, "deactivated")
    assert "この内容で取り込む" in preview
    assert by_number("R004") is None
    assert by_number("R002").department.name == "課税課"
    assert by_number("R003").active
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_confirm_imports_exactly_what_was_previewed_once(client, auth, people):
    auth.login_as(organisation(people))
    location = upload(client, FULL_ROSTER, full=True)
    client.get(location)

    response = client.post(location)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "追加 1 人、変更 1 人、無効化 1 人" in page
    assert by_number("R004").department.name == "福祉課"
    assert by_number("R002").department.name == "市民課"
    departed = by_number("R003")
    assert not departed.active and departed.deactivated_at is not None
    event = db.session.scalar(select(AuditEvent))
    assert event.action == "roster.import" and event.actor_label == "H001 人事 太郎"
    assert event.details["added"] == 1 and event.details["deactivated"] == 1 and event.details["full"]
    assert client.post(location).status_code == 404  # the upload is used up


def test_confirm_is_refused_when_the_records_changed_after_the_preview(client, auth, people):
    auth.login_as(organisation(people))
    location = upload(client, FULL_ROSTER, full=True)
    client.get(location)
    moved = by_number("R001")
    moved.department = people.department("道路課")  # someone else changes the records meanwhile
    db.session.commit()

    response = client.post(location, follow_redirects=True)
    assert "もう一度内容を確認してください" in response.get_data(as_text=True)
    assert by_number("R004") is None  # nothing was imported
    assert "所属: 道路課 → 市民課" in response.get_data(as_text=True)  # the new preview shows the new change


def test_a_partial_roster_deactivates_nobody_by_default(client, auth, people):
    auth.login_as(organisation(people))
    location = upload(client, HEADER + "R005,中村 一,道路課,employee\r\n")
    assert "無効になる職員" not in client.get(location).get_data(as_text=True)
    client.post(location)
    assert by_number("R005") is not None
    assert all(by_number(n).active for n in ("R001", "R002", "R003"))


def test_full_roster_deactivates_the_missing_but_keeps_their_records(client, auth, people):
    hr = organisation(people)
    record = completed(by_number("R003"))
    auth.login_as(hr)
    location = upload(client, FULL_ROSTER, full=True)
    client.get(location)
    client.post(location)

    assert db.session.get(Completion, record.id) is not None
    history = client.get("/hr/employees/R003").get_data(as_text=True)
    assert "無効" in history and record.certificate_code in history
    auth.logout()
    assert client.post("/login", data={"employee_no": "R003", "password": PASSWORD}).status_code == 200


def test_a_roster_saved_by_excel_in_shift_jis_is_read_on_the_page(client, auth, people):
    auth.login_as(organisation(people))
    location = upload(client, HEADER + "R006,髙橋 﨑子,市民課,職員\r\n", encoding="cp932")
    preview = client.get(location).get_data(as_text=True)
    assert "cp932" in preview and "髙橋 﨑子" in preview
    client.post(location)
    assert by_number("R006").name == "髙橋 﨑子"


def test_every_bad_row_is_listed_by_line_and_nothing_can_be_imported(client, auth, people):
    auth.login_as(organisation(people))
    bad = HEADER + (
        "R007,大野 美咲,市民課,employee\r\n"
        "R008,,市民課,employee\r\n"  # line 3: no name
        "R009,加藤,市民課,boss\r\n"  # line 4: unknown role
        "R007,重複 太郎,市民課,employee\r\n"  # line 5: duplicate number
    )
    location = upload(client, bad)
    preview = client.get(location).get_data(as_text=True)
    for line in (3, 4, 5):
        assert f"{line}行目" in preview
    assert "<li>2行目" not in preview
    assert "この内容で取り込む" not in preview
    assert client.post(location, follow_redirects=True).status_code == 200
    assert by_number("R007") is None


def test_hr_cannot_import_a_full_roster_that_would_lock_themselves_out(client, auth, people):
    auth.login_as(organisation(people))
    without_me = FULL_ROSTER.replace("H001,人事 太郎,職員課,hr\r\n", "")
    location = upload(client, without_me, full=True)
    preview = client.get(location).get_data(as_text=True)
    assert "あなた自身のアカウントが無効になります" in preview
    assert "この内容で取り込む" not in preview
    client.post(location)
    assert by_number("H001").active


def test_an_upload_is_visible_only_to_the_hr_user_who_made_it(client, auth, people):
    hr = organisation(people)
    other = people.employee(Role.HR, employee_no="H002")
    auth.login_as(hr)
    location = upload(client, FULL_ROSTER)
    auth.logout()
    auth.login_as(other)
    assert client.get(location).status_code == 404
    assert client.post(location).status_code == 404


def test_cli_dry_run_prints_the_plan_and_writes_nothing(app, runner, people, tmp_path):
    organisation(people)
    path = tmp_path / "roster.csv"
    path.write_bytes(FULL_ROSTER.encode("cp932"))
    result = runner.invoke(args=["roster", "import", str(path), "--full", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "added 1:" in result.output and "R004" in result.output
    assert "R002  石田 健: 所属 課税課 → 市民課" in result.output
    assert "deactivated 1:" in result.output and "R003" in result.output
    assert "nothing was written" in result.output
    assert by_number("R004") is None and by_number("R003").active


def test_cli_full_import_deactivates_and_records_the_action(app, runner, people, tmp_path):
    organisation(people)
    path = tmp_path / "roster.csv"
    path.write_text(FULL_ROSTER, encoding="utf-8-sig")
    result = runner.invoke(args=["roster", "import", str(path), "--full"])
    assert result.exit_code == 0, result.output
    assert "added 1, updated 1, unchanged 2, deactivated 1" in result.output
    assert not by_number("R003").active
    event = db.session.scalar(select(AuditEvent))
    assert event.actor_label.startswith("CLI") and "roster.csv" in event.details["source"]
    assert event.details["added_employees"] == ["R004 新井 陽（福祉課）"]
    assert event.details["changed_employees"] == ["R002 石田 健: 所属 課税課 → 市民課"]
    assert event.details["deactivated_employees"] == ["R003 退職 予定（福祉課）"]


def test_staff_deactivated_by_an_import_are_signed_out_at_once(app, people):
    organisation(people)
    leaving = app.test_client()
    leaving.post("/login", data={"employee_no": "R003", "password": PASSWORD})
    assert leaving.get("/").status_code == 200
    import_roster(parse_roster(FULL_ROSTER.encode()), full=True)
    assert leaving.get("/").status_code == 302


def xlsx(text: str) -> bytes:
    """The CSV text as an Excel workbook, every cell as text, as HR's Excel keeps it."""
    book = Workbook()
    for cells in csv.reader(io.StringIO(text)):
        book.active.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_excel_workbook_is_previewed_and_imported_on_the_page(client, auth, people):
    auth.login_as(organisation(people))
    data = {"file": (io.BytesIO(xlsx(FULL_ROSTER)), "名簿.xlsx")}
    response = client.post("/hr/roster", data=data, content_type="multipart/form-data")
    location = response.headers["Location"]
    preview = client.get(location).get_data(as_text=True)
    assert "Excel ブック" in preview and "文字コードが正しくありません" not in preview
    assert "R004" in section(preview, "added") and "R002" in section(preview, "changed")
    client.post(location)
    assert by_number("R004").department.name == "福祉課"


def test_a_utf16_text_file_gets_one_message_on_the_page(client, auth, people):
    auth.login_as(organisation(people))
    location = upload(client, FULL_ROSTER.replace(",", "\t"), encoding="utf-16", filename="roster.txt")
    preview = client.get(location).get_data(as_text=True)
    assert preview.count("<li>1行目") == 1 and "Unicode テキスト" in preview
    assert "この内容で取り込む" not in preview


def test_the_preview_lists_a_lost_leading_zero_as_an_error_and_a_namesake_as_a_warning(client, auth, people):
    auth.login_as(organisation(people))
    people.employee(employee_no="001207", name="零 落太")
    location = upload(client, HEADER + "1207,零 落太,市民課,employee\r\n")
    assert "001207 の先頭の 0 が落ちていませんか" in client.get(location).get_data(as_text=True)
    location = upload(client, HEADER + "R010,青木 花子,福祉課,employee\r\n")
    preview = client.get(location).get_data(as_text=True)
    assert "同じ氏名の職員がいます（R001" in preview and "この内容で取り込む" in preview


def test_cli_imports_an_excel_workbook(app, runner, people, tmp_path):
    organisation(people)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx(FULL_ROSTER))
    result = runner.invoke(args=["roster", "import", str(path), "--full"])
    assert result.exit_code == 0, result.output
    assert "added 1, updated 1, unchanged 2, deactivated 1" in result.output
    assert by_number("R004") is not None


def test_cli_reports_a_lost_leading_zero_with_the_file_and_row(app, runner, people, tmp_path):
    people.employee(employee_no="001207")
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + "1207,零 落太,市民課,employee\r\n", encoding="utf-8")
    result = runner.invoke(args=["roster", "import", str(path)])
    assert result.exit_code == 1
    assert "roster.csv:2: 職員番号 1207" in result.output and "nothing was imported" in result.output
