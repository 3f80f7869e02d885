"""The 修了証 as a PDF: the same facts as the page, its font embedded, the same bytes for the same day."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from elearn.config import ConfigError, load_config
from elearn.extensions import db
from elearn.models import AuditEvent, Role
from tests.certificates.test_certificates import complete

ISSUER = "東久留米市 総務部職員課長"


@pytest.fixture
def issuing(app):
    app.config.update(
        CERTIFICATE_ISSUER=ISSUER, CERTIFICATE_SEAL="公印省略", BASE_URL="https://elearn.city.example.lg.jp"
    )
    return app


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def embedded_font_files(pdf: bytes) -> list[str]:
    """Names of the fonts whose program is inside the file (a TrueType program is /FontFile2)."""
    embedded = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    embedded.append(str(descendant.get_object()["/BaseFont"]))
    return embedded


def test_the_holder_downloads_a_pdf_with_the_facts_the_issuer_and_the_verification_address(
    issuing, client, auth, people
):
    employee = people.employee(name="青木 花子", department="市民課", employee_no="001207")
    completion = complete(client, auth, employee)
    auth.login_as(employee)
    response = client.get(f"/certificates/{completion.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"{completion.fiscal_year}_001207_kihon-houshin.pdf" in response.headers["Content-Disposition"]
    text = text_of(response.data)
    for expected in ("修", "青木 花子", "市民課", "001207", "基本方針を理解する", "第1版", "100 点", "令和"):
        assert expected in text
    assert ISSUER in text and "公印省略" in text and "発行日" in text
    assert completion.certificate_code in text
    assert f"https://elearn.city.example.lg.jp/certificates/verify?code={completion.certificate_code}" in text


def test_the_font_is_embedded_as_a_subset(issuing, client, auth, people):
    employee = people.employee()
    completion = complete(client, auth, employee)
    auth.login_as(employee)
    fonts = embedded_font_files(client.get(f"/certificates/{completion.id}.pdf").data)
    assert fonts and all("IPAexMincho" in name for name in fonts)
    assert all("+" in name for name in fonts), "a subset font is named XXXXXX+Font"


def test_the_same_record_on_the_same_day_gives_the_same_bytes(issuing, client, auth, people):
    employee = people.employee()
    completion = complete(client, auth, employee)
    auth.login_as(employee)
    first = client.get(f"/certificates/{completion.id}.pdf").data
    assert client.get(f"/certificates/{completion.id}.pdf").data == first


def test_without_a_base_url_the_pdf_has_the_code_but_no_address(app, client, auth, people):
    app.config["BASE_URL"] = None
    employee = people.employee()
    completion = complete(client, auth, employee)
    auth.login_as(employee)
    text = text_of(client.get(f"/certificates/{completion.id}.pdf").data)
    assert completion.certificate_code in text and "http" not in text


def test_another_employee_gets_404_and_hr_gets_the_pdf_with_an_audit_event(issuing, client, auth, people):
    owner = people.employee(name="石田 健")
    completion = complete(client, auth, owner)
    auth.login_as(people.employee(Role.MANAGER))
    assert client.get(f"/certificates/{completion.id}.pdf").status_code == 404
    auth.logout()
    before = db.session.scalar(select(db.func.count(AuditEvent.id)))
    auth.login_as(people.employee(Role.HR))
    response = client.get(f"/certificates/{completion.id}.pdf")
    assert response.status_code == 200 and "石田 健" in text_of(response.data)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[before:]
    assert [event.action for event in events] == ["certificates.pdf"]
    assert "石田 健" in events[0].summary


def test_the_holders_own_download_leaves_no_audit_event(issuing, client, auth, people):
    employee = people.employee()
    completion = complete(client, auth, employee)
    before = db.session.scalar(select(db.func.count(AuditEvent.id)))
    auth.login_as(employee)
    client.get(f"/certificates/{completion.id}.pdf")
    assert db.session.scalar(select(db.func.count(AuditEvent.id))) == before


def test_the_command_line_writes_a_certificate_by_code_or_id(issuing, client, auth, people, runner, tmp_path):
    completion = complete(client, auth, people.employee(name="上野 一郎"))
    for given in (completion.certificate_code.lower(), str(completion.id)):
        out = tmp_path / "c.pdf"
        result = runner.invoke(args=["certificates", "pdf", given, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "上野 一郎" in text_of(out.read_bytes())
    missing = runner.invoke(args=["certificates", "pdf", "ABCD-EFGH-JKLMN", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0 and "no certificate" in missing.output


def test_a_base_url_that_is_not_an_address_is_refused_at_start(tmp_path):
    with pytest.raises(ConfigError, match="ELEARN_BASE_URL"):
        load_config({"ELEARN_BASE_URL": "elearn.city.example"}, str(tmp_path))
    config = load_config({"ELEARN_BASE_URL": "https://elearn.example.lg.jp/"}, str(tmp_path))
    assert config["BASE_URL"] == "https://elearn.example.lg.jp"
