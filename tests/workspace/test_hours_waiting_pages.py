"""A project's hours waiting for review come a page at a time on its workspace page (next and
previous, nothing counts them all); the bulk review decides any of the project's waiting
entries, never another project's, and bad input is a form error, never a 500. The project's
page still shows its roles with their repeating shifts and the verified totals, read in fewer
queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, RoleFactory, VolunteerProjectFactory
from volunteering.coordinator_selectors import PENDING_HOURS_SHOWN
from volunteering.hours.services import hours_entry_correct
from volunteering.models import HoursEntry
from volunteering.services import shift_series_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(group):
    return VolunteerProjectFactory(group=group, title="Soup kitchen", slug="soup-kitchen-p1")


def _entry(project, volunteer, *, days_ago=1, minutes=60, status=HoursEntry.Status.PENDING):
    return HoursEntry.objects.create(
        volunteer=volunteer,
        project=project,
        worked_on=timezone.localdate() - dt.timedelta(days=days_ago),
        minutes=minutes,
        source=HoursEntry.Source.LOGGED,
        logged_by=volunteer,
        status=status,
        reviewed_at=None if status == HoursEntry.Status.PENDING else timezone.now(),
    )


def _waiting(project, group, n):
    """n entries waiting, oldest first."""
    volunteer = MembershipFactory(group=group).user
    return [_entry(project, volunteer, days_ago=n - i) for i in range(n)]


def _page(client, group, project, **params):
    url = reverse("workspace:volunteering_project", args=[group.slug, project.slug])
    return client.get(url, params)


def test_hours_waiting_come_a_page_at_a_time_oldest_first(client, group, organizer, project):
    entries = _waiting(project, group, PENDING_HOURS_SHOWN + 2)
    client.force_login(organizer)
    first = _page(client, group, project)
    pending = first.context["pending"]
    assert [e.pk for e in pending] == [e.pk for e in entries[:PENDING_HOURS_SHOWN]]
    assert pending.has_next
    assert not pending.has_previous()
    html = first.content.decode()
    assert "?hours_page=2#hours-heading" in html
    assert "Page 1" in html
    assert "Page 1 of" not in html
    second = _page(client, group, project, hours_page=2).context["pending"]
    assert [e.pk for e in second] == [e.pk for e in entries[PENDING_HOURS_SHOWN:]]
    assert second.has_previous()
    assert not second.has_next


@pytest.mark.parametrize("number", ["0", "-1", "abc", "99999999999999999999", "3"])
def test_a_page_that_is_not_there_shows_the_nearest(client, group, organizer, project, number):
    entries = _waiting(project, group, PENDING_HOURS_SHOWN + 1)
    client.force_login(organizer)
    response = _page(client, group, project, hours_page=number)
    assert response.status_code == 200
    shown = [e.pk for e in response.context["pending"]]
    # Not a number: the first page; a number out of range: the last (as Paginator.get_page).
    expected = entries[:PENDING_HOURS_SHOWN] if number == "abc" else entries[PENDING_HOURS_SHOWN:]
    assert shown == [e.pk for e in expected]


def test_the_review_decides_entries_beyond_the_first_page(client, group, organizer, project):
    entries = _waiting(project, group, PENDING_HOURS_SHOWN + 1)
    last = entries[-1]
    client.force_login(organizer)
    response = client.post(
        reverse("workspace:volunteering_hours_review", args=[group.slug, project.slug]),
        {"entries": [entries[0].pk, last.pk], "decision": "verify"},
    )
    assert response.status_code == 302
    assert HoursEntry.objects.get(pk=last.pk).status == HoursEntry.Status.VERIFIED
    assert HoursEntry.objects.get(pk=entries[0].pk).status == HoursEntry.Status.VERIFIED
    assert HoursEntry.objects.filter(status=HoursEntry.Status.PENDING).count() == len(entries) - 2


def test_the_review_never_decides_another_projects_entry(client, group, organizer, project):
    other_project = VolunteerProjectFactory(group=group)
    mine = _waiting(project, group, 1)[0]
    theirs = _waiting(other_project, group, 1)[0]
    decided = _entry(project, MembershipFactory(group=group).user, status="verified")
    client.force_login(organizer)
    response = client.post(
        reverse("workspace:volunteering_hours_review", args=[group.slug, project.slug]),
        {"entries": [mine.pk, theirs.pk, decided.pk], "decision": "reject", "note": "No"},
    )
    assert response.status_code == 400
    assert HoursEntry.objects.get(pk=theirs.pk).status == HoursEntry.Status.PENDING
    assert HoursEntry.objects.get(pk=mine.pk).status == HoursEntry.Status.PENDING
    assert HoursEntry.objects.get(pk=decided.pk).status == HoursEntry.Status.VERIFIED


@pytest.mark.parametrize(
    "value", ["abc", "", "99999999999999999999999", "-1", "1.5", "\u0661", "²", "0x1", " 1"]
)
def test_bad_entry_ids_are_a_form_error_never_a_500(client, group, organizer, project, value):
    entry = _waiting(project, group, 1)[0]
    client.force_login(organizer)
    response = client.post(
        reverse("workspace:volunteering_hours_review", args=[group.slug, project.slug]),
        {"entries": [value], "decision": "verify"},
    )
    assert response.status_code == 400
    assert HoursEntry.objects.get(pk=entry.pk).status == HoursEntry.Status.PENDING


def test_the_page_shows_roles_with_their_repeating_shifts_and_verified_totals(
    client, group, organizer, project
):
    cook, driver, _empty = (RoleFactory(project=project, name=n) for n in ("Cook", "Driver", "Zz"))
    later = timezone.now().replace(microsecond=0) + dt.timedelta(days=30)
    made = [
        shift_series_create(
            role=role,
            actor=organizer,
            rrule="FREQ=WEEKLY;COUNT=2",
            first_starts_at=later + dt.timedelta(days=days),
            duration=dt.timedelta(hours=2),
            timezone="Europe/London",
        )
        for role, days in ((cook, 7), (cook, 1), (driver, 3))
    ]
    volunteers = [MembershipFactory(group=group).user for _ in range(3)]
    _entry(project, volunteers[0], minutes=90, status="verified")
    _entry(project, volunteers[0], minutes=30, status="verified")
    voided = _entry(project, volunteers[1], minutes=45, status="verified")
    # voided: its reversal nets it out, and the volunteer has no hours left here
    hours_entry_correct(entry=voided, minutes=0, note="Never came", actor=organizer)
    _entry(project, volunteers[2], minutes=600)  # waiting: not counted
    _entry(VolunteerProjectFactory(group=group), volunteers[2], minutes=60, status="verified")
    client.force_login(organizer)
    context = _page(client, group, project).context
    roles = context["roles"]
    assert [r.name for r in roles] == ["Cook", "Driver", "Zz"]
    assert [[s.pk for s in r.repeating] for r in roles] == [
        [made[1].pk, made[0].pk],
        [made[2].pk],
        [],
    ]
    series = roles[0].repeating[0]
    assert series.duration == dt.timedelta(hours=2)
    assert series.first_starts_at == later + dt.timedelta(days=1)
    assert series.words
    assert context["totals"] == {"volunteers": 1, "total_minutes": 120}
