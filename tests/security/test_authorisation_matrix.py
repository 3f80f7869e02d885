"""Who gets what from every route: the app's URL map × every role → the status written down here.

The table is the specification. A route the table does not know, or an entry for a route that no
longer exists, fails the test: a new page cannot go live without someone deciding who may open it.
Requests carry no form data (CSRF is off here; tests/security/test_csrf.py covers tokens), so a POST
that a role may make answers with its form's own reply (200 with errors, 303 done, 400 refused).
"""

from __future__ import annotations

import pytest

from tests.security.world import (
    COLLEAGUE,
    CSV,
    OTHERS,
    OUTSIDER,
    OWN,
    PDF,
    ROLES,
    XLSX,
    Page,
    build_world,
    client_for,
    routes,
    url,
)

LOGIN = "→ login"  # 302 to the login page

#                                            anonymous employee manager trainer  hr
ANYONE = (200, 200, 200, 200, 200)
SIGNED_IN = (LOGIN, 200, 200, 200, 200)
NOT_SIGNED_IN = (200, 302, 302, 302, 302)  # signed-in users are sent home
NOBODYS = (LOGIN, 404, 404, 404, 404)  # someone else's record: it does not exist for you
HR_ONLY = (LOGIN, 403, 403, 403, 200)
MANAGERS_ONLY = (LOGIN, 403, 200, 403, 403)
TRAINERS_AND_HR = (LOGIN, 403, 403, 200, 200)
PUBLISHERS = (LOGIN, 403, 403, 200, 403)

GET, POST = "GET", "POST"

EXPECTED: dict[Page, tuple[object, ...]] = {
    # Public
    Page("auth.login", GET): NOT_SIGNED_IN,
    Page("auth.login", POST): NOT_SIGNED_IN,
    Page("auth.activate", GET): NOT_SIGNED_IN,
    Page("auth.activate", POST): NOT_SIGNED_IN,
    Page("health.healthz", GET): ANYONE,
    Page("static", GET): ANYONE,
    Page("preferences.language", POST): (303, 303, 303, 303, 303),
    # Every signed-in employee
    Page("auth.logout", POST): (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    Page("auth.change_password", GET): SIGNED_IN,
    Page("auth.change_password", POST): SIGNED_IN,  # nothing filled in: the form again
    Page("learn.home", GET): SIGNED_IN,
    Page("learn.history", GET): SIGNED_IN,
    Page("learn.policy", GET): SIGNED_IN,
    Page("learn.course", GET): SIGNED_IN,
    Page("learn.lesson", GET): SIGNED_IN,
    Page("learn.lesson_read", POST): (LOGIN, 303, 303, 303, 303),
    Page("learn.start_attempt", POST): (LOGIN, 303, 303, 303, 303),
    Page("learn.attempt", GET, OWN): SIGNED_IN,
    Page("learn.attempt", GET, OTHERS): NOBODYS,
    Page("learn.question", GET, OWN): SIGNED_IN,
    Page("learn.question", GET, OTHERS): NOBODYS,
    Page("learn.question", POST, OWN): SIGNED_IN,  # no answer chosen: the question again, with an error
    Page("learn.question", POST, OTHERS): NOBODYS,
    Page("learn.submit", GET, OWN): SIGNED_IN,
    Page("learn.submit", GET, OTHERS): NOBODYS,
    Page("learn.submit", POST, OWN): SIGNED_IN,  # unanswered questions: the summary again, with an error
    Page("learn.submit", POST, OTHERS): NOBODYS,
    Page("certificates.show", GET, OWN): SIGNED_IN,
    Page("certificates.show", GET, OTHERS): NOBODYS,  # HR included: HR checks codes, not certificates
    Page("selfcheck.index", GET): SIGNED_IN,
    Page("selfcheck.take", GET): SIGNED_IN,
    Page("selfcheck.take", POST): SIGNED_IN,  # nothing answered: the form again
    Page("selfcheck.response", GET, OWN): SIGNED_IN,
    Page("selfcheck.response", GET, OTHERS): NOBODYS,  # private: not even HR or the manager
    # Managers: their own department only
    Page("manage.index", GET): MANAGERS_ONLY,
    Page("manage.completions_download", GET, CSV): MANAGERS_ONLY,
    Page("manage.completions_download", GET, XLSX): MANAGERS_ONLY,
    Page("manage.remind", GET): MANAGERS_ONLY,
    Page("manage.remind", POST): (LOGIN, 403, 303, 403, 403),  # no mail server here: back to the list
    Page("manage.remind_paper", GET): MANAGERS_ONLY,
    Page("manage.member", GET, COLLEAGUE): MANAGERS_ONLY,
    Page("manage.member", GET, OUTSIDER): (LOGIN, 403, 404, 403, 403),
    # Trainers and HR
    Page("analysis.index", GET): TRAINERS_AND_HR,
    Page("analysis.items_download", GET, CSV): TRAINERS_AND_HR,
    Page("analysis.items_download", GET, XLSX): TRAINERS_AND_HR,
    Page("author.index", GET): TRAINERS_AND_HR,
    Page("author.course", GET): TRAINERS_AND_HR,
    Page("author.lesson", GET): TRAINERS_AND_HR,
    Page("author.quiz_file", GET): TRAINERS_AND_HR,
    Page("author.paste", GET): TRAINERS_AND_HR,
    Page("author.paste", POST): TRAINERS_AND_HR,  # nothing pasted: the form again
    Page("author.static", GET): TRAINERS_AND_HR,
    Page("author.scorm_download", GET): TRAINERS_AND_HR,
    Page("author.begin_trial_of", POST): (LOGIN, 403, 403, 303, 303),  # 試行: sent to the course page
    Page("author.end_trial_of", POST): (LOGIN, 403, 403, 303, 303),
    # Uploading and looking at an upload: as the previews; nothing goes live until it is published.
    Page("author.upload", POST): (LOGIN, 403, 403, 303, 303),  # no file: back to /author/ with the error
    Page("author.upload_page", GET): TRAINERS_AND_HR,
    Page("author.upload_course", GET): TRAINERS_AND_HR,
    Page("author.upload_lesson", GET): TRAINERS_AND_HR,
    Page("author.upload_quiz_file", GET): TRAINERS_AND_HR,
    # Publishing and discarding: ELEARN_PUBLISH_ROLES, trainers by default (HR: the test below).
    Page("author.upload_publish", POST): (LOGIN, 403, 403, 400, 403),  # no fingerprint sent
    Page("author.upload_discard", POST): (LOGIN, 403, 403, 303, 403),
    Page("author.history_index", GET): TRAINERS_AND_HR,
    Page("author.history", GET): TRAINERS_AND_HR,
    # Rollback: those who may publish (ELEARN_PUBLISH_ROLES, trainers by default; tests/author/test_history.py
    # covers "trainer,hr"). Version 1 is the current one: the confirmation says so, the POST refuses.
    Page("author.rollback_confirm", GET): PUBLISHERS,
    Page("author.rollback_to", POST): (LOGIN, 403, 403, 303, 403),
    # HR
    Page("certificates.pdf", GET, OWN): SIGNED_IN,
    Page("certificates.pdf", GET, OTHERS): (LOGIN, 404, 404, 404, 200),  # HR issues anyone's (audited)
    Page("certificates.verify", GET): HR_ONLY,
    Page("hr.index", GET): HR_ONLY,
    Page("hr.records", GET): HR_ONLY,
    Page("hr.completions_download", GET, CSV): HR_ONLY,
    Page("hr.completions_download", GET, XLSX): HR_ONLY,
    Page("hr.certificates_download", GET): HR_ONLY,
    Page("hr.annual_report", GET, PDF): HR_ONLY,
    Page("hr.annual_report", GET, XLSX): HR_ONLY,
    Page("hr.employees", GET): HR_ONLY,
    Page("hr.remind", GET): HR_ONLY,
    Page("hr.remind", POST): (LOGIN, 403, 403, 403, 303),  # no mail server here: back to the records
    Page("hr.remind_paper", GET): HR_ONLY,
    Page("hr.reminder_settings", GET): HR_ONLY,
    Page("hr.reminder_settings", POST): HR_ONLY,  # nothing filled in: the form again
    Page("hr.mail_template", GET): HR_ONLY,
    Page("hr.mail_template", POST): HR_ONLY,  # nothing filled in: the form again
    Page("hr.employee", GET, COLLEAGUE): HR_ONLY,
    Page("hr.employee", GET, OUTSIDER): HR_ONLY,
    Page("hr.reset", GET, COLLEAGUE): HR_ONLY,  # the confirmation
    Page("hr.reset", POST, COLLEAGUE): HR_ONLY,
    Page("hr.unlock", POST, COLLEAGUE): (LOGIN, 403, 403, 403, 303),
    Page("hr.accounts", GET): HR_ONLY,
    Page("hr.accounts", POST): (LOGIN, 403, 403, 403, 303),  # everyone has a password: no codes
    Page("hr.codes_download", POST): (LOGIN, 403, 403, 403, 400),  # no codes sent back
    Page("hr.assignments", GET): HR_ONLY,
    Page("hr.assignments", POST): HR_ONLY,  # no course chosen: the form again
    Page("hr.assignment_rule", GET): HR_ONLY,
    Page("hr.rule_due", POST): (LOGIN, 403, 403, 403, 303),  # no date: the rule's due date is cleared
    Page("hr.rule_withdraw", POST): (LOGIN, 403, 403, 403, 400),  # no reason: the form again
    Page("hr.assign_required", POST): (LOGIN, 403, 403, 403, 400),  # no year
    Page("hr.carry_over", POST): (LOGIN, 403, 403, 403, 400),
    Page("hr.audit_log", GET): HR_ONLY,
    Page("hr.audit_download", GET): HR_ONLY,
    Page("hr.security_log", GET): HR_ONLY,
    Page("hr.security_download", GET): HR_ONLY,
    Page("hr.roster", GET): HR_ONLY,
    Page("hr.roster", POST): HR_ONLY,  # no file: the form again
    Page("hr.roster_template_download", GET, CSV): HR_ONLY,
    Page("hr.roster_template_download", GET, XLSX): HR_ONLY,
    Page("hr.roster_preview", GET, OWN): HR_ONLY,
    Page("hr.roster_preview", GET, OTHERS): (LOGIN, 403, 403, 403, 404),  # another HR user's upload
    Page("hr.roster_preview", POST, OWN): (LOGIN, 403, 403, 403, 303),  # imported
    Page("hr.roster_preview", POST, OTHERS): (LOGIN, 403, 403, 403, 404),
    Page("hr.exemptions", GET): HR_ONLY,
    Page("hr.exemptions", POST): HR_ONLY,  # no file: the form again
    Page("hr.attendance", GET): HR_ONLY,
    Page("hr.attendance", POST): HR_ONLY,  # no file: the form again
    Page("hr.record_upload", GET, OWN): HR_ONLY,
    Page("hr.record_upload", GET, OTHERS): (LOGIN, 403, 403, 403, 404),  # another HR user's upload
    Page("hr.record_upload", POST, OWN): (LOGIN, 403, 403, 403, 303),  # imported
    Page("hr.record_upload", POST, OTHERS): (LOGIN, 403, 403, 403, 404),
    Page("hr.exempt_employee", POST, COLLEAGUE): (LOGIN, 403, 403, 403, 303),  # no year: back, with errors
    Page("hr.withdraw_exemption", POST, COLLEAGUE): (LOGIN, 403, 403, 403, 303),  # no exemption named: back
    Page("hr.assign_employee", POST, COLLEAGUE): (LOGIN, 403, 403, 403, 303),  # no course: back, with errors
    Page("hr.assign_individually", GET): HR_ONLY,
    Page("hr.assign_individually", POST): HR_ONLY,  # nothing chosen: the form again
}


def outcome(response) -> object:
    response.close()  # a download streams until closed
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return LOGIN
    return response.status_code


def test_every_route_of_the_app_is_in_the_table(app):
    in_table = {(page.endpoint, page.method) for page in EXPECTED}
    assert sorted(routes(app) - in_table) == [], "routes nobody has decided about"
    assert sorted(in_table - routes(app)) == [], "table entries for routes that are gone"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_says(app, people, role):
    world = build_world(people)
    column = ROLES.index(role)
    # Reads first: the POSTs below may change records (start an attempt, import the roster).
    pages = sorted(EXPECTED, key=lambda page: (page.method != GET, page.endpoint, page.variant))
    got, wanted = {}, {}
    for page in pages:
        response = client_for(app, world, role).open(url(app, world, page, role), method=page.method)
        got[str(page)], wanted[str(page)] = outcome(response), EXPECTED[page][column]
    assert got == wanted


@pytest.mark.parametrize(
    ("publish_roles", "expected"),
    [
        (("trainer",), {"upload_publish": 403, "upload_discard": 403}),
        (("trainer", "hr"), {"upload_publish": 400, "upload_discard": 303}),
    ],
)
def test_hr_publishes_only_when_the_city_lets_hr_publish(app, people, publish_roles, expected):
    app.config["PUBLISH_ROLES"] = publish_roles
    world = build_world(people)
    got = {}
    for endpoint in expected:
        page = Page(f"author.{endpoint}", POST)
        got[endpoint] = outcome(client_for(app, world, "hr").open(url(app, world, page, "hr"), method=POST))
    assert got == expected
