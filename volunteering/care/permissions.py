"""Who may do what with a care calendar: one yes/no predicate per question.

`can_see_care_private` is the one rule for the recipient's address and private notes: pages,
the slot feed, emails, the personal-data export, search and error messages all ask it (or its
SQL twin `private_visible_q`, written beside it from the same facts).

Predicates take optional `facts` (a `CareFacts` the caller already loaded) so a page asks every
question of one calendar for a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from core.actors import Actor
from groups.models import Membership
from groups.permissions import is_active_member
from volunteering.care_models import (
    CareCalendar,
    CareCoordinator,
    CareHelper,
    CareSignup,
    CareSlot,
)


@dataclass(frozen=True)
class CareFacts:
    """What one person is to one calendar, loaded once."""

    is_coordinator: bool
    is_recipient: bool
    is_invited: bool
    is_group_member: bool
    has_confirmed_slot: bool
    helper: CareHelper | None = None  # their own row: the invitation taken, their weekly cap


def _person(user):
    if isinstance(user, Actor):
        return user.user if user.is_person else None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def confirmed_slot_q(user, *, prefix: str = "") -> Q:
    """Calendars (or rows whose calendar is at `prefix`) where `user` holds a confirmed place
    on a slot that is not cancelled."""
    return Q(
        Exists(
            CareSignup.objects.filter(
                slot__calendar=OuterRef(f"{prefix}pk"),
                user=user,
                status=CareSignup.Status.CONFIRMED,
                slot__status=CareSlot.Status.OPEN,
            )
        )
    )


def care_facts(user, calendar: CareCalendar) -> CareFacts | None:
    """The person's standing with the calendar (None for nobody)."""
    user = _person(user)
    if user is None:
        return None
    helper = CareHelper.objects.filter(calendar=calendar, user=user).first()
    return CareFacts(
        is_coordinator=CareCoordinator.objects.filter(calendar=calendar, user=user).exists(),
        is_recipient=calendar.recipient_id is not None and calendar.recipient_id == user.pk,
        is_invited=helper is not None and helper.invited,
        is_group_member=is_active_member(user, calendar.group),
        has_confirmed_slot=CareSignup.objects.filter(
            slot__calendar=calendar,
            user=user,
            status=CareSignup.Status.CONFIRMED,
            slot__status=CareSlot.Status.OPEN,
        ).exists(),
        helper=helper,
    )


_HELPER_FIELDS = [field.attname for field in CareHelper._meta.concrete_fields]


def with_care_facts(calendars: QuerySet, user) -> QuerySet:
    """`calendars` with what `care_facts` reads for the person, in the same query
    (`care_facts_of` gives them back); unchanged for nobody."""
    user = _person(user)
    if user is None:
        return calendars
    helper = CareHelper.objects.filter(calendar=OuterRef("pk"), user=user)
    return calendars.annotate(
        **{f"facts_helper_{name}": Subquery(helper.values(name)[:1]) for name in _HELPER_FIELDS},
        facts_coordinator=Exists(
            CareCoordinator.objects.filter(calendar=OuterRef("pk"), user=user)
        ),
        facts_member=Exists(
            Membership.objects.filter(
                group=OuterRef("group_id"), user=user, status=Membership.Status.ACTIVE
            )
        ),
        facts_confirmed=confirmed_slot_q(user),
    )


def care_facts_of(user, calendar: CareCalendar) -> CareFacts | None:
    """The facts `with_care_facts` read along with the calendar (as `care_facts`)."""
    user = _person(user)
    if user is None:
        return None
    helper = None
    if calendar.facts_helper_id is not None:
        helper = CareHelper.from_db(
            calendar._state.db,
            _HELPER_FIELDS,
            [getattr(calendar, f"facts_helper_{name}") for name in _HELPER_FIELDS],
        )
        helper.calendar = calendar
    return CareFacts(
        is_coordinator=calendar.facts_coordinator,
        is_recipient=calendar.recipient_id is not None and calendar.recipient_id == user.pk,
        is_invited=helper is not None and helper.invited,
        is_group_member=calendar.facts_member,
        has_confirmed_slot=calendar.facts_confirmed,
        helper=helper,
    )


def _facts(user, calendar, facts):
    return care_facts(user, calendar) if facts is None else facts


def can_view_care_calendar(user, calendar: CareCalendar, *, facts=None) -> bool:
    """May the person open the calendar? Its coordinators and recipient; for a group calendar
    the group's active members; for an invited-only one, people who accepted the invitation
    (same rule as CareCalendar.objects.visible_to)."""
    if isinstance(user, Actor) and user.is_system:
        return True
    facts = _facts(user, calendar, facts)
    if facts is None:
        return False
    if facts.is_coordinator or facts.is_recipient or facts.is_invited:
        return True
    return calendar.visibility == CareCalendar.Visibility.GROUP and facts.is_group_member


def can_coordinate_care(user, calendar: CareCalendar, *, facts=None) -> bool:
    """Coordinators (the opener and the people they add) run the calendar: slots, notes,
    coordinators, the invitation link. The system does too (demo data, a closing group)."""
    if isinstance(user, Actor) and user.is_system:
        return True
    facts = _facts(user, calendar, facts)
    return facts is not None and facts.is_coordinator


def can_post_care_update(user, calendar: CareCalendar, *, facts=None) -> bool:
    """The recipient (when they have an account) and the coordinators post updates."""
    if isinstance(user, Actor) and user.is_system:
        return True
    facts = _facts(user, calendar, facts)
    return facts is not None and (facts.is_coordinator or facts.is_recipient)


def can_see_care_private(user, calendar: CareCalendar, *, facts=None) -> bool:
    """The recipient's address and private notes: coordinators, helpers holding a confirmed
    place on a slot that is not cancelled, and the recipient themselves; always among those
    who may still open the calendar (a helper who left the group no longer sees it)."""
    facts = _facts(user, calendar, facts)
    if facts is None or not can_view_care_calendar(user, calendar, facts=facts):
        return False
    return facts.is_coordinator or facts.is_recipient or facts.has_confirmed_slot


def private_visible_q(user, *, prefix: str = "") -> Q:
    """SQL twin of `can_see_care_private` over calendars (or rows whose calendar is at
    `prefix`), for lists and feeds. Combine with CareCalendar.objects.visible_to."""
    user = _person(user)
    if user is None:
        return Q(pk__in=[])
    return (
        Q(**{f"{prefix}recipient": user})
        | Q(Exists(CareCoordinator.objects.filter(calendar=OuterRef(f"{prefix}pk"), user=user)))
        | confirmed_slot_q(user, prefix=prefix)
    )
