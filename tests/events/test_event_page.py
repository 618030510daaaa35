"""The event page as a newcomer meets it: "I'm going" that joins an open group, who hosts and
how many go, the key facts, only the actions that exist, giving up a place after a
confirmation, and the gate page at the address of an event they may not see."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import NotAllowed, ServiceError
from events import services
from events.models import Event, Rsvp
from events.services import event_series_create
from groups.models import Group, Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db

CONDUCT = "Be kind. What is said in the circle **stays** in the circle."


@pytest.fixture
def group():
    return GroupFactory(name="Leeds Walkers")


@pytest.fixture
def event(group):
    return EventFactory(
        group=group,
        title="Canal walk",
        capacity=2,
        guests_allowed=1,
        cost_note="Free",
        step_free_access=True,
        quiet_room=True,
        newcomers_welcome=True,
        timezone="Europe/London",
    )


@pytest.fixture
def outsider():
    return UserFactory(timezone="Europe/London")


def page(client, event, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(event.get_absolute_url())


def rsvp(client, event, **data):
    return client.post(reverse("events:rsvp", kwargs={"slug": event.slug}), data)


# --- Joining by going: the service ---------------------------------------------------------


def test_going_joins_an_open_group_and_rsvps_in_one_step(event, outsider):
    rsvp_row = services.rsvp_create_joining(event=event, user=outsider)
    assert rsvp_row.status == Rsvp.Status.GOING
    membership = Membership.objects.get(group=event.group, user=outsider)
    assert (membership.status, membership.role) == (Membership.Status.ACTIVE, "member")


def test_going_to_a_full_event_joins_and_waits_in_line(event, outsider):
    RsvpFactory(event=event, user=MembershipFactory(group=event.group).user, guests=1)
    rsvp_row = services.rsvp_create_joining(event=event, user=outsider)
    assert rsvp_row.status == Rsvp.Status.WAITLISTED
    assert Membership.objects.filter(group=event.group, user=outsider).exists()


def test_going_needs_the_code_of_conduct_accepted_when_the_group_has_one(event, outsider):
    Group.objects.filter(pk=event.group_id).update(code_of_conduct=CONDUCT)
    with pytest.raises(ServiceError) as refused:
        services.rsvp_create_joining(event=event, user=outsider)
    assert "conduct_accepted" in refused.value.field_errors()
    assert not Membership.objects.filter(user=outsider).exists()
    assert not Rsvp.objects.filter(user=outsider).exists()
    services.rsvp_create_joining(event=event, user=outsider, conduct_accepted=True)
    assert Rsvp.objects.get(user=outsider).status == Rsvp.Status.GOING


def test_a_group_that_approves_members_is_not_joined_by_going(event, outsider):
    Group.objects.filter(pk=event.group_id).update(join_policy=Group.JoinPolicy.APPROVAL)
    with pytest.raises(ServiceError, match="ask to join"):
        services.rsvp_create_joining(event=event, user=outsider)
    assert not Membership.objects.filter(user=outsider).exists()


def test_a_refused_rsvp_leaves_no_membership_behind(event, outsider):
    with pytest.raises(ServiceError):
        services.rsvp_create_joining(event=event, user=outsider, guests=5)
    assert not Membership.objects.filter(user=outsider).exists()


def test_nobody_joins_for_an_event_whose_rsvps_are_closed(event, outsider):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    event.refresh_from_db()
    with pytest.raises(ServiceError):
        services.rsvp_create_joining(event=event, user=outsider)
    assert not Membership.objects.filter(user=outsider).exists()


def test_a_banned_person_cannot_join_by_going(event, outsider):
    MembershipFactory(group=event.group, user=outsider, status=Membership.Status.BANNED)
    with pytest.raises(NotAllowed):
        services.rsvp_create_joining(event=event, user=outsider)
    assert not Rsvp.objects.filter(user=outsider).exists()


def test_nobody_joins_a_group_for_someone_else(event, outsider):
    with pytest.raises(NotAllowed):
        services.rsvp_create_joining(event=event, user=outsider, actor=UserFactory())


# --- Joining by going: the page ------------------------------------------------------------


def test_outsider_goes_from_the_event_page_in_one_tap(client, event, outsider):
    html = page(client, event, outsider).content.decode()
    assert "Going also makes you a member of Leeds Walkers." in html
    response = rsvp(client, event, action="going")
    assert response["Location"] == event.get_absolute_url()
    assert Rsvp.objects.get(user=outsider).status == Rsvp.Status.GOING
    follow = client.get(response["Location"])
    texts = [str(m) for m in follow.context["messages"]]
    assert "Welcome to Leeds Walkers!" in texts
    assert "You're going. See you there!" in texts


def test_the_code_of_conduct_is_shown_to_accept_and_refused_without_it(client, event, outsider):
    Group.objects.filter(pk=event.group_id).update(code_of_conduct=CONDUCT)
    html = page(client, event, outsider).content.decode()
    assert "<strong>stays</strong>" in html
    assert 'name="conduct_accepted"' in html
    response = rsvp(client, event, action="going")
    assert response.status_code == 200
    assert "Accept the group&#x27;s code of conduct to join it." in response.content.decode()
    assert response.context["rsvp_form"].errors["conduct_accepted"]
    assert not Membership.objects.filter(user=outsider).exists()
    rsvp(client, event, action="going", conduct_accepted="on")
    assert Rsvp.objects.get(user=outsider).status == Rsvp.Status.GOING


def test_members_are_not_asked_for_the_code_of_conduct(client, event):
    Group.objects.filter(pk=event.group_id).update(code_of_conduct=CONDUCT)
    member = MembershipFactory(group=event.group).user
    html = page(client, event, member).content.decode()
    assert 'name="conduct_accepted"' not in html
    rsvp(client, event, action="going")
    assert Rsvp.objects.get(user=member).status == Rsvp.Status.GOING


def test_someone_who_asked_to_join_is_told_to_wait(client, event, outsider):
    Group.objects.filter(pk=event.group_id).update(join_policy=Group.JoinPolicy.APPROVAL)
    MembershipFactory(group=event.group, user=outsider, status=Membership.Status.PENDING)
    html = page(client, event, outsider).content.decode()
    assert "You asked to join Leeds Walkers." in html
    assert "Ask to join" not in html
    assert 'value="going"' not in html


# --- What the page says --------------------------------------------------------------------


def test_hosts_are_named_with_first_names_only_when_they_chose_that(client, event):
    MembershipFactory(
        group=event.group,
        role=Membership.Role.ORGANIZER,
        user=UserFactory(display_name="Rosa Parkes", show_first_name_only=True),
        joined_at=timezone.now() - dt.timedelta(days=30),
    )
    MembershipFactory(
        group=event.group,
        role=Membership.Role.HOST,
        user=UserFactory(display_name="Sam Lee"),
        joined_at=timezone.now() - dt.timedelta(days=3),
    )
    MembershipFactory(group=event.group, user=UserFactory(display_name="Mo Member"))
    html = page(client, event).content.decode()
    assert "Hosted by Rosa and Sam Lee" in html
    assert "Parkes" not in html
    assert "Mo Member" not in html


def test_many_hosts_are_summed_up(client, event):
    for name in ("Ann", "Bo", "Cy", "Di", "Ed"):
        MembershipFactory(
            group=event.group, role=Membership.Role.HOST, user=UserFactory(display_name=name)
        )
    # The group's first organizer (from the factory), then the hosts by when they joined.
    assert (
        "Hosted by Stand-in organizer, Ann, Bo and others" in page(client, event).content.decode()
    )


def test_tags_are_shown_in_name_order_and_a_new_one_at_once(client, event):
    member = MembershipFactory(group=event.group).user
    event.tags.create(name="walks", slug="walks")
    event.tags.create(name="art", slug="art")
    html = page(client, event, member).content.decode()
    assert html.index(">art<") < html.index(">walks<")
    event.tags.create(name="music", slug="music")
    html = page(client, event).content.decode()
    assert html.index(">art<") < html.index(">music<") < html.index(">walks<")


def test_the_people_going_are_named_in_the_order_they_answered(client, group):
    event = EventFactory(group=group)
    for name in ("Zed Zero", "Amy Able", "Kim Kilo"):
        RsvpFactory(
            event=event,
            user=MembershipFactory(group=event.group, user=UserFactory(display_name=name)).user,
        )
    member = MembershipFactory(group=event.group).user
    names = page(client, event, member).context["going_names"]
    assert names == "Zed Zero, Amy Able and Kim Kilo"


def test_the_count_is_public_and_the_names_are_for_members(client, event, outsider):
    RsvpFactory(
        event=event,
        user=MembershipFactory(group=event.group, user=UserFactory(display_name="Gina Going")).user,
    )
    html = page(client, event).content.decode()
    assert "Free · Step-free · Quiet room · Newcomers welcome · 1 going" in html
    assert "Gina" not in html
    client.logout()
    assert "Gina" not in page(client, event, outsider).content.decode()
    client.logout()
    member = MembershipFactory(group=event.group).user
    html = page(client, event, member).content.decode()
    assert "Who's going" in html
    assert "Gina Going" in html


def test_a_repeating_event_says_how_it_repeats(client, group):
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    london = zoneinfo.ZoneInfo("Europe/London")
    today = timezone.now().astimezone(london).date()
    thursday = today + dt.timedelta(days=(3 - today.weekday()) % 7 + 7)
    series = event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY;BYDAY=TH",
        first_starts_at=dt.datetime.combine(thursday, dt.time(18, 30), tzinfo=london),
        duration=dt.timedelta(hours=1),
        title="Choir",
        category="arts",
        venue_name="Hall",
        timezone="Europe/London",
        horizon_days=14,
    )
    html = page(client, series.occurrences.first()).content.decode()
    assert "Every Thursday" in html


def test_tomorrow_is_said_beside_the_full_date(client, group):
    london = zoneinfo.ZoneInfo("Europe/London")
    tomorrow = timezone.now().astimezone(london).date() + dt.timedelta(days=1)
    event = EventFactory(
        group=group,
        starts_at=dt.datetime.combine(tomorrow, dt.time(12, 0), tzinfo=london),
        ends_at=dt.datetime.combine(tomorrow, dt.time(13, 0), tzinfo=london),
    )
    client.force_login(UserFactory(timezone="Europe/London"))
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Tomorrow</strong> · <time" in html


def test_the_time_zone_is_named_only_when_it_differs_from_the_viewers(client, event):
    client.force_login(UserFactory(timezone="Europe/London"))
    assert "(Europe/London)" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(UserFactory(timezone="America/New_York"))
    assert "(Europe/London)" in client.get(event.get_absolute_url()).content.decode()
    client.logout()
    # A visitor reads times in the site's zone (UTC here).
    assert "(Europe/London)" in client.get(event.get_absolute_url()).content.decode()


def test_the_rsvp_action_comes_before_the_details(client, event, outsider):
    html = page(client, event, outsider).content.decode()
    assert html.index('id="rsvp-heading"') < html.index('class="facts"')
    assert html.index('id="rsvp-heading"') < html.index('id="about-heading"')


# --- Only actions that exist ---------------------------------------------------------------


def test_no_guest_controls_on_an_event_without_guests(client, event):
    Event.objects.filter(pk=event.pk).update(guests_allowed=0)
    member = MembershipFactory(group=event.group).user
    RsvpFactory(event=event, user=member)
    html = page(client, event, member).content.decode()
    assert 'name="guests"' not in html
    assert "Change guests" not in html
    assert "I can't go after all" in html


def test_guest_controls_on_an_event_with_guests(client, event):
    member = MembershipFactory(group=event.group).user
    RsvpFactory(event=event, user=member)
    html = page(client, event, member).content.decode()
    assert 'name="guests"' in html
    assert "Change guests" in html


def test_no_calendar_links_on_a_cancelled_event(client, event):
    assert "Add to Google Calendar" in page(client, event).content.decode()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    html = page(client, event).content.decode()
    assert "Add to Google Calendar" not in html
    assert ".ics" not in html
    assert "going</p>" not in html  # no head count on a cancelled event


@pytest.mark.parametrize(("capacity", "thanks"), [(None, False), (5, True)])
def test_thanks_for_freeing_a_seat_only_where_seats_are_counted(client, event, capacity, thanks):
    Event.objects.filter(pk=event.pk).update(capacity=capacity)
    member = MembershipFactory(group=event.group).user
    RsvpFactory(event=event, user=member)
    client.force_login(member)
    response = rsvp(client, event, action="cancel")
    texts = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any("cancelled" in text for text in texts)
    assert any("freeing the seat" in text for text in texts) is thanks


# --- "I can't go after all" ----------------------------------------------------------------


def confirm_url(event):
    return reverse("events:rsvp_cancel", kwargs={"slug": event.slug})


def test_giving_up_a_place_is_confirmed_on_a_page_saying_what_happens(client, group):
    london = zoneinfo.ZoneInfo("Europe/London")
    event = EventFactory(
        group=group,
        capacity=1,
        starts_at=dt.datetime(2099, 12, 13, 18, 0, tzinfo=london),
        ends_at=dt.datetime(2099, 12, 13, 20, 0, tzinfo=london),
    )
    member = MembershipFactory(group=group).user
    RsvpFactory(event=event, user=member)
    RsvpFactory(
        event=event,
        user=MembershipFactory(group=group).user,
        status=Rsvp.Status.WAITLISTED,
        waitlist_position=1,
    )
    client.force_login(member)
    html = client.get(confirm_url(event)).content.decode()
    assert "You will give up your place on Sun 13 Dec." in html
    assert "The next person waiting gets it." in html
    assert Rsvp.objects.get(user=member).status == Rsvp.Status.GOING  # nothing happened yet
    client.post(reverse("events:rsvp", kwargs={"slug": event.slug}), {"action": "cancel"})
    assert Rsvp.objects.get(user=member).status == Rsvp.Status.NOT_GOING


def test_leaving_the_waitlist_names_the_place_in_line(client, event):
    member = MembershipFactory(group=event.group).user
    RsvpFactory(event=event, user=member, status=Rsvp.Status.WAITLISTED, waitlist_position=4)
    client.force_login(member)
    html = client.get(confirm_url(event)).content.decode()
    assert "where you are number 1 in line" in html


@pytest.mark.parametrize("who", ["anonymous", "no_rsvp", "hidden"])
def test_the_confirmation_page_for_nobody_to_confirm(client, event, who):
    if who == "anonymous":
        response = client.get(confirm_url(event))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif who == "no_rsvp":
        client.force_login(MembershipFactory(group=event.group).user)
        response = client.get(confirm_url(event))
        assert response["Location"] == event.get_absolute_url()
    else:
        Group.objects.filter(pk=event.group_id).update(visibility=Group.Visibility.PRIVATE)
        client.force_login(UserFactory())
        assert client.get(confirm_url(event)).status_code == 404


# --- The gate at a hidden event's address --------------------------------------------------


def private_event(*, listed: bool):
    group = GroupFactory(
        name="Quiet Circle", visibility=Group.Visibility.PRIVATE, listed_when_private=listed
    )
    return EventFactory(
        group=group,
        title="Secret gathering",
        slug="secret-gathering",
        venue_name="Back room",
        address="9 Hidden Row",
        cost_note="Donation",
        seats_taken=3,
    )


def body_without_the_path(response, slug):
    """The page with the address and the (per-response) CSRF token of the log-out form left
    out: all that may differ."""
    html = response.content.decode().replace(slug, "SLUG")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_a_hidden_events_gate_is_the_same_page_as_for_no_event(client, who):
    if who == "outsider":
        client.force_login(UserFactory(display_name="Olly Outsider"))
    event = private_event(listed=False)
    hidden = client.get(event.get_absolute_url())
    missing = client.get("/events/no-such-event/")
    assert hidden.status_code == missing.status_code == 404
    assert body_without_the_path(hidden, event.slug) == body_without_the_path(
        missing, "no-such-event"
    )
    html = hidden.content.decode()
    for secret in ("Secret gathering", "Quiet Circle", "Back room", "Hidden Row", "Donation"):
        assert secret not in html


def test_an_unlisted_private_groups_event_reveals_nothing_either(client):
    event = private_event(listed=False)
    Group.objects.filter(pk=event.group_id).update(visibility=Group.Visibility.UNLISTED)
    Event.objects.filter(pk=event.pk).update(group=GroupFactory(visibility="private"))
    hidden = client.get(event.get_absolute_url())
    missing = client.get("/events/no-such-event/")
    assert body_without_the_path(hidden, event.slug) == body_without_the_path(
        missing, "no-such-event"
    )


def test_the_gate_offers_to_log_in_and_come_back(client):
    event = private_event(listed=False)
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{reverse("account_login")}?next={event.get_absolute_url()}"' in html


def test_a_listed_private_groups_gate_names_the_group_and_nothing_of_the_event(client):
    event = private_event(listed=True)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 404
    html = response.content.decode()
    assert "Quiet Circle, a private group" in html
    assert event.group.get_absolute_url() in html
    for secret in ("Secret gathering", "Back room", "Hidden Row", "Donation", "3 going"):
        assert secret not in html


def test_a_member_of_the_private_group_sees_the_event(client):
    event = private_event(listed=False)
    member = MembershipFactory(group=event.group).user
    assert page(client, event, member).status_code == 200


# --- Branded error pages -------------------------------------------------------------------


def test_the_404_page_is_in_the_sites_design_with_a_way_forward(client):
    response = client.get("/groups/no-such-group/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can't find that page" in html
    assert reverse("events:list") in html
    assert 'class="site-header"' in html


def test_the_500_page_renders_with_no_context_and_no_database(django_assert_num_queries):
    from django.template import loader

    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "Something went wrong" in html
    assert 'href="/"' in html


# --- The visitors' page cache --------------------------------------------------------------


def test_a_visitors_cached_page_counts_someone_who_joined_by_going(
    client, settings, event, outsider, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    RsvpFactory(event=event, user=MembershipFactory(group=event.group).user)
    client.get(event.get_absolute_url())
    cached = client.get(event.get_absolute_url())
    assert cached["X-Page-Cache"] == "hit"
    assert "· 1 going" in cached.content.decode()
    assert "csrfmiddlewaretoken" not in cached.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_create_joining(event=event, user=outsider)
    assert "· 2 going" in client.get(event.get_absolute_url()).content.decode()
    cache.clear()


@pytest.mark.parametrize("n", [1, 10, 100])
def test_the_gate_costs_the_same_whatever_the_data(client, django_assert_num_queries, n):
    for _ in range(n):
        private_event_for_count = EventFactory(group=GroupFactory(visibility="private"))
    # the event (not found for the visitor), the group to name (none: not listed)
    with django_assert_num_queries(2):
        response = client.get(private_event_for_count.get_absolute_url())
    assert response.status_code == 404


# --- Members' pages from a query compiled once (core.compiled) --------------------------------


def test_members_in_turn_each_see_only_their_own_answer_and_a_change_at_once(client):
    """The page's query is compiled once and only the reader is bound: members viewing in turn
    each get their own membership and RSVP, an outsider the gate, and a cancelled RSVP is gone
    from the next view."""
    event = private_event(listed=False)
    alice = MembershipFactory(group=event.group, user=UserFactory(display_name="Alice A")).user
    bob = MembershipFactory(group=event.group, role=Membership.Role.ORGANIZER).user
    outsider = UserFactory()
    going = RsvpFactory(event=event, user=alice, guests=0)
    for _round in range(2):
        for reader in (alice, bob, outsider, alice):
            client.force_login(reader)
            response = page(client, event)
            if reader is outsider:
                assert response.status_code == 404
                assert "Secret gathering" not in response.content.decode()
                continue
            assert response.status_code == 200
            assert response.context["membership"].user == reader
            assert response.context["can_manage"] is (reader is bob)
            own = response.context["rsvp"]
            assert (own.pk if own else None) == (going.pk if reader is alice else None)
            assert "Alice A" in response.context["going_names"]
    services.rsvp_cancel(rsvp=going, actor=alice)
    client.force_login(alice)
    response = page(client, event)
    assert response.context["rsvp"].status == Rsvp.Status.NOT_GOING
    assert "Alice A" not in response.context["going_names"]


def test_a_host_without_a_join_date_is_named_after_those_with_one(client, group):
    """An active membership may lack `joined_at` (made by hand or imported): the page still
    answers, and names such hosts after the others, on both databases."""
    event = EventFactory(group=group)
    MembershipFactory(
        group=group, role=Membership.Role.HOST, user=UserFactory(display_name="Nora Null")
    )
    Membership.objects.filter(user__display_name="Nora Null").update(joined_at=None)
    MembershipFactory(
        group=group, role=Membership.Role.HOST, user=UserFactory(display_name="Dana Dated")
    )
    from events.selectors import event_page

    assert page(client, event).status_code == 200
    names = [person.public_name for person in event_page(user=None, slug=event.slug).hosts]
    assert names.index("Dana Dated") < names.index("Nora Null")


def test_the_names_of_people_going_are_not_kept_for_an_outsider(client, event, outsider):
    from events.selectors import event_page

    RsvpFactory(
        event=event,
        user=MembershipFactory(group=event.group, user=UserFactory(display_name="Sam Secret")).user,
    )
    for viewer in (outsider, MembershipFactory(group=event.group, status="pending").user):
        found = event_page(user=viewer, slug=event.slug)
        assert found.going_names is None
        assert "going_rows" not in vars(found.event)
        assert "Sam Secret" not in repr(vars(found.event))
