"""Trainers download a synced course as a SCORM 1.2 package from the preview's front page."""

from __future__ import annotations

import zipfile
from io import BytesIO

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import AuditEvent


def test_the_front_page_offers_each_synced_course_as_a_package(client, trainer):
    page = client.get("/author/").get_data(as_text=True)
    assert 'action="/author/export/kihon-houshin/scorm.zip"' in page
    assert "SCORM 1.2 でダウンロード" in page


def test_a_trainer_downloads_the_package_and_the_download_is_recorded(client, trainer):
    response = client.get("/author/export/kihon-houshin/scorm.zip?version=current")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="elearn-kihon-houshin-v1-scorm12.zip"'
    )
    assert "imsmanifest.xml" in zipfile.ZipFile(BytesIO(response.data)).namelist()
    [event] = db.session.scalars(select(AuditEvent)).all()
    assert event.actor_id == trainer.id
    assert event.summary.endswith("SCORM 1.2 パッケージをダウンロードしました")


def test_a_version_that_does_not_exist_is_explained_on_the_front_page(client, trainer):
    response = client.get("/author/export/kihon-houshin/scorm.zip?version=5", follow_redirects=True)
    assert "コース kihon-houshin に第5版はありません" in response.get_data(as_text=True)
    assert client.get("/author/export/kihon-houshin/scorm.zip?version=abc").status_code == 404
