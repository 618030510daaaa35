"""The organizer workspace: its shape, who may open it, and check-in at the door."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.moderation import moderation_session_start
from events.models import Rsvp, WalkIn
from groups.models import Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory
from tests.workspace.conftest import going

pytestmark = pytest.mark.django_db


def dashboard_url(group):
    return reverse("workspace:dashboard", args=[group.slug])


def test_index_lists_groups_run_with_what_needs_attention(client, organizer, group, today):
    MembershipFactory(group=group, status=Membership.Status.PENDING, joined_at=None)
    today.capacity = 1
    today.save(update_fields=["capacity"])
    going(today)
    going(today, name="Wanda Waiting", status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    elsewhere = GroupFactory(name="Not mine")
    client.force_login(organizer)
    response = client.get(reverse("workspace:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Recovery circle" in text
    assert "1 request to join" in text
    assert "1 person waiting for a seat" in text
    assert "1 coming event" in text
    assert elsewhere.name not in text


def test_host_sees_no_requests_to_join(client, host, group):
    MembershipFactory(group=group, status=Membership.Status.PENDING, joined_at=None)
    client.force_login(host)
    text = client.get(reverse("workspace:index")).content.decode()
    assert "Recovery circle" in text
    assert "request to join" not in text
    text = client.get(dashboard_url(group)).content.decode()
    assert "request to join" not in text


def test_member_has_no_groups_to_organize(client, member, group):
    client.force_login(member)
    text = client.get(reverse("workspace:index")).content.decode()
    assert "Recovery circle" not in text


def test_index_queries_do_not_grow_with_groups(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)

    def count_for(n):
        for _i in range(n):
            group = GroupFactory(organizer=user)
            EventFactory(group=group, seats_taken=1)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("workspace:index")).status_code == 200
        return len(queries)

    assert count_for(1) == count_for(9) == count_for(90)


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider", "superuser", "pending"])
def test_workspace_is_404_for_anyone_but_organizers_and_hosts(client, group, today, who):
    urls = [
        dashboard_url(group),
        reverse("workspace:events", args=[group.slug]),
        reverse("workspace:event", args=[group.slug, today.slug]),
        reverse("workspace:check_in", args=[group.slug, today.slug]),
        reverse("workspace:sign_in_sheet", args=[group.slug, today.slug]),
    ]
    if who == "anonymous":
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        return
    user = UserFactory(is_superuser=who == "superuser", is_staff=who == "superuser")
    if who == "member":
        MembershipFactory(group=group, user=user)
    if who == "pending":
        MembershipFactory(group=group, user=user, status=Membership.Status.PENDING)
    client.force_login(user)
    for url in urls:
        assert client.get(url).status_code == 404, url
    rsvp = going(today)
    response = client.post(
        reverse("workspace:check_in_mark", args=[group.slug, today.slug, rsvp.pk])
    )
    assert response.status_code == 404
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


def test_moderator_in_a_session_opens_the_workspace(client, group):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    moderation_session_start(actor=superuser, reason="Looking into a report")
    client.force_login(superuser)
    response = client.get(dashboard_url(group))
    assert response.status_code == 200
    assert "Site moderator" in response.content.decode()


def test_dashboard_shows_sections_and_head_counts(client, organizer, group, today):
    going(today, guests=0)
    client.force_login(organizer)
    response = client.get(dashboard_url(group))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Tuesday circle" in text
    assert reverse("workspace:events", args=[group.slug]) in text
    assert reverse("workspace:check_in", args=[group.slug, today.slug]) in text
    assert "1 RSVP going" in text


def test_event_of_another_group_is_404_under_this_group(client, organizer, group):
    other = EventFactory(group=GroupFactory(organizer=organizer))
    client.force_login(organizer)
    assert client.get(reverse("workspace:event", args=[group.slug, other.slug])).status_code == 404


def test_views_declare_their_methods(client, organizer, group, today):
    client.force_login(organizer)
    assert client.post(dashboard_url(group)).status_code == 405
    assert (
        client.get(reverse("workspace:check_in_mark", args=[group.slug, today.slug, 1])).status_code
        == 405
    )
    assert (
        client.get(reverse("workspace:walk_in_add", args=[group.slug, today.slug])).status_code
        == 405
    )


def test_host_checks_someone_in_from_the_door_list(client, host, group, today):
    rsvp = going(today, name="Gem Going")
    client.force_login(host)
    page = client.get(reverse("workspace:check_in", args=[group.slug, today.slug]))
    assert "Mark Gem Going arrived" in page.content.decode()
    response = client.post(
        reverse("workspace:check_in_mark", args=[group.slug, today.slug, rsvp.pk]),
        {"arrived": "1"},
        follow=True,
    )
    assert "Gem Going is checked in." in response.content.decode()
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is not None
    client.post(
        reverse("workspace:check_in_mark", args=[group.slug, today.slug, rsvp.pk]),
        {"arrived": "0"},
    )
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


def test_walk_ins_are_added_by_name_and_removed(client, organizer, group, today):
    client.force_login(organizer)
    url = reverse("workspace:walk_in_add", args=[group.slug, today.slug])
    assert client.post(url, {"name": ""}).status_code == 400
    client.post(url, {"name": "Sam"})
    walk_in = WalkIn.objects.get(event=today)
    assert walk_in.name == "Sam"
    client.post(reverse("workspace:walk_in_remove", args=[group.slug, today.slug, walk_in.pk]))
    assert not WalkIn.objects.exists()


def test_past_event_shows_who_came_and_who_did_not(client, organizer, group):
    past = EventFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=3))
    came = going(past, name="Cara Came")
    going(past, name="Nadia Notcome")
    Rsvp.objects.filter(pk=came.pk).update(checked_in_at=past.starts_at)
    client.force_login(organizer)
    text = client.get(reverse("workspace:event", args=[group.slug, past.slug])).content.decode()
    assert "Who came" in text
    assert "Did not come" in text
    assert text.index("Cara Came") < text.index("Did not come")


def test_sign_in_sheet_lists_people_going_and_walk_ins(client, organizer, group, today):
    going(today, name="Gem Going", guests=0)
    WalkIn.objects.create(event=today, name="Sam Walkin")
    client.force_login(organizer)
    text = client.get(
        reverse("workspace:sign_in_sheet", args=[group.slug, today.slug])
    ).content.decode()
    assert "Gem Going" in text
    assert "Sam Walkin" in text


def test_check_in_page_queries_do_not_grow_with_people(client, organizer, group):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organizer)
    counts = []
    for n in (1, 10, 100):
        event = EventFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=1))
        for i in range(n):
            going(event, name=f"Person {i}")
            WalkIn.objects.create(event=event, name=f"Walk-in {i}")
        for name in ("check_in", "event", "sign_in_sheet"):
            with CaptureQueriesContext(connection) as queries:
                assert (
                    client.get(
                        reverse(f"workspace:{name}", args=[group.slug, event.slug])
                    ).status_code
                    == 200
                )
            counts.append((name, len(queries)))
    by_name = {}
    for name, count in counts:
        by_name.setdefault(name, set()).add(count)
    assert all(len(found) == 1 for found in by_name.values()), counts


def test_capacity_raised_from_the_people_list_moves_the_waitlist(client, organizer, group, today):
    today.capacity = 1
    today.save(update_fields=["capacity"])
    going(today)
    waiting = going(today, name="Wanda Waiting", status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    client.force_login(organizer)
    page = client.get(reverse("workspace:event", args=[group.slug, today.slug])).content.decode()
    assert "Give Wanda Waiting a seat" in page
    client.post(reverse("workspace:event_capacity", args=[group.slug, today.slug]), {"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == Rsvp.Status.GOING


def test_capacity_below_seats_taken_is_refused_with_the_rule(client, organizer, group, today):
    today.capacity = 3
    today.save(update_fields=["capacity"])
    going(today)
    going(today, name="Other")
    client.force_login(organizer)
    response = client.post(
        reverse("workspace:event_capacity", args=[group.slug, today.slug]),
        {"capacity": 1},
        follow=True,
    )
    assert "2 seats are already taken" in response.content.decode()
    today.refresh_from_db()
    assert today.capacity == 3


def test_give_a_seat_from_the_waitlist(client, host, group, today):
    today.capacity = 1
    today.save(update_fields=["capacity"])
    going(today)
    waiting = going(today, name="Wanda Waiting", status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    client.force_login(host)
    response = client.post(
        reverse("workspace:waitlist_admit", args=[group.slug, today.slug, waiting.pk]), follow=True
    )
    assert "Wanda Waiting is now going." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Rsvp.Status.GOING


def test_member_attendance_history(client, organizer, group, member):
    came = EventFactory(
        group=group, title="Came here", starts_at=timezone.now() - dt.timedelta(days=9)
    )
    missed = EventFactory(
        group=group, title="Missed this", starts_at=timezone.now() - dt.timedelta(days=2)
    )
    from tests.factories import RsvpFactory

    RsvpFactory(event=came, user=member, checked_in_at=came.starts_at)
    RsvpFactory(event=missed, user=member)
    client.force_login(organizer)
    url = reverse("workspace:member_attendance", args=[group.slug, member.pk])
    text = client.get(url).content.decode()
    assert "Came 1 times, did not come 1 times" in text
    assert text.index("Missed this") < text.index("Came here")
    outsider = UserFactory()
    assert (
        client.get(
            reverse("workspace:member_attendance", args=[group.slug, outsider.pk])
        ).status_code
        == 404
    )


def test_header_shows_organize_with_what_needs_attention(client, organizer, group):
    MembershipFactory(group=group, status=Membership.Status.PENDING, joined_at=None)
    MembershipFactory(group=group, status=Membership.Status.PENDING, joined_at=None)
    client.force_login(organizer)
    text = client.get(reverse("groups:mine")).content.decode()
    assert reverse("workspace:index") in text
    assert "2 need you" in text


def test_header_has_no_organize_link_for_plain_members(client, member):
    client.force_login(member)
    assert reverse("workspace:index") not in client.get(reverse("groups:mine")).content.decode()


def test_header_count_is_one_query_whatever_the_number_of_groups(organizer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from groups.selectors import workspace_attention

    for _i in range(5):
        g = GroupFactory(organizer=organizer)
        MembershipFactory(group=g, status=Membership.Status.PENDING, joined_at=None)
    with CaptureQueriesContext(connection) as queries:
        summary = workspace_attention(user=organizer)
    assert len(queries) == 1
    assert summary == {"groups": 5, "pending": 5}
