"""Leaving a group asks first, on a page that says what will happen."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Rsvp
from groups.models import Group, Membership
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    ShiftFactory,
    UserFactory,
)
from volunteering.services import signup_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory(name="Tuesday choir", join_policy=Group.JoinPolicy.APPROVAL)


@pytest.fixture
def member(group):
    return MembershipFactory(group=group).user


def leave_url(group):
    return reverse("groups:leave", kwargs={"slug": group.slug})


def test_group_page_offers_a_quiet_link_not_a_button(client, group, member):
    client.force_login(member)
    html = client.get(group.get_absolute_url()).content.decode()
    assert f'<a href="{leave_url(group)}">Leave group</a>' in html
    assert f'action="{leave_url(group)}"' not in html  # no one-click leave form


def test_confirmation_names_the_places_given_up_and_that_rejoining_needs_approval(
    client, group, member
):
    going = EventFactory(
        group=group,
        title="Winter concert",
        starts_at=dt.datetime(2030, 12, 15, 18, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 12, 15, 20, tzinfo=dt.UTC),
    )
    RsvpFactory(event=going, user=member)
    waiting = EventFactory(group=group, title="Rehearsal", capacity=1, seats_taken=1)
    RsvpFactory(event=waiting, user=member, status=Rsvp.Status.WAITLISTED)
    EventFactory(group=group, title="Not my event")
    EventFactory(
        group=group,
        title="Last year's party",
        starts_at=timezone.now() - dt.timedelta(days=30),
        ends_at=timezone.now() - dt.timedelta(days=30) + dt.timedelta(hours=2),
    )
    shift = ShiftFactory(role__project__group=group, role__name="Tea urn")
    signup_create(shift=shift, user=member, actor=member)
    client.force_login(member)
    response = client.get(leave_url(group))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your place at Winter concert, Sun 15 Dec 2030, 18:30 (Europe/London)" in html
    assert "waiting list for Rehearsal" in html
    # Leaving a public group keeps its shifts: anyone may volunteer there.
    assert "Tea urn shift" not in html
    assert "Not my event" not in html
    assert "Last year" not in html
    assert "rejoining needs approval" in html
    assert Membership.objects.filter(user=member, group=group).exists()  # GET changes nothing


def test_open_group_says_you_can_join_again(client, member, group):
    Group.objects.filter(pk=group.pk).update(join_policy=Group.JoinPolicy.OPEN)
    client.force_login(member)
    html = client.get(leave_url(group)).content.decode()
    assert "rejoining needs approval" not in html
    assert "you can join again at any time" in html
    assert "give up no places" in html


def test_confirming_leaves_and_gives_up_the_seat(client, group, member):
    event = EventFactory(group=group)
    RsvpFactory(event=event, user=member)
    client.force_login(member)
    response = client.post(leave_url(group))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=member, group=group).exists()
    assert Rsvp.objects.get(event=event, user=member).status == Rsvp.Status.NOT_GOING


def test_pending_request_page_offers_to_withdraw(client, group):
    asking = MembershipFactory(group=group, status=Membership.Status.PENDING, joined_at=None)
    client.force_login(asking.user)
    html = client.get(leave_url(group)).content.decode()
    assert "Withdraw my request" in html


def test_people_outside_the_group_are_sent_back(client, group):
    client.force_login(UserFactory())
    response = client.get(leave_url(group))
    assert response.status_code == 302


def test_anonymous_visitors_are_asked_to_log_in(client, group):
    response = client.get(leave_url(group))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_hidden_private_group_is_404_to_outsiders(client, group):
    Group.objects.filter(pk=group.pk).update(visibility=Group.Visibility.PRIVATE)
    client.force_login(UserFactory())
    assert client.get(leave_url(group)).status_code == 404


def test_confirmation_page_costs_the_same_for_1_10_100_events(
    client, group, member, django_assert_num_queries
):
    client.force_login(member)
    counts = []
    for size in [1, 10, 100]:
        have = Rsvp.objects.filter(user=member).count()
        for _ in range(size - have):
            RsvpFactory(event=EventFactory(group=group), user=member)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(leave_url(group)).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] == counts[2]
    assert counts[0] <= 6


def test_last_organizer_is_told_to_hand_over_before_anything_else(client, group):
    organizer = Membership.objects.get(group=group, role=Membership.Role.ORGANIZER).user
    client.force_login(organizer)
    html = client.get(leave_url(group)).content.decode()
    assert "You are the last organizer" in html
    assert f'action="{leave_url(group)}"' not in html
    other = MembershipFactory(group=group)
    Membership.objects.filter(pk=other.pk).update(role=Membership.Role.ORGANIZER)
    html = client.get(leave_url(group)).content.decode()
    assert "You are the last organizer" not in html
    assert f'action="{leave_url(group)}"' in html


def test_leaving_a_private_group_names_the_shifts_given_up(client, member):
    group = GroupFactory(visibility="private", join_policy="approval")
    MembershipFactory(group=group, user=member)
    shift = ShiftFactory(role__project__group=group, role__name="Tea urn")
    signup_create(shift=shift, user=member, actor=member)
    client.force_login(member)
    html = client.get(leave_url(group)).content.decode()
    assert "Tea urn shift" in html
