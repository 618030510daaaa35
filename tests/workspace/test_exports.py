"""CSV exports: a header row, only what the organizer may see, formulas made plain text."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Rsvp, WalkIn
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory
from tests.workspace.conftest import going
from workspace.csv_export import neutralize

pytestmark = pytest.mark.django_db


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"])
def test_formula_cells_are_neutralized(value):
    assert neutralize(value) == "'" + value


def test_plain_cells_are_kept():
    assert neutralize("Ann") == "Ann"
    assert neutralize(3) == "3"
    assert neutralize(None) == ""


def test_event_attendees_csv(client, host, group, today):
    going(today, name="=HYPERLINK(evil)", guests=0)
    going(today, name="Wanda", status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    WalkIn.objects.create(event=today, name="Sam")
    client.force_login(host)
    found = rows(
        client.get(reverse("workspace:event_attendees_csv", args=[group.slug, today.slug]))
    )
    assert found[0][:3] == ["Name", "Status", "Guests"]
    names = [row[0] for row in found[1:]]
    assert names == ["'=HYPERLINK(evil)", "Wanda", "Sam"]
    assert found[2][1] == "On the waitlist"
    assert found[3][1] == "Walk-in"


def test_members_csv_is_for_organizers_and_names_no_email(client, organizer, host, group, member):
    client.force_login(organizer)
    found = rows(client.get(reverse("workspace:members_csv", args=[group.slug])))
    assert found[0] == ["Name", "Role", "Joined"]
    assert {row[0] for row in found[1:]} == {"Olu Organizer", "Hana Host", "Mo Member"}
    assert member.email not in str(found)
    client.force_login(host)
    assert client.get(reverse("workspace:members_csv", args=[group.slug])).status_code == 404


def test_attendance_csv_over_dates(client, organizer, group):
    now = timezone.now()
    inside = EventFactory(group=group, title="Inside", starts_at=now - dt.timedelta(days=5))
    outside = EventFactory(group=group, title="Outside", starts_at=now - dt.timedelta(days=40))
    came = going(inside, name="Cara")
    Rsvp.objects.filter(pk=came.pk).update(checked_in_at=inside.starts_at)
    going(inside, name="Nadia")
    going(outside, name="Otto")
    other_group_event = EventFactory(group=GroupFactory(), starts_at=now - dt.timedelta(days=3))
    going(other_group_event, name="Stranger")
    client.force_login(organizer)
    start = (now - dt.timedelta(days=10)).date().isoformat()
    end = now.date().isoformat()
    found = rows(
        client.get(
            reverse("workspace:attendance_csv", args=[group.slug]), {"start": start, "end": end}
        )
    )
    assert found[0] == ["Starts", "Time zone", "Event", "Name", "Guests", "Came"]
    assert sorted((row[3], row[5]) for row in found[1:]) == [("Cara", "Yes"), ("Nadia", "No")]


def test_attendance_csv_refuses_a_backwards_range(client, organizer, group):
    client.force_login(organizer)
    response = client.get(
        reverse("workspace:attendance_csv", args=[group.slug]),
        {"start": "2026-05-01", "end": "2026-04-01"},
    )
    assert response.status_code == 400
    assert "The end date comes before the start." in response.content.decode()


def test_exports_are_404_to_members(client, member, group, today):
    client.force_login(member)
    for url in (
        reverse("workspace:event_attendees_csv", args=[group.slug, today.slug]),
        reverse("workspace:members_csv", args=[group.slug]),
        reverse("workspace:attendance_csv", args=[group.slug]),
    ):
        assert client.get(url).status_code == 404


def test_export_queries_do_not_grow(client, organizer, group):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organizer)
    counts = set()
    for n in (1, 10, 50):
        event = EventFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=1))
        for i in range(n):
            going(event, name=f"P{i}")
            MembershipFactory(group=group, user=UserFactory())
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("workspace:event_attendees_csv", args=[group.slug, event.slug]))
            client.get(reverse("workspace:members_csv", args=[group.slug]))
            client.get(reverse("workspace:attendance_csv", args=[group.slug]))
        counts.add(len(queries))
    assert len(counts) == 1
