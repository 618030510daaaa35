"""Scoping: the organizer of group A walks every workspace address, form, action and export.
Nothing of group B appears, and B's slug and ids answer 404, alone or under A's address."""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from events.check_in import check_in_token
from events.models import Rsvp, WalkIn
from groups.models import Group, Membership, Report
from groups.reports import report_create
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RoleFactory,
    RsvpFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from tests.volunteering.hours_setup import sign_up
from volunteering.models import HoursEntry, ShiftSeries, ShiftSignup
from workspace import urls as workspace_urls

pytestmark = pytest.mark.django_db

B_WORDS = ("Bravo", "bravo")


def patterns(resolver_list, outer=frozenset()):
    """(name, the names of every converter in its address) for each workspace address."""
    for entry in resolver_list:
        converters = outer | set(entry.pattern.converters)
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, converters)
        else:
            assert isinstance(entry, URLPattern)
            yield entry.name, converters


def build_group(name, organizer):
    group = GroupFactory(
        organizer=organizer,
        name=f"{name} circle",
        visibility=Group.Visibility.PRIVATE,
        join_policy=Group.JoinPolicy.APPROVAL,
        join_question=f"{name} question?",
    )
    member = UserFactory(display_name=f"{name} Member")
    MembershipFactory(group=group, user=member)
    MembershipFactory(
        group=group,
        user=UserFactory(display_name=f"{name} Asking"),
        status=Membership.Status.PENDING,
        joined_at=None,
        join_answer=f"{name} answer",
    )
    MembershipFactory(
        group=group,
        user=UserFactory(display_name=f"{name} Banned"),
        status=Membership.Status.BANNED,
        joined_at=None,
    )
    today = EventFactory(
        group=group,
        title=f"{name} tonight",
        capacity=1,
        starts_at=timezone.now() + dt.timedelta(hours=1),
    )
    past = EventFactory(
        group=group, title=f"{name} last week", starts_at=timezone.now() - dt.timedelta(days=7)
    )
    rsvp = RsvpFactory(event=today, user=member)
    waiting = RsvpFactory(
        event=today,
        user=UserFactory(display_name=f"{name} Waiting"),
        status=Rsvp.Status.WAITLISTED,
        waitlist_position=1,
    )
    MembershipFactory(group=group, user=waiting.user)
    RsvpFactory(event=past, user=member, checked_in_at=past.starts_at)
    walk_in = WalkIn.objects.create(event=today, name=f"{name} Walkin")
    report = report_create(
        actor=waiting.user,
        group=group,
        about=Report.About.MEMBER,
        subject=member,
        reported_user=member,
        reason=f"{name} reason",
        subject_label=member.public_name,
    )
    volunteering = build_volunteering(name, group, member)
    return {
        **volunteering,
        "report": report,
        "group": group,
        "event": today,
        "past": past,
        "rsvp": rsvp,
        "waiting": waiting,
        "walk_in": walk_in,
        "member": member,
    }


def build_volunteering(name, group, member):
    """A project with a role, a repeating shift, a shift starting now with the member signed
    up and someone waiting, and hours waiting for review."""
    project = VolunteerProjectFactory(group=group, title=f"{name} pantry", slug=f"{name}-pantry")
    role = RoleFactory(project=project, name=f"{name} driver")
    series = ShiftSeries.objects.create(
        role=role,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=2),
        timezone="Europe/London",
    )
    shift = ShiftFactory(role=role, capacity=1, starts_at=timezone.now() + dt.timedelta(minutes=30))
    signup = sign_up(shift, member)
    waiting_user = UserFactory(display_name=f"{name} Volunteer Waiting")
    ShiftSignup.objects.create(
        shift=shift, user=waiting_user, status=ShiftSignup.Status.WAITLISTED, waitlist_position=1
    )
    past = ShiftFactory(role=role, starts_at=timezone.now() - dt.timedelta(days=2))
    past_signup = sign_up(past, member)
    entry = HoursEntry.objects.create(
        volunteer=member,
        project=project,
        shift=past,
        signup=past_signup,
        worked_on=past.starts_at.date(),
        minutes=180,
        description=f"{name} hours",
        source=HoursEntry.Source.LOGGED,
        logged_by=member,
    )
    return {
        "project": project,
        "role": role,
        "series": series,
        "shift": shift,
        "signup": signup,
        "entry": entry,
    }


@pytest.fixture
def world():
    a_organizer = UserFactory(display_name="Alpha Organizer")
    a = build_group("Alpha", a_organizer)
    b = build_group("Bravo", UserFactory(display_name="Bravo Organizer"))
    return a_organizer, a, b


def kwargs_for(name, converters, side, *, group):
    values = {
        "group_slug": group["group"].slug,
        "event_slug": side["event"].slug,
        "rsvp_id": side["waiting"].pk if "admit" in name else side["rsvp"].pk,
        "walk_in_id": side["walk_in"].pk,
        "user_id": side["member"].pk,
        "project_slug": side["project"].slug,
        "role_id": side["role"].pk,
        "shift_id": side["shift"].pk,
        "signup_id": side["signup"].pk,
        "series_id": side["series"].pk,
        "report_id": side["report"].pk,
    }
    return {key: values[key] for key in converters}


def call(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(
            url,
            {
                "reason": "",
                "role": "member",
                "capacity": "5",
                "entries": [str(e.pk) for e in HoursEntry.objects.all()],
                "decision": "verify",
                "name": "Renamed",
            },
        )
    return response


def test_every_workspace_address_shows_nothing_of_another_group(client, world):
    organizer, a, b = world
    client.force_login(organizer)
    walked = 0
    for name, converters in patterns(workspace_urls.urlpatterns):
        url = reverse(f"workspace:{name}", kwargs=kwargs_for(name, converters, a, group=a))
        response = client.get(url)
        if response.status_code == 405:
            continue
        assert response.status_code == 200, (name, response.status_code)
        text = response.content.decode()
        for word in B_WORDS:
            assert word not in text, (name, word)
        assert b["group"].slug not in text
        walked += 1
    assert walked >= 10


def test_another_groups_slug_and_ids_answer_404(client, world):
    organizer, a, b = world
    client.force_login(organizer)
    checked = 0
    for name, converters in patterns(workspace_urls.urlpatterns):
        if not converters:
            continue
        # B's own address, and B's ids under A's address.
        addresses = [kwargs_for(name, converters, b, group=b)]
        if converters - {"group_slug"}:
            addresses.append(kwargs_for(name, converters, b, group=a))
        for kwargs in addresses:
            url = reverse(f"workspace:{name}", kwargs=kwargs)
            response = call(client, url)
            assert response.status_code == 404, (name, kwargs, response.status_code)
            checked += 1
    assert checked >= 20
    # Nothing of B changed through any of those requests.
    b["rsvp"].refresh_from_db()
    b["waiting"].refresh_from_db()
    assert b["rsvp"].checked_in_at is None
    assert b["waiting"].status == Rsvp.Status.WAITLISTED
    assert WalkIn.objects.filter(pk=b["walk_in"].pk).exists()
    assert Membership.objects.get(group=b["group"], user=b["member"]).role == "member"
    assert Membership.objects.filter(group=b["group"], status="banned").count() == 1
    assert Membership.objects.filter(group=b["group"], status="pending").count() == 1
    b["entry"].refresh_from_db()
    assert b["entry"].status == HoursEntry.Status.PENDING
    assert not HoursEntry.objects.filter(shift=b["shift"]).exists()
    b["shift"].refresh_from_db()
    b["series"].refresh_from_db()
    b["role"].refresh_from_db()
    assert b["shift"].status == "scheduled"
    assert b["series"].ended_at is None
    assert b["role"].name == "Bravo driver"

    b["report"].refresh_from_db()
    assert b["report"].is_open


def test_hours_review_ignores_another_groups_entries(client, world):
    organizer, a, b = world
    client.force_login(organizer)
    response = client.post(
        reverse("workspace:volunteering_hours_review", args=[a["group"].slug, a["project"].slug]),
        {"entries": [b["entry"].pk], "decision": "verify"},
    )
    assert response.status_code == 400
    b["entry"].refresh_from_db()
    assert b["entry"].status == HoursEntry.Status.PENDING


def test_bulk_decisions_ignore_another_groups_requests(client, world):
    organizer, a, b = world
    client.force_login(organizer)
    b_request = Membership.objects.get(group=b["group"], status="pending")
    client.post(
        reverse("workspace:requests_decide", args=[a["group"].slug]),
        {"people": [b_request.user_id], "decision": "approve"},
    )
    b_request.refresh_from_db()
    assert b_request.status == Membership.Status.PENDING


def test_another_groups_check_in_code_answers_404(client, world):
    organizer, a, b = world
    client.force_login(organizer)
    url = reverse("events:check_in_link", args=[check_in_token(b["rsvp"])])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    own = reverse("events:check_in_link", args=[check_in_token(a["rsvp"])])
    assert client.get(own).status_code == 200


def test_index_and_header_count_only_own_groups(client, world):
    organizer, _a, _b = world
    client.force_login(organizer)
    text = client.get(reverse("workspace:index")).content.decode()
    assert "Alpha circle" in text
    assert "Bravo" not in text
    # A request to join, an hours entry to verify and a report to review, all in A.
    assert "3 need you" in text
