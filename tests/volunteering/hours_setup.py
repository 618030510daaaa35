"""Set-ups for the hours tests: a group with an organizer, a host and a member; a project with
a role; shifts that took place; sign-ups that hold their places (seats_taken kept true)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from groups.models import Group, Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from volunteering.models import Role, Shift, ShiftSignup, VolunteerProject


@dataclass
class Setting:
    group: Group
    organizer: object
    host: object
    member: object
    project: VolunteerProject
    role: Role


def make_setting(*, visibility=Group.Visibility.PUBLIC) -> Setting:
    organizer = UserFactory(display_name="Olu Organizer")
    group = GroupFactory(organizer=organizer, visibility=visibility, name="Riverside Food Bank")
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    member = MembershipFactory(group=group).user
    project = VolunteerProject.objects.create(
        group=group,
        title="Saturday food bank",
        slug=f"food-bank-{uuid.uuid4().hex[:8]}",
        cause="food",
        remote=True,
        timezone="Europe/London",
    )
    role = Role.objects.create(project=project, name="Kitchen")
    return Setting(group, organizer, host, member, project, role)


def make_shift(
    role: Role,
    *,
    days_ago: int = 3,
    hours: float = 3,
    starts_at_offset: dt.timedelta = dt.timedelta(0),
    **kwargs,
) -> Shift:
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago) + starts_at_offset
    return Shift.objects.create(
        role=role,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        timezone="Europe/London",
        **kwargs,
    )


def sign_up(shift: Shift, user) -> ShiftSignup:
    """A sign-up holding its place, as the sign-up service leaves it."""
    signup = ShiftSignup.objects.create(shift=shift, user=user, status=ShiftSignup.Status.SIGNED_UP)
    Shift.objects.filter(pk=shift.pk).update(seats_taken=F("seats_taken") + signup.seats)
    return signup
