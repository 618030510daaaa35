"""Every page of a group's workspace (/organize/) and every signed-in volunteering page an
organizer or coordinator opens (care calendars, hours, my shifts, a project and its shifts)
runs the same number of queries for 1, 10 and 100 rows of what it lists, and at most
MEMBER_MAX (tests/core/test_query_ceilings.py pins the pages everyone browses).

The count of each page is pinned (EXPECTED): a page that gets cheaper changes its number here,
on purpose. The organizer is signed in with the session in the cache (cached_db), as in
production.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import WalkIn
from groups.models import Group, Membership, Report
from groups.reports import report_create
from tests.ceilings import MEMBER_MAX, SIZES
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
from tests.volunteering.care_setup import add_slot, open_calendar
from tests.volunteering.hours_setup import sign_up
from volunteering.care import services as care_services
from volunteering.hours import services as hours_services
from volunteering.services import shift_series_create, signup_create

pytestmark = pytest.mark.django_db


class World:
    """An organizer of a private group with an event, a volunteer project (a role, a repeating
    shift, shifts that took place) and a care calendar they coordinate, and what each page
    lists, grown to n rows by `grow_<page>`."""

    def __init__(self):
        self.organizer = UserFactory(display_name="Olu Organizer")
        self.group = GroupFactory(
            organizer=self.organizer,
            name="Riverside food bank",
            visibility=Group.Visibility.PRIVATE,
            join_policy=Group.JoinPolicy.APPROVAL,
        )
        self.event = EventFactory(
            group=self.group,
            title="Sorting evening",
            starts_at=timezone.now() + dt.timedelta(hours=1),
        )
        self.project = VolunteerProjectFactory(group=self.group, contact=self.organizer)
        self.role = RoleFactory(project=self.project)
        self.series = shift_series_create(
            role=self.role,
            actor=self.organizer,
            rrule="FREQ=WEEKLY;COUNT=4",
            first_starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=40),
            duration=dt.timedelta(hours=2),
            timezone="UTC",
        )
        self.shift = ShiftFactory(role=self.role, capacity=500)
        self.calendar = open_calendar(group=self.group, opener=self.organizer)
        self.counts: dict[str, int] = {}

    def more(self, name: str, n: int) -> int:
        """How many rows of `name` to add to have n."""
        have = self.counts.get(name, 0)
        self.counts[name] = max(have, n)
        return max(n - have, 0)

    def member(self, **fields):
        return MembershipFactory(group=self.group, **fields).user

    def grow_members(self, n: int) -> None:
        for _ in range(self.more("members", n)):
            person = self.member()
            RsvpFactory(event=self.event, user=person)
        for _ in range(self.more("pending", n)):
            self.member(status=Membership.Status.PENDING)
        for _ in range(self.more("banned", n)):
            self.member(status=Membership.Status.BANNED)

    def grow_events(self, n: int) -> None:
        for _ in range(self.more("events", n)):
            event = EventFactory(group=self.group)
            RsvpFactory(event=event, user=self.organizer)
        self.grow_members(n)

    def grow_event(self, n: int) -> None:
        self.grow_members(n)
        for i in range(self.more("walk_ins", n)):
            WalkIn.objects.create(event=self.event, name=f"Walk-in {i}", added_by=self.organizer)

    def grow_reports(self, n: int) -> None:
        for _ in range(self.more("reports", n)):
            reporter, reported = self.member(), self.member()
            report_create(
                actor=reporter,
                group=self.group,
                about=Report.About.MEMBER,
                subject=reported,
                reported_user=reported,
                reason="Rude at the meeting",
                subject_label=reported.public_name,
            )

    def grow_projects(self, n: int) -> None:
        for _ in range(self.more("projects", n)):
            project = VolunteerProjectFactory(group=self.group)
            ShiftFactory(role=RoleFactory(project=project))

    def grow_shifts(self, n: int) -> None:
        start = timezone.now() + dt.timedelta(days=2)
        have = self.counts.get("shifts", 0)
        for i in range(self.more("shifts", n)):
            shift = ShiftFactory(
                role=self.role, starts_at=start + dt.timedelta(days=have + i), capacity=3
            )
            signup_create(shift=shift, user=self.organizer)

    def add_roles(self, n: int) -> None:
        for _ in range(self.more("roles", n)):
            RoleFactory(project=self.project)

    def grow_hours(self, n: int) -> None:
        """Hours waiting for review: a volunteer checked in at a shift that took place."""
        past = timezone.now() - dt.timedelta(days=3)
        have = self.counts.get("hours", 0)
        for i in range(self.more("hours", n)):
            shift = ShiftFactory(
                role=self.role,
                starts_at=past - dt.timedelta(hours=have + i),
                ends_at=past - dt.timedelta(hours=have + i) + dt.timedelta(minutes=50),
                capacity=3,
            )
            signup = sign_up(shift, self.member())
            hours_services.shift_check_in(signup=signup, actor=self.organizer)

    def grow_project(self, n: int) -> None:
        self.grow_shifts(n)
        self.add_roles(n)
        self.grow_hours(n)

    def grow_shift(self, n: int) -> None:
        for _ in range(self.more("signups", n)):
            signup_create(shift=self.shift, user=self.member())

    def grow_care(self, n: int) -> None:
        have = self.counts.get("slots", 0)
        for i in range(self.more("slots", n)):
            slot = add_slot(self.calendar, days=1 + (have + i) % 20, hours=8 + (have + i) // 20)
            care_services.care_slot_take(slot=slot, user=self.member())
        for i in range(self.more("updates", n)):
            care_services.care_update_post(
                calendar=self.calendar, actor=self.organizer, body=f"Day {i}: all well."
            )

    def grow_calendars(self, n: int) -> None:
        for i in range(self.more("calendars", n)):
            open_calendar(group=self.group, opener=self.organizer, title=f"Meals {i}")


def pages(world: World) -> dict[str, tuple[str, str]]:
    """page -> (address, grow_ method)."""
    g = world.group.slug
    event = [g, world.event.slug]
    project = [g, world.project.slug]
    shift = [*project, world.shift.pk]
    code = world.calendar.code
    ws = "workspace:"
    return {
        "ws_index": (reverse(ws + "index"), "grow_events"),
        "ws_dashboard": (reverse(ws + "dashboard", args=[g]), "grow_events"),
        "ws_events": (reverse(ws + "events", args=[g]), "grow_events"),
        "ws_members": (reverse(ws + "members", args=[g]), "grow_members"),
        "ws_group_message": (reverse(ws + "group_message", args=[g]), "grow_members"),
        "ws_activity": (reverse(ws + "activity", args=[g]), "grow_members"),
        "ws_reports": (reverse(ws + "reports", args=[g]), "grow_reports"),
        "ws_member_attendance": (
            reverse(ws + "member_attendance", args=[g, world.organizer.pk]),
            "grow_events",
        ),
        "ws_event": (reverse(ws + "event", args=event), "grow_event"),
        "ws_check_in": (reverse(ws + "check_in", args=event), "grow_event"),
        "ws_event_message": (reverse(ws + "event_message", args=event), "grow_event"),
        "ws_sign_in_sheet": (reverse(ws + "sign_in_sheet", args=event), "grow_event"),
        "ws_volunteering": (reverse(ws + "volunteering", args=[g]), "grow_projects"),
        "ws_project_new": (reverse(ws + "volunteering_project_new", args=[g]), "grow_members"),
        "ws_project": (reverse(ws + "volunteering_project", args=project), "grow_project"),
        "ws_project_edit": (
            reverse(ws + "volunteering_project_edit", args=project),
            "grow_members",
        ),
        "ws_project_cancel": (
            reverse(ws + "volunteering_project_cancel", args=project),
            "grow_project",
        ),
        "ws_role_edit": (
            reverse(ws + "volunteering_role_edit", args=[*project, world.role.pk]),
            "grow_project",
        ),
        "ws_shift_new": (reverse(ws + "volunteering_shift_new", args=project), "grow_project"),
        "ws_shift": (reverse(ws + "volunteering_shift", args=shift), "grow_shift"),
        "ws_shift_edit": (reverse(ws + "volunteering_shift_edit", args=shift), "grow_shift"),
        "ws_shift_cancel": (reverse(ws + "volunteering_shift_cancel", args=shift), "grow_shift"),
        "ws_series_stop": (
            reverse(ws + "volunteering_series_stop", args=[*project, world.series.pk]),
            "grow_project",
        ),
        "care_list": (reverse("volunteering:care:list"), "grow_calendars"),
        "care_new": (reverse("volunteering:care:new"), "grow_calendars"),
        "care_detail": (reverse("volunteering:care:detail", args=[code]), "grow_care"),
        "care_edit": (reverse("volunteering:care:edit", args=[code]), "grow_care"),
        "care_slot_new": (reverse("volunteering:care:slot_new", args=[code]), "grow_care"),
        "care_limit": (reverse("volunteering:care:limit", args=[code]), "grow_care"),
        "care_coordinators": (reverse("volunteering:care:coordinators", args=[code]), "grow_care"),
        "my_hours": (reverse("volunteering:my_hours"), "grow_hours"),
        "hours_log": (reverse("volunteering:hours_log"), "grow_projects"),
        "project_hours": (
            reverse("volunteering:project_hours", args=[world.project.slug]),
            "grow_hours",
        ),
        "my_shifts": (reverse("volunteering:mine"), "grow_shifts"),
        "project_page": (world.project.get_absolute_url(), "grow_project"),
        "shift_page": (
            reverse("volunteering:shift", args=[world.project.slug, world.shift.pk]),
            "grow_shift",
        ),
    }


# (page) -> queries, the same for 1, 10 and 100 rows.
EXPECTED = {
    "ws_index": 6,
    "ws_dashboard": 6,
    "ws_events": 4,
    "ws_members": 5,
    "ws_group_message": 3,
    "ws_activity": 6,
    "ws_reports": 5,
    "ws_member_attendance": 5,
    "ws_event": 6,
    "ws_check_in": 6,
    "ws_event_message": 4,
    "ws_sign_in_sheet": 6,
    "ws_volunteering": 4,
    "ws_project_new": 5,
    "ws_project": 6,
    "ws_project_edit": 4,
    "ws_project_cancel": 3,
    "ws_role_edit": 4,
    "ws_shift_new": 6,
    "ws_shift": 5,
    "ws_shift_edit": 6,
    "ws_shift_cancel": 4,
    "ws_series_stop": 4,
    "care_list": 6,
    "care_new": 4,
    "care_detail": 6,
    "care_edit": 3,
    "care_slot_new": 3,
    "care_limit": 3,
    "care_coordinators": 4,
    "my_hours": 6,
    "hours_log": 5,
    "project_hours": 5,
    "my_shifts": 4,
    "project_page": 6,
    "shift_page": 5,
}
# Above MEMBER_MAX still, and why (their counts are pinned all the same).
ABOVE_CEILING: dict[str, str] = {}


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_every_page_walked_is_pinned():
    """A page added to the walk is pinned too, and every pin names a page of the walk."""
    assert set(pages(World())) == set(EXPECTED)
    assert set(ABOVE_CEILING) <= set(EXPECTED)


GROWS = [name for name in vars(World) if name.startswith("grow_")]


@pytest.mark.parametrize("grow", GROWS)
def test_pages_cost_the_same_queries_for_1_10_and_100_rows(client, grow):
    """The pages listing what `grow` adds, counted together at each size (one world grown
    once for all of them)."""
    world = World()
    client.force_login(world.organizer)
    walked = {page: url for page, (url, grown_by) in pages(world).items() if grown_by == grow}
    assert walked, f"no page lists what {grow} adds"
    counts: dict[str, list[int]] = {page: [] for page in walked}
    for n in SIZES:
        getattr(world, grow)(n)
        for page, url in walked.items():
            if not counts[page]:
                client.get(url)  # what a process does once (compiling the header's counts)
            counts[page].append(queries_for(client, url))
    for page, found in counts.items():
        assert found == [found[0]] * len(SIZES), (page, found)
        if page not in ABOVE_CEILING:
            assert found[0] <= MEMBER_MAX, (page, found)
    assert {page: found[0] for page, found in counts.items()} == {
        page: EXPECTED[page] for page in walked
    }


def test_the_organizer_sees_what_the_pages_list(client):
    """The rows the counts are taken for are on the pages (the counts are not of empty
    pages), the ones read along with another (coordinators, repeating shifts) included."""
    world = World()
    for grow in ("grow_project", "grow_care", "grow_event", "grow_shift"):
        getattr(world, grow)(10)
    client.force_login(world.organizer)
    walk = pages(world)
    project = client.get(walk["ws_project"][0]).context
    assert len(project["roles"]) == 11
    assert [[s.pk for s in r.repeating] for r in project["roles"] if r.repeating] == [
        [world.series.pk]
    ]
    assert len(project["shifts"]) >= 10
    assert len(project["pending"].object_list) == 10
    care = client.get(walk["care_detail"][0]).context
    assert [c.user for c in care["coordinators"]] == [world.organizer]
    assert len(care["slots"]) == 10
    assert len(care["updates"]) == 10
    assert care["show_private"]
    assert care["is_coordinator"]
    event = client.get(walk["ws_event"][0]).context
    assert len(event["going"]) == 10
    assert len(event["walk_ins"]) == 10
    shift = client.get(walk["ws_shift"][0]).context
    assert len(shift["people"]["signed_up"]) == 10
    hours = client.get(walk["project_hours"][0]).context
    assert len(hours["pending"].object_list) == 10
