"""A reviewed attempt shows exactly what the employee saw, even after the scenario was edited."""

import shutil

from elearn.extensions import db
from elearn.models import Attempt
from elearn.services.sync import sync_content
from tests.conftest import PROJECT_ROOT
from tests.learn.quiz import take


def test_old_attempt_shows_the_old_scenario_text_after_an_edit(app, client, auth, people, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "courses", root / "courses")
    shutil.copytree(PROJECT_ROOT / "quizzes", root / "quizzes")
    employee = people.employee()
    auth.login_as(employee)
    attempt_id = take(client, correct=True)
    seen = db.session.get(Attempt, attempt_id).questions[0].scenario_version
    old_title, key = seen.title, seen.scenario.key

    # The trainer rewrites that scenario's title and syncs: a new version appears.
    for bank in (root / "quizzes").glob("*.md"):
        text = bank.read_text(encoding="utf-8")
        if f"- ID: {key}\n" in text:
            bank.write_text(text.replace(f"## {old_title}\n", "## 書き直した題名\n", 1), encoding="utf-8")
    report = sync_content(root)
    assert f"scenario {key}" in report.updated

    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert old_title in page
    assert "書き直した題名" not in page
