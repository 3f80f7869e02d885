"""Exporting a synced course: the package is built from the database as the content renders, and every
export is on the audit trail; bad requests get a clear Japanese message."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import AuditEvent
from elearn.services.audit import Actor
from elearn.services.scorm_export import ScormExportError, export_scorm
from tests.scorm.packages import files


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_package_from_the_database_is_the_one_the_content_renders_to(app):
    package = export_scorm(Actor.command_line(), "kihon-houshin")
    assert package.filename == "elearn-kihon-houshin-v1-scorm12.zip"
    assert unzipped(package.data) == files()


def test_the_command_writes_the_package_and_records_the_export(app, runner, tmp_path):
    target = tmp_path / "x.zip"
    result = runner.invoke(args=["export", "scorm", "kihon-houshin", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "imsmanifest.xml" in zipfile.ZipFile(target).namelist()
    [event] = db.session.scalars(select(AuditEvent)).all()
    assert event.action == "export" and event.actor_label.startswith("CLI ")
    assert event.summary == "コース「基本方針を理解する」第1版の SCORM 1.2 パッケージを書き出しました"
    assert event.details == {"format": "scorm12", "course": "kihon-houshin", "version": 1}


def test_a_version_can_be_chosen_by_number(app, runner, tmp_path):
    target = tmp_path / "v1.zip"
    assert (
        runner.invoke(
            args=["export", "scorm", "kihon-houshin", "-o", str(target), "--version", "1"]
        ).exit_code
        == 0
    )
    assert unzipped(target.read_bytes()) == files()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nai-course"], "コース nai-course は同期されていません"),
        (["kihon-houshin", "--version", "7"], "コース kihon-houshin に第7版はありません"),
        (["kihon-houshin", "--version", "latest"], "current または版の番号"),
    ],
)
def test_an_unknown_course_or_version_is_refused_with_a_message_and_no_file(
    app, runner, tmp_path, arguments, message
):
    target = tmp_path / "x.zip"
    result = runner.invoke(args=["export", "scorm", *arguments, "-o", str(target)])
    assert result.exit_code != 0 and message in result.output
    assert not target.exists()
    assert db.session.scalars(select(AuditEvent)).all() == []


def test_the_service_refuses_an_unknown_version(app):
    with pytest.raises(ScormExportError, match="第2版"):
        export_scorm(Actor.command_line(), "kihon-houshin", 2)
