"""What the care calendar tests share: a calendar with a secret address and notes, and the
people who stand in different places around it."""

import datetime as dt

from django.utils import timezone

from groups.models import Group
from tests.factories import GroupFactory, MembershipFactory
from volunteering.care import services
from volunteering.care_models import CareCalendar

ADDRESS = "14 Juniper Lane, Flat 3"
NOTES = "Door code 4512, the dog is friendly"
DIETARY = "Vegetarian, no nuts"


def member(group, **kwargs):
    return MembershipFactory(group=group, **kwargs).user


def open_calendar(
    *,
    group=None,
    opener=None,
    visibility=CareCalendar.Visibility.GROUP,
    title="Meals for Sam",
    **fields,
):
    group = group or GroupFactory(visibility=Group.Visibility.PRIVATE)
    opener = opener or member(group)
    data = {
        "title": title,
        "recipient_name": "Sam",
        "about": "Sam is home after an operation.",
        "help_needed": ["meal", "ride"],
        "dietary_notes": DIETARY,
        "access_notes": "Second floor, lift works",
        "address": ADDRESS,
        "private_notes": NOTES,
        "timezone": "Europe/London",
        "visibility": visibility,
    }
    data.update(fields)
    return services.care_calendar_create(actor=opener, group=group, **data)


def add_slot(calendar, *, days=3, hours=18, capacity=1, kind="meal", actor=None):
    starts = (timezone.now() + dt.timedelta(days=days)).replace(
        hour=hours, minute=0, second=0, microsecond=0
    )
    actor = actor or calendar.coordinators.first().user
    return services.care_slot_create(
        calendar=calendar,
        actor=actor,
        kind=kind,
        title="Dinner",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        capacity=capacity,
    )


def coordinator_of(calendar):
    return calendar.coordinators.select_related("user").first().user
