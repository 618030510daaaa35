"""factory_boy factories shared by every test. They build only states the services allow: a
group has an active organizer, and a going RSVP holds its seats (tests/conftest.py checks the
seats after every database test)."""

import datetime as dt
import uuid

import factory
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.models import Category
from events.models import Event, EventSeries, Rsvp, SeriesRsvp
from groups.models import Group, Membership
from groups.services import HIDDEN_VISIBILITIES, hidden_slug
from volunteering.models import Cause, Shift, VolunteerProject
from volunteering.models import Role as VolunteerRole


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")
    # New accounts start in the site's zone (SITE_TIME_ZONE); tests say UTC unless they choose.
    timezone = "UTC"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


STAND_IN_ORGANIZER = "stand-in-organizer"


class GroupFactory(factory.django.DjangoModelFactory):
    """A group with an active organizer: `organizer=user` names them. Without one a stand-in
    organizer is made, who hands over to the first organizer a test adds (MembershipFactory), so
    a test that sets up its own organizer still sees them as the only one."""

    class Meta:
        model = Group
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community group {n}")
    # The address the services would give: a private or unlisted group's carries a random part.
    slug = factory.LazyAttributeSequence(
        lambda group, n: (
            hidden_slug(group.name)
            if group.visibility in HIDDEN_VISIBILITIES
            else f"community-group-{n}"
        )
    )
    description = "We meet, we talk, we look out for each other."
    category = Category.SOCIAL
    city = "Leeds"
    visibility = Group.Visibility.PUBLIC
    join_policy = Group.JoinPolicy.OPEN

    @factory.post_generation
    def organizer(group, create, extracted, **kwargs):
        if not create:
            return
        Membership.objects.create(
            group=group,
            user=extracted
            or UserFactory(
                email=f"{STAND_IN_ORGANIZER}-{uuid.uuid4().hex[:12]}@example.com",
                display_name="Stand-in organizer",
            ),
            role=Membership.Role.ORGANIZER,
            status=Membership.Status.ACTIVE,
            joined_at=timezone.now(),
        )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        membership = super()._create(model_class, *args, **kwargs)
        if (
            membership.role == Membership.Role.ORGANIZER
            and membership.status == Membership.Status.ACTIVE
        ):
            User.objects.filter(
                memberships__group=membership.group_id,
                email__startswith=STAND_IN_ORGANIZER,
            ).delete()
        return membership


class EventFactory(factory.django.DjangoModelFactory):
    """An event; `seats_taken=n` means n people are going (each a going RSVP holding a seat)."""

    class Meta:
        model = Event

    group = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Gathering {n}")
    slug = factory.Sequence(lambda n: f"gathering-{n}")
    description = "Come as you are."
    timezone = "Europe/London"
    venue_name = "Community hall"
    address = "1 High Street, Leeds"
    category = Category.SOCIAL
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))

    @classmethod
    def _create(cls, model_class, *args, seats_taken=0, **kwargs):
        event = super()._create(model_class, *args, **kwargs)
        for _seat in range(seats_taken):
            RsvpFactory(event=event)
        return event


class EventSeriesFactory(factory.django.DjangoModelFactory):
    """A weekly series row, without its dates (make them with EventFactory(series=...), or
    through events.services.event_series_materialize)."""

    class Meta:
        model = EventSeries

    group = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Weekly gathering {n}")
    timezone = "Europe/London"
    venue_name = "Community hall"
    address = "1 High Street, Leeds"
    category = Category.SOCIAL
    rrule = "FREQ=WEEKLY"
    first_starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    duration = dt.timedelta(hours=2)


class SeriesRsvpFactory(factory.django.DjangoModelFactory):
    """An active standing RSVP (the person's RSVPs to its dates are made separately)."""

    class Meta:
        model = SeriesRsvp

    series = factory.SubFactory(EventSeriesFactory)
    user = factory.SubFactory(UserFactory)


class RsvpFactory(factory.django.DjangoModelFactory):
    """An RSVP; a going one takes its seats on the event (1 + guests), as the service does."""

    class Meta:
        model = Rsvp

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = Rsvp.Status.GOING
    guests = 0

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        rsvp = super()._create(model_class, *args, **kwargs)
        if rsvp.status == Rsvp.Status.GOING:
            Event.objects.filter(pk=rsvp.event_id).update(seats_taken=F("seats_taken") + rsvp.seats)
            rsvp.event.refresh_from_db(fields=["seats_taken"])
        return rsvp


class VolunteerProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerProject

    group = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Food bank {n}")
    slug = factory.Sequence(lambda n: f"food-bank-{n}")
    description = "Sorting and handing out food."
    cause = Cause.FOOD
    timezone = "Europe/London"
    venue_name = "Community pantry"
    address = "2 Mill Lane, Leeds"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerRole

    project = factory.SubFactory(VolunteerProjectFactory)
    name = factory.Sequence(lambda n: f"Kitchen {n}")
    description = "Preparing meals."


class ShiftFactory(factory.django.DjangoModelFactory):
    """A shift next week; `capacity` places (None: no limit), none taken."""

    class Meta:
        model = Shift

    role = factory.SubFactory(RoleFactory)
    timezone = "Europe/London"
    capacity = 5
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
