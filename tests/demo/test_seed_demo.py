"""`manage.py seed_demo`: a demo a newcomer can click through, safe to run twice, and refused
on a production configuration."""

import os
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Q, Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from events.models import Event, EventSeries, Rsvp, SeriesRsvp, Tag
from events.notifications import CONFIRMED, STANDING_STARTED
from groups.models import Group, Membership, Report
from notifications.models import Channel, Notification
from tests.commands import manage
from volunteering.models import Shift, ShiftSignup, VolunteerProject

pytestmark = pytest.mark.django_db

PASSWORD = "connect-demo"
MODELS = (
    User,
    EmailAddress,
    Group,
    Membership,
    Report,
    EventSeries,
    Event,
    Rsvp,
    Tag,
    VolunteerProject,
    Shift,
    ShiftSignup,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction that is rolled back at its
    end; each test runs in a savepoint within it (pytest-django nests them)."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_second_run_changes_nothing_and_force_runs_with_debug_off(seeded, settings):
    first = counts()
    settings.DEBUG = False
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert counts() == first
    assert (
        "added now: 0 users, 0 groups, 0 memberships, 0 series, 0 events, 0 rsvps, "
        "0 partners, 0 projects, 0 shifts, 0 sign-ups, 0 hours entries, 0 statements)"
    ) in out.getvalue()


def test_demo_has_the_groups_people_and_events_a_newcomer_expects(seeded):
    assert Group.objects.count() >= 6
    assert User.objects.count() >= 30
    assert Event.objects.count() >= 40
    now = timezone.now()
    assert Event.objects.filter(starts_at__gt=now).count() >= 30
    assert Event.objects.filter(ends_at__lt=now).count() >= 3

    private = Group.objects.get(visibility=Group.Visibility.PRIVATE)
    assert private.category == "support"
    assert Group.objects.filter(join_policy=Group.JoinPolicy.APPROVAL).exclude(join_question="")
    assert Membership.objects.filter(group=private, status=Membership.Status.PENDING).exists()
    assert {g.category for g in Group.objects.all()} >= {
        "support",
        "music",
        "games",
        "arts",
        "neighbourhood",
        "outdoors",
    }
    for group in Group.objects.all():
        assert group.description
        assert group.code_of_conduct
        assert group.city
        assert group.latitude is not None
        assert group.longitude is not None

    first_name_only = User.objects.filter(
        Q(show_first_name_only=True) | ~Q(display_name__contains=" ")
    )
    assert first_name_only.count() >= 5
    assert not User.objects.filter(display_name="").exists()


def test_recurring_events_are_materialized_series(seeded):
    weekly = EventSeries.objects.filter(rrule__startswith="FREQ=WEEKLY")
    assert weekly.count() >= 3
    for series in weekly:
        assert series.occurrences.filter(starts_at__gt=timezone.now()).count() >= 4


def test_seats_match_rsvps_and_a_full_event_has_a_waitlist(seeded):
    for event in Event.objects.all():
        going = event.rsvps.filter(status=Rsvp.Status.GOING)
        seats = going.count() + (going.aggregate(n=Sum("guests"))["n"] or 0)
        assert event.seats_taken == seats, event
    full = Event.objects.filter(rsvps__status=Rsvp.Status.WAITLISTED).distinct()
    assert full.exists()
    for event in full:
        assert event.seats_taken == event.capacity
        positions = list(
            event.rsvps.filter(status=Rsvp.Status.WAITLISTED).values_list(
                "waitlist_position", flat=True
            )
        )
        assert len(set(positions)) == len(positions)
        assert None not in positions


def test_events_vary_in_access_and_one_is_online(seeded):
    events = Event.objects.all()
    assert events.filter(step_free_access=True).exists()
    assert events.filter(quiet_room=True).exists()
    assert events.filter(sign_language=True).exists()
    assert events.filter(step_free_access=False).exists()
    online = events.exclude(online_url="").filter(address="")
    assert online.exists()
    assert all(e.is_online for e in online)


@pytest.mark.parametrize(
    "email", ["organizer@example.com", "member@example.com", "staff@example.com"]
)
def test_demo_logins_work(seeded, client, email):
    assert email in seeded
    assert PASSWORD in seeded
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email=email)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user, email=email).verified


def test_demo_logins_have_the_roles_the_tour_promises(seeded):
    organizer = User.objects.get(email="organizer@example.com")
    organizes = Membership.objects.filter(
        user=organizer, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    ).count()
    assert organizes > Group.objects.count() / 2

    member = User.objects.get(email="member@example.com")
    active = Membership.objects.filter(user=member, status=Membership.Status.ACTIVE)
    assert active.count() >= 3
    assert active.filter(group__visibility=Group.Visibility.PRIVATE).exists()
    assert Rsvp.objects.filter(user=member, status=Rsvp.Status.GOING).exists()

    staff = User.objects.get(email="staff@example.com")
    assert staff.is_staff
    assert staff.is_superuser


def test_only_the_demo_logins_get_emails(seeded):
    emailed = set(
        Notification.objects.filter(channel=Channel.EMAIL).values_list(
            "recipient__email", flat=True
        )
    )
    assert emailed
    assert emailed <= {"organizer@example.com", "member@example.com", "staff@example.com"}
    assert (
        Notification.objects.filter(channel=Channel.INBOX)
        .exclude(recipient__email__in=emailed)
        .exists()
    )


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    before = counts()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert counts() == before


def test_refusal_exits_non_zero_with_one_line_on_stderr():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "connect_site.settings",
        "DEBUG": "false",
        "SECRET_KEY": "only-for-this-test-" + "x" * 40,
        # Apps log their start-up at INFO (django-axes does); only the command's output counts.
        "LOG_LEVEL": "WARNING",
    }
    result = manage("seed_demo", env=env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DEBUG" in lines[0]
    assert "--force" in lines[0]


def test_demo_organizer_has_something_to_do_in_the_workspace(seeded):
    from demo.data import ORGANIZER_EMAIL
    from events.models import Rsvp, WalkIn
    from groups.models import Membership

    organizer = User.objects.get(email=ORGANIZER_EMAIL)
    organized = Membership.objects.filter(
        user=organizer, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    ).values("group_id")
    assert Membership.objects.filter(
        group_id__in=organized, status=Membership.Status.PENDING
    ).exists()
    past = Rsvp.objects.filter(
        event__group_id__in=organized, status=Rsvp.Status.GOING, event__ends_at__lte=timezone.now()
    )
    assert past.filter(checked_in_at__isnull=False).exists()
    assert past.filter(checked_in_at__isnull=True).exists()
    assert WalkIn.objects.filter(event__group_id__in=organized).exists()


def test_food_bank_has_roles_weekly_shifts_and_a_full_shift_with_a_waitlist(seeded):
    project = VolunteerProject.objects.get(title="Splott Community Food Bank")
    assert set(project.roles.values_list("name", flat=True)) == {"Driver", "Kitchen", "Greeter"}
    driver_shifts = Shift.objects.filter(role__project=project, role__name="Driver")
    assert driver_shifts.count() >= 7
    assert all(shift.series_id for shift in driver_shifts)
    full = driver_shifts.order_by("starts_at").first()
    assert full.is_full
    waiting = ShiftSignup.objects.filter(shift=full, status=ShiftSignup.Status.WAITLISTED)
    assert waiting.count() == 2
    member = User.objects.get(email="member@example.com")
    assert ShiftSignup.objects.filter(user=member, shift__role__name="Kitchen").exists()


def test_demo_organizer_has_a_report_to_review(seeded, client):
    report = Report.objects.get(status=Report.Status.OPEN)
    assert not report.for_staff
    organizer = User.objects.get(email="organizer@example.com")
    assert report.group.memberships.filter(user=organizer, role="organizer").exists()
    client.force_login(organizer)
    page = client.get(reverse("workspace:reports", args=[report.group.slug]))
    assert page.status_code == 200
    assert "talking over the section leaders" in page.content.decode()


def test_the_demo_member_goes_to_every_choir_rehearsal(seeded):
    member = User.objects.get(email="member@example.com")
    (standing,) = SeriesRsvp.objects.active().filter(user=member)
    assert standing.series.title == "Choir rehearsal"
    coming = standing.series.occurrences.filter(starts_at__gt=timezone.now())
    assert coming.count() >= 4
    assert Rsvp.objects.filter(event__in=coming, user=member).count() == coming.count()
    notices = Notification.objects.filter(recipient=member, kind=STANDING_STARTED)
    assert set(notices.values_list("channel", flat=True)) == {Channel.EMAIL, Channel.INBOX}
    # The date the member had RSVP'd to on their own keeps its one confirmation; no others.
    assert (
        Notification.objects.filter(
            recipient=member, kind=CONFIRMED, subject__in=[f"events.event:{e.pk}" for e in coming]
        )
        .values("subject")
        .distinct()
        .count()
        <= 1
    )


def test_demo_partner_owns_a_group_with_events_and_a_volunteer_project(seeded):
    from partners.models import PartnerGroup

    groups = PartnerGroup.objects.filter(organization__slug="demo-partner").values("group_id")
    assert Event.objects.filter(group__in=groups).exists()
    assert VolunteerProject.objects.filter(group__in=groups).exists()
