"""Downloads write the audit trail, so another site must not be able to make HR's browser download:
a request another site caused is refused (403) before anything is written; HR's own are recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import AuditEvent, Role

DOWNLOADS = [
    "/hr/reports/completions.csv",
    "/hr/reports/completions.xlsx",
    "/hr/audit.csv",
    "/analysis/items.csv",
]


def events() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


@pytest.fixture
def hr(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    return client


@pytest.mark.parametrize("path", DOWNLOADS)
@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another host of the same domain is another site too
        {"Origin": "https://evil.example"},
    ],
)
def test_a_download_another_site_asked_for_is_refused_and_not_recorded(hr, path, headers):
    before = events()
    assert hr.get(path, headers=headers).status_code == 403
    assert events() == before


@pytest.mark.parametrize("path", DOWNLOADS)
@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"}, {"Origin": "http://localhost"}, {}],
)
def test_a_download_from_the_apps_own_pages_or_the_address_bar_is_recorded(hr, path, headers):
    before = events()
    response = hr.get(path, headers=headers)
    assert response.status_code == 200
    response.close()
    assert events() == before + 1
