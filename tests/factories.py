"""factory_boy factories shared by every test."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import User
from core.models import Category
from events.models import Event, Rsvp
from groups.models import Group, Membership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Community group {n}")
    slug = factory.Sequence(lambda n: f"community-group-{n}")
    description = "We meet, we talk, we look out for each other."
    category = Category.SOCIAL
    city = "Leeds"
    visibility = Group.Visibility.PUBLIC
    join_policy = Group.JoinPolicy.OPEN


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)


class EventFactory(factory.django.DjangoModelFactory):
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


class RsvpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rsvp

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = Rsvp.Status.GOING
    guests = 0
