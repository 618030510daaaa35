"""Every page people browse runs the same number of queries for 1, 10 or 100 rows of what it
lists, and at most VISITOR_MAX for a visitor and MEMBER_MAX for a signed-in member.

The count of each page is pinned (EXPECTED): a page that gets cheaper changes its number here,
on purpose. Visitors are counted with the page cache off (the test settings): the rendering
itself, what a visitor costs when the cache is cold. Members are signed in with the session in
the cache (cached_db), as in production.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import notifications as event_notices
from events.models import Event, Rsvp
from groups.models import Group, Membership
from notifications.models import Channel, Notification
from tests.ceilings import MEMBER_MAX, SIZES, VISITOR_MAX
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    GroupFactory,
    MembershipFactory,
    RoleFactory,
    RsvpFactory,
    SeriesRsvpFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from volunteering.services import signup_create

pytestmark = pytest.mark.django_db

LEEDS = {"latitude": 53.8, "longitude": -1.55}
PAGE = 20  # settings.PAGE_SIZE, pinned below


class World:
    """A member with a place and interests, in a public group with a repeating event, and
    what each page lists, grown to n rows by `grow_<page>`."""

    def __init__(self):
        self.member = UserFactory(interests="choir, walks", **LEEDS)
        self.group = GroupFactory(name="Choir of the valley")
        MembershipFactory(group=self.group, role=Membership.Role.ORGANIZER)
        MembershipFactory(group=self.group, user=self.member)
        series = EventSeriesFactory(group=self.group)
        start = timezone.now() + dt.timedelta(days=3)
        for week in range(3):
            EventFactory(
                group=self.group,
                series=series,
                title="Choir practice",
                starts_at=start + dt.timedelta(weeks=week),
                **LEEDS,
            )
        self.series = series
        self.event = EventFactory(group=self.group, title="Choir concert", **LEEDS)
        self.project = VolunteerProjectFactory(group=self.group)
        self.role = RoleFactory(project=self.project)
        self.counts: dict[str, int] = {}

    def more(self, name: str, n: int) -> int:
        """How many rows of `name` to add to have n."""
        have = self.counts.get(name, 0)
        self.counts[name] = max(have, n)
        return max(n - have, 0)

    def events(self, n: int, **fields) -> None:
        for _ in range(self.more("events", n)):
            event = EventFactory(
                group=self.group,
                title="Choir night",
                newcomers_welcome=True,
                **LEEDS,
                **fields,
            )
            event.tags.create(name=f"tag-{event.pk}", slug=f"tag-{event.pk}")
            RsvpFactory(event=event, user=self.member)

    def grow_home(self, n: int) -> None:
        self.events(n)
        for _ in range(self.more("elsewhere", n)):
            EventFactory(newcomers_welcome=True, title="Walks by the river", **LEEDS)

    def grow_events(self, n: int) -> None:
        self.events(n)

    def grow_events_page2(self, n: int) -> None:
        self.events(PAGE + n)

    def grow_event_page(self, n: int) -> None:
        for _ in range(self.more("going", n)):
            person = MembershipFactory(group=self.group).user
            RsvpFactory(event=self.event, user=person)
        have = self.counts.get("event_tags", 0)
        for tag in range(have, have + self.more("event_tags", n)):
            self.event.tags.create(name=f"kind-{tag}", slug=f"kind-{tag}")

    def grow_group_page(self, n: int) -> None:
        self.events(n)
        MembershipFactory.create_batch(self.more("members", n), group=self.group)

    def grow_groups(self, n: int) -> None:
        for _ in range(self.more("groups", n)):
            group = GroupFactory(name="Choir and friends")
            MembershipFactory.create_batch(2, group=group)
            MembershipFactory(group=group, user=self.member)
        for _ in range(self.more("private_groups", n)):
            GroupFactory(name="Choir, quietly", visibility=Group.Visibility.PRIVATE)

    def grow_my_events(self, n: int) -> None:
        self.events(n)
        past = timezone.now() - dt.timedelta(days=30)
        for _ in range(self.more("past", n)):
            event = EventFactory(
                group=self.group, starts_at=past, ends_at=past + dt.timedelta(hours=2)
            )
            RsvpFactory(event=event, user=self.member)
        for _ in range(self.more("waitlisted", n)):
            event = EventFactory(group=self.group, capacity=1)
            RsvpFactory(event=event, user=MembershipFactory(group=self.group).user)
            RsvpFactory(
                event=event, user=self.member, status=Rsvp.Status.WAITLISTED, waitlist_position=1
            )
        for _ in range(self.more("every_date", n)):
            series = EventSeriesFactory(group=self.group)
            EventFactory(group=self.group, series=series)
            SeriesRsvpFactory(series=series, user=self.member)

    def grow_volunteer(self, n: int) -> None:
        for _ in range(self.more("projects", n)):
            ShiftFactory(role=RoleFactory(project=VolunteerProjectFactory(group=self.group)))

    def shifts(self, n: int) -> None:
        start = timezone.now() + dt.timedelta(days=2)
        have = self.counts.get("shifts", 0)
        for i in range(self.more("shifts", n)):
            shift = ShiftFactory(
                role=self.role, starts_at=start + dt.timedelta(days=have + i), capacity=3
            )
            signup_create(shift=shift, user=self.member)

    def grow_project_page(self, n: int) -> None:
        self.shifts(n)

    def grow_my_shifts(self, n: int) -> None:
        self.shifts(n)

    def grow_inbox(self, n: int) -> None:
        have = self.counts.get("notices", 0)
        for i in range(self.more("notices", n)):
            for kind in (event_notices.CONFIRMED, event_notices.REMINDER):
                Notification.objects.create(
                    recipient=self.member,
                    kind=kind,
                    channel=Channel.INBOX,
                    subject=f"events.event:{self.event.pk}",
                    send_at=timezone.now(),
                    sent_at=timezone.now(),
                    status=Notification.Status.SENT,
                    read_at=None if i % 2 else timezone.now(),
                    dedupe_key=f"ceiling:{have + i}:{kind}",
                )
        if not Rsvp.objects.filter(event=self.event, user=self.member).exists():
            RsvpFactory(event=self.event, user=self.member)


def url_of(world: World, page: str) -> str:
    return {
        "home": reverse("home"),
        "events": reverse("events:list"),
        "events_q": reverse("events:list") + "?q=choir",
        "events_near": reverse("events:list") + "?lat=53.8&lon=-1.55&radius_km=10",
        "events_page2": reverse("events:list") + "?page=2",
        "event_page": world.event.get_absolute_url(),
        "group_page": world.group.get_absolute_url(),
        "groups": reverse("groups:list"),
        "groups_q": reverse("groups:list") + "?q=choir",
        "my_events": reverse("events:mine"),
        "volunteer": reverse("volunteering:list"),
        "volunteer_q": reverse("volunteering:list") + "?q=food",
        "project_page": world.project.get_absolute_url(),
        "my_shifts": reverse("volunteering:mine"),
        "inbox": reverse("notifications:inbox"),
    }[page]


GROW = {
    "home": "grow_home",
    "events": "grow_events",
    "events_q": "grow_events",
    "events_near": "grow_events",
    "events_page2": "grow_events_page2",
    "event_page": "grow_event_page",
    "group_page": "grow_group_page",
    "groups": "grow_groups",
    "groups_q": "grow_groups",
    "my_events": "grow_my_events",
    "volunteer": "grow_volunteer",
    "volunteer_q": "grow_volunteer",
    "project_page": "grow_project_page",
    "my_shifts": "grow_my_shifts",
    "inbox": "grow_inbox",
}

# (page, who) -> queries, the same for 1, 10 and 100 rows.
EXPECTED = {
    ("home", "visitor"): 2,
    ("events", "visitor"): 3,
    ("events_q", "visitor"): 3,
    ("events_near", "visitor"): 3,
    ("events_page2", "visitor"): 2,
    ("event_page", "visitor"): 1,
    ("group_page", "visitor"): 3,
    ("groups", "visitor"): 1,
    ("groups_q", "visitor"): 1,
    ("volunteer", "visitor"): 1,
    ("volunteer_q", "visitor"): 1,
    ("project_page", "visitor"): 2,
    ("home", "member"): 6,
    ("events", "member"): 4,
    ("events_q", "member"): 5,
    ("events_near", "member"): 5,
    ("events_page2", "member"): 3,
    ("event_page", "member"): 3,
    ("group_page", "member"): 6,
    ("groups", "member"): 3,
    ("groups_q", "member"): 3,
    ("my_events", "member"): 5,
    ("volunteer", "member"): 3,
    ("volunteer_q", "member"): 3,
    ("project_page", "member"): 6,
    ("my_shifts", "member"): 4,
    ("inbox", "member"): 5,
}


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(("page", "who"), list(EXPECTED))
def test_page_costs_the_same_queries_for_1_10_and_100_rows(client, settings, page, who):
    settings.PAGE_SIZE = PAGE
    world = World()
    if who == "member":
        client.force_login(world.member)
    grow = getattr(world, GROW[page])
    url = url_of(world, page)
    counts = []
    for n in SIZES:
        grow(n)
        if not counts:
            client.get(url)  # what a process does once (compiling the header's counts)
        counts.append(queries_for(client, url))
    assert counts == [counts[0]] * len(SIZES), counts
    assert counts[0] <= (MEMBER_MAX if who == "member" else VISITOR_MAX), counts
    assert counts[0] == EXPECTED[page, who]


def test_the_member_sees_what_the_pages_list(client, settings):
    """The rows the counts are taken for are on the pages (the counts are not of empty
    pages)."""
    settings.PAGE_SIZE = PAGE
    world = World()
    world.grow_home(10)
    world.grow_my_events(10)
    world.grow_inbox(10)
    world.grow_my_shifts(10)
    client.force_login(world.member)
    picks = client.get(url_of(world, "home")).context["picks"]
    assert picks.in_my_groups
    assert picks.nearby
    assert picks.newcomer_friendly
    mine = client.get(url_of(world, "my_events")).context
    assert len(mine["upcoming"].object_list) == PAGE
    assert len(mine["past"].object_list) == 10
    assert len(mine["every_date"]) == 10
    assert len(client.get(url_of(world, "inbox")).context["items"]) == PAGE
    assert len(client.get(url_of(world, "my_shifts")).context["rows"]) == 10
    assert Event.objects.count() > 30
