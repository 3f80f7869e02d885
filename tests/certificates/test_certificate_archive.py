"""A year's certificates at once: one ZIP of PDFs named <年度>_<職員番号>_<コース>.pdf and an index."""

import csv
import io
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import AuditEvent, Department, Role
from tests.certificates.test_certificates import complete


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def index_rows(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    raw = archive.read("index.csv").decode("utf-8")
    assert raw.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))


def test_hr_downloads_every_certificate_of_the_year_with_an_index(client, auth, people):
    first = people.employee(name="青木 花子", department="市民課", employee_no="000123")
    second = people.employee(name="石田 健", department="税務課", employee_no="000456")
    completions = [complete(client, auth, person) for person in (first, second)]
    year = completions[0].fiscal_year
    auth.login_as(people.employee(Role.HR))
    response = client.get(f"/hr/reports/certificates.zip?year={year}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
    assert names == [f"{year}_000123_kihon-houshin.pdf", f"{year}_000456_kihon-houshin.pdf"]
    assert "青木 花子" in pdf_text(archive.read(names[0])) and "石田 健" in pdf_text(archive.read(names[1]))
    rows = index_rows(archive)
    assert [(r["ファイル名"], r["職員番号"], r["修了証番号"]) for r in rows] == sorted(
        (f"{year}_{c.employee.employee_no}_kihon-houshin.pdf", c.employee.employee_no, c.certificate_code)
        for c in completions
    )
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "export" and "修了証 2 件" in event.summary


def test_the_archive_is_limited_to_one_department(client, auth, people):
    complete(client, auth, people.employee(department="市民課", employee_no="000123"))
    other = complete(client, auth, people.employee(department="税務課", employee_no="000456"))
    tax = db.session.scalar(select(Department).where(Department.name == "税務課"))
    auth.login_as(people.employee(Role.HR))
    response = client.get(f"/hr/reports/certificates.zip?year={other.fiscal_year}&department={tax.id}")
    rows = index_rows(zipfile.ZipFile(io.BytesIO(response.data)))
    assert [row["職員番号"] for row in rows] == ["000456"]


def test_a_year_without_completions_gives_an_archive_with_only_the_header(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    archive = zipfile.ZipFile(io.BytesIO(client.get("/hr/reports/certificates.zip?year=2001").data))
    assert archive.namelist() == ["index.csv"] and index_rows(archive) == []


def test_the_command_line_writes_the_archive_for_a_course(client, auth, people, runner, tmp_path):
    completion = complete(client, auth, people.employee(employee_no="000789"))
    out = tmp_path / "certificates.zip"
    args = ["certificates", "archive", "--year", str(completion.fiscal_year), "--course", "kihon-houshin"]
    result = runner.invoke(args=[*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [r["職員番号"] for r in index_rows(zipfile.ZipFile(out))] == ["000789"]
    unknown = runner.invoke(args=[*args[:4], "--course", "nope", "-o", str(out)])
    assert unknown.exit_code != 0 and "no course" in unknown.output


def test_index_cells_that_look_like_formulas_are_neutralised(client, auth, people):
    completion = complete(client, auth, people.employee(name="=HYPERLINK(1)", employee_no="000321"))
    auth.login_as(people.employee(Role.HR))
    data = client.get(f"/hr/reports/certificates.zip?year={completion.fiscal_year}").data
    (row,) = index_rows(zipfile.ZipFile(io.BytesIO(data)))
    assert row["氏名"] == "'=HYPERLINK(1)"
