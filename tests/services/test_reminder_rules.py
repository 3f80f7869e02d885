"""The reminders HR's rules schedule for one assignment, and which of them are due on a day."""

from datetime import date

from elearn.models import MailKind
from elearn.services.reminder_rules import Rules

ASSIGNED, DUE = date(2026, 4, 1), date(2026, 9, 30)


def keys(reminders):
    return [(r.on, r.key) for r in reminders]


def test_the_default_rules_are_14_and_3_days_before_then_1_day_after_every_7_days_3_times():
    assert keys(Rules().schedule(ASSIGNED, DUE)) == [
        (date(2026, 9, 16), "before:14"),
        (date(2026, 9, 27), "before:3"),
        (date(2026, 10, 1), "after:1"),
        (date(2026, 10, 8), "after:8"),
        (date(2026, 10, 15), "after:15"),
    ]


def test_the_invitation_is_sent_on_the_day_of_the_assignment_when_hr_turns_it_on():
    rules = Rules(invitation=True, days_before=(), first_after=None)
    (invitation,) = rules.schedule(ASSIGNED, DUE)
    assert (invitation.on, invitation.kind) == (ASSIGNED, MailKind.INVITATION)


def test_an_assignment_without_a_due_date_has_only_the_invitation():
    assert Rules().schedule(ASSIGNED, None) == []
    assert [r.key for r in Rules(invitation=True).schedule(ASSIGNED, None)] == ["invitation"]


def test_the_reminders_due_on_a_day_are_those_whose_day_has_come():
    assert [r.key for r in Rules().due(ASSIGNED, DUE, date(2026, 9, 28))] == ["before:14", "before:3"]
    assert Rules().due(ASSIGNED, DUE, date(2026, 9, 15)) == []
