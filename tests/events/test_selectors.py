import datetime as dt
import math

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core.exceptions import NotFound
from core.models import Category
from events import selectors
from events.models import Event, EventSeries, Rsvp
from groups.models import Group, Membership
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
LEEDS = (53.8008, -1.5491)
BRADFORD = (53.7960, -1.7594)
YORK = (53.9600, -1.0873)
LONDON = (51.5074, -0.1278)


def haversine_km(a, b):
    """From point a to the middle of b's 0.01-degree cell, as the selector measures."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, selectors.snap(b[0]), selectors.snap(b[1])))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def listed(user=None, **filters):
    return list(selectors.event_list_visible(user=user or AnonymousUser(), filters=filters))


def test_lists_public_events_and_hides_unlisted_and_private_ones():
    public = EventFactory()
    EventFactory(group=GroupFactory(visibility=Group.Visibility.UNLISTED))
    private = EventFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    assert listed() == [public]
    member = MembershipFactory(group=private.group).user
    assert set(listed(member)) == {public, private}


def test_text_matches_title_description_or_group_name_and_every_word():
    choir = EventFactory(title="Open choir rehearsal")
    walk = EventFactory(title="Sunday stroll", description="A gentle walk by the canal")
    games = EventFactory(title="Evening", group=GroupFactory(name="Board Game Friends"))
    EventFactory(title="Something else")
    assert listed(text="CHOIR") == [choir]
    assert listed(text="canal") == [walk]
    assert listed(text="board game") == [games]
    assert listed(text="choir canal") == []


def test_past_events_only_when_asked():
    now = dt.datetime.now(UTC)
    past = EventFactory(starts_at=now - dt.timedelta(days=3))
    running = EventFactory(starts_at=now - dt.timedelta(hours=1))
    future = EventFactory()
    assert listed() == [running, future]
    assert listed(include_past=True) == [past, running, future]


@time_machine.travel(dt.datetime(2030, 1, 10, 12, tzinfo=UTC), tick=False)
def test_date_range_uses_the_viewers_time_zone():
    user = UserFactory(timezone="America/New_York")
    # 02:00 UTC on 15 January is still the evening of 14 January in New York.
    late = EventFactory(starts_at=dt.datetime(2030, 1, 15, 2, tzinfo=UTC))
    on_16th = EventFactory(starts_at=dt.datetime(2030, 1, 16, 18, tzinfo=UTC))
    on_20th = EventFactory(starts_at=dt.datetime(2030, 1, 20, 18, tzinfo=UTC))
    day = dt.date(2030, 1, 14)
    assert listed(user, date_from=day, date_to=day) == [late]
    assert listed(AnonymousUser(), date_from=day, date_to=day) == []
    assert listed(user, date_from=dt.date(2030, 1, 16)) == [on_16th, on_20th]
    assert listed(user, date_to=dt.date(2030, 1, 16)) == [late, on_16th]


def test_category_and_group_filters():
    music = EventFactory(category=Category.MUSIC)
    games = EventFactory(category=Category.GAMES)
    assert listed(category=Category.MUSIC) == [music]
    assert listed(group=games.group.slug) == [games]
    assert listed(group="no-such-group") == []


def test_mode_online_or_in_person():
    hall = EventFactory(online_url="")
    online = EventFactory(venue_name="", address="", online_url="https://meet.example/x")
    hybrid = EventFactory(online_url="https://meet.example/y")
    assert listed(mode="online") == [online, hybrid]
    assert listed(mode="in_person") == [hall, hybrid]


def test_near_keeps_events_within_the_radius_and_annotates_the_distance():
    leeds = EventFactory(latitude=LEEDS[0], longitude=LEEDS[1])
    bradford = EventFactory(latitude=BRADFORD[0], longitude=BRADFORD[1])
    york = EventFactory(latitude=YORK[0], longitude=YORK[1])
    EventFactory(latitude=LONDON[0], longitude=LONDON[1])
    EventFactory(latitude=None, longitude=None)
    near_leeds = listed(lat=LEEDS[0], lon=LEEDS[1], radius_km=20)
    assert near_leeds == [leeds, bradford]
    assert near_leeds[1].distance_km == pytest.approx(haversine_km(LEEDS, BRADFORD), abs=0.01)
    assert near_leeds[0].distance_km == pytest.approx(haversine_km(LEEDS, LEEDS), abs=0.01)
    assert near_leeds[0].distance_km < 1
    assert listed(lat=LEEDS[0], lon=LEEDS[1], radius_km=50) == [leeds, bradford, york]


def test_near_works_across_the_date_line():
    east = EventFactory(latitude=0.0, longitude=179.95)
    west = EventFactory(latitude=0.0, longitude=-179.95)
    found = listed(lat=0.0, lon=179.99, radius_km=20)
    assert found == [east, west]
    assert found[1].distance_km == pytest.approx(haversine_km((0, 179.99), (0, -179.95)), abs=0.01)


def test_distance_cannot_pinpoint_a_hidden_address():
    # Two venues about 300 m apart in the same 0.01-degree cell look equally far from anywhere.
    a = EventFactory(latitude=53.8012, longitude=-1.5488)
    b = EventFactory(latitude=53.8038, longitude=-1.5452)
    for point in [(53.8020, -1.5470), (53.70, -1.40), (53.8012, -1.5488)]:
        found = {e.pk: e.distance_km for e in listed(lat=point[0], lon=point[1], radius_km=50)}
        assert found[a.pk] == pytest.approx(found[b.pk], abs=1e-9)


def test_access_event_is_not_found_for_what_the_user_may_not_see():
    private = EventFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    unlisted = EventFactory(group=GroupFactory(visibility=Group.Visibility.UNLISTED))
    with pytest.raises(NotFound):
        selectors.access_event(user=AnonymousUser(), slug=private.slug)
    with pytest.raises(NotFound):
        selectors.access_event(user=UserFactory(), slug="no-such-event")
    member = MembershipFactory(group=private.group).user
    assert selectors.access_event(user=member, slug=private.slug) == private
    assert selectors.access_event(user=AnonymousUser(), slug=unlisted.slug) == unlisted


def test_access_managed_event_is_for_organizers_and_hosts_only():
    event = EventFactory()
    member = MembershipFactory(group=event.group).user
    host = MembershipFactory(group=event.group, role=Membership.Role.HOST).user
    for user in (AnonymousUser(), UserFactory(), member):
        with pytest.raises(NotFound):
            selectors.access_managed_event(user=user, slug=event.slug)
    assert selectors.access_managed_event(user=host, slug=event.slug) == event


def test_access_group_events_is_not_found_for_a_private_group_to_outsiders():
    group = GroupFactory(visibility=Group.Visibility.PRIVATE, listed_when_private=True)
    with pytest.raises(NotFound):
        selectors.access_group_events(user=UserFactory(), slug=group.slug)
    member = MembershipFactory(group=group).user
    assert selectors.access_group_events(user=member, slug=group.slug) == group


def test_my_events_splits_upcoming_and_past_and_gives_the_place_in_line():
    user = UserFactory()
    now = dt.datetime.now(UTC)
    past = EventFactory(starts_at=now - dt.timedelta(days=10))
    soon = EventFactory(starts_at=now + dt.timedelta(days=1))
    later = EventFactory(starts_at=now + dt.timedelta(days=20))
    declined = EventFactory()
    RsvpFactory(event=past, user=user)
    RsvpFactory(event=later, user=user)
    RsvpFactory(event=declined, user=user, status=Rsvp.Status.NOT_GOING)
    for position in (1, 2):
        RsvpFactory(event=soon, status=Rsvp.Status.WAITLISTED, waitlist_position=position)
    RsvpFactory(event=soon, user=user, status=Rsvp.Status.WAITLISTED, waitlist_position=3)
    RsvpFactory(event=later, status=Rsvp.Status.WAITLISTED, waitlist_position=1)

    mine = selectors.my_events(user=user)
    upcoming = list(mine.upcoming)
    assert [r.event for r in upcoming] == [soon, later]
    assert upcoming[0].ahead == 2
    assert [r.event for r in mine.past] == [past]


def test_my_events_forgets_a_private_groups_events_after_leaving_it():
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    membership = MembershipFactory(group=group)
    RsvpFactory(event=EventFactory(group=group), user=membership.user)
    assert len(selectors.my_events(user=membership.user).upcoming) == 1
    membership.status = Membership.Status.BANNED
    membership.save()
    assert len(selectors.my_events(user=membership.user).upcoming) == 0
    assert list(selectors.calendar_feed_events(user=membership.user)) == []


def test_rsvp_for_user_counts_only_earlier_waitlisted_people():
    event = EventFactory(capacity=1, seats_taken=1)
    RsvpFactory(event=event, status=Rsvp.Status.WAITLISTED, waitlist_position=5)
    RsvpFactory(event=event, status=Rsvp.Status.NOT_GOING, waitlist_position=None)
    me = RsvpFactory(event=event, status=Rsvp.Status.WAITLISTED, waitlist_position=9).user
    RsvpFactory(event=event, status=Rsvp.Status.WAITLISTED, waitlist_position=12)
    assert selectors.rsvp_for_user(user=me, event=event).place_in_line == 2
    assert selectors.rsvp_for_user(user=AnonymousUser(), event=event) is None
    assert selectors.waitlist_count(event=event) == 3


def test_home_events_groups_nearby_and_newcomer_picks():
    user = UserFactory(latitude=LEEDS[0], longitude=LEEDS[1])
    mine = EventFactory(latitude=LEEDS[0], longitude=LEEDS[1])
    MembershipFactory(group=mine.group, user=user)
    nearby = EventFactory(latitude=BRADFORD[0], longitude=BRADFORD[1], newcomers_welcome=False)
    far = EventFactory(latitude=LONDON[0], longitude=LONDON[1])
    EventFactory(newcomers_welcome=False)
    EventFactory(status=Event.Status.CANCELLED)
    EventFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))

    picks = selectors.home_events(user=user)
    assert picks.in_my_groups == [mine]
    assert picks.nearby == [nearby]
    assert picks.newcomer_friendly == [far]

    anonymous = selectors.home_events(user=AnonymousUser())
    assert anonymous.in_my_groups == anonymous.nearby == []
    assert anonymous.newcomer_friendly == [mine, far]


def test_attendees_are_going_then_waitlist_in_order():
    event = EventFactory()
    second = RsvpFactory(event=event, status=Rsvp.Status.WAITLISTED, waitlist_position=2)
    first = RsvpFactory(event=event, status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    going = RsvpFactory(event=event)
    RsvpFactory(event=event, status=Rsvp.Status.NOT_GOING)
    host = MembershipFactory(group=event.group, role=Membership.Role.HOST).user
    assert list(selectors.event_attendees(user=host, event=event)) == [going, first, second]


def test_attendees_are_not_found_for_those_who_do_not_run_the_event():
    event = EventFactory()
    RsvpFactory(event=event)
    member = MembershipFactory(group=event.group).user
    for user in (AnonymousUser(), UserFactory(), member, None):
        with pytest.raises(NotFound):
            selectors.event_attendees(user=user, event=event)


# --- Reads behind the event pages: only what the viewer may open ------------------------------


@pytest.fixture
def private_series():
    """A weekly series in a private group: one past date, one cancelled, one edited on its own,
    two plain coming dates; and a member of the group."""
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    now = timezone.now()
    series = EventSeries.objects.create(
        group=group,
        title="Weekly circle",
        timezone="Europe/London",
        rrule="FREQ=WEEKLY",
        first_starts_at=now - dt.timedelta(days=7),
        duration=dt.timedelta(hours=1),
    )
    dates = {}
    for name, days, changes in [
        ("past", -7, {}),
        ("cancelled", 1, {"status": Event.Status.CANCELLED}),
        ("edited", 7, {"edited_from_series": True}),
        ("next", 14, {}),
        ("later", 21, {}),
    ]:
        starts = now + dt.timedelta(days=days)
        dates[name] = EventFactory(
            group=group,
            series=series,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            **changes,
        )
    member = MembershipFactory(group=group).user
    return series, dates, member


def test_series_reads_give_the_member_its_dates(private_series):
    series, dates, member = private_series
    assert selectors.series_first_occurrence(user=member, series=series) == dates["past"]
    assert selectors.series_next_occurrence(user=member, series=series) == dates["edited"]
    assert list(selectors.series_coming_unedited(user=member, series=series)) == [
        dates["next"],
        dates["later"],
    ]
    assert selectors.event_get_if_visible(user=member, pk=dates["next"].pk) == dates["next"]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "banned"])
def test_series_reads_give_outsiders_nothing(private_series, who):
    series, dates, _member = private_series
    user = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "banned": MembershipFactory(group=series.group, status=Membership.Status.BANNED).user,
    }[who]
    assert selectors.series_first_occurrence(user=user, series=series) is None
    assert selectors.series_next_occurrence(user=user, series=series) is None
    assert list(selectors.series_coming_unedited(user=user, series=series)) == []
    assert selectors.event_get_if_visible(user=user, pk=dates["next"].pk) is None


def test_event_get_if_visible_is_none_once_the_event_is_gone():
    event = EventFactory()
    pk = event.pk
    event.delete()
    assert selectors.event_get_if_visible(user=AnonymousUser(), pk=pk) is None


def test_group_listed_get_finds_only_groups_listed_for_the_user():
    public = GroupFactory()
    hidden = GroupFactory(visibility=Group.Visibility.PRIVATE)
    unlisted = GroupFactory(visibility=Group.Visibility.UNLISTED)
    member = MembershipFactory(group=hidden).user
    assert selectors.group_listed_get(user=AnonymousUser(), slug=public.slug) == public
    assert selectors.group_listed_get(user=AnonymousUser(), slug=hidden.slug) is None
    assert selectors.group_listed_get(user=AnonymousUser(), slug=unlisted.slug) is None
    assert selectors.group_listed_get(user=member, slug=hidden.slug) == hidden
    assert selectors.group_listed_get(user=member, slug="no-such-group") is None


def test_calendar_feed_owner_opens_only_active_accounts():
    user = UserFactory()
    assert selectors.calendar_feed_owner(token=user.calendar_token) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    with pytest.raises(NotFound):
        selectors.calendar_feed_owner(token=user.calendar_token)
    with pytest.raises(NotFound):
        selectors.calendar_feed_owner(token="not-a-token")


def test_selectors_know_nothing_of_the_web():
    """Tasks and the API call selectors too: they raise NotFound, never Http404."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(selectors))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not any(name.startswith("django.http") for name in imported)
