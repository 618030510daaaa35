"""Web addresses and tags must not reveal hidden rows: an event of a private or unlisted group
never pushes a public event to "-2", so nobody learns on which dates a private circle meets."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone

from core import bus
from events.models import Event, Tag
from events.services import event_create, event_update
from events.services._common import has_hidden_slug
from groups.models import Group, Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2099, 3, 4, 18, 0, tzinfo=dt.UTC)
SUFFIX = re.compile(r"^recovery-circle-2099-03-04-(?=[a-z0-9]*[a-z])[a-z0-9]{10,}$")


def organized(visibility):
    group = GroupFactory(visibility=visibility)
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    return group, organizer


def circle(group, organizer, **extra):
    return event_create(
        group=group,
        actor=organizer,
        title="Recovery circle",
        category="support",
        venue_name="Room 2",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=1),
        **extra,
    )


@pytest.mark.parametrize("visibility", [Group.Visibility.PRIVATE, Group.Visibility.UNLISTED])
def test_a_hidden_groups_event_does_not_take_the_public_address(visibility):
    circle(*organized(visibility))
    public = circle(*organized(Group.Visibility.PUBLIC))
    assert public.slug == "recovery-circle-2099-03-04"


@pytest.mark.parametrize("visibility", [Group.Visibility.PRIVATE, Group.Visibility.UNLISTED])
def test_a_hidden_groups_event_gets_an_unguessable_address(visibility):
    group, organizer = organized(visibility)
    first, second = circle(group, organizer), circle(group, organizer)
    assert SUFFIX.match(first.slug)
    assert SUFFIX.match(second.slug)
    assert first.slug != second.slug


def test_public_events_still_number_their_namesakes():
    group, organizer = organized(Group.Visibility.PUBLIC)
    slugs = [circle(group, organizer).slug for _ in range(2)]
    assert slugs == ["recovery-circle-2099-03-04", "recovery-circle-2099-03-04-2"]
    assert not any(has_hidden_slug(slug) for slug in slugs)


def test_a_group_turning_private_hides_its_events_addresses():
    group, organizer = organized(Group.Visibility.PUBLIC)
    event = circle(group, organizer)
    past = EventFactory(
        group=group, starts_at=timezone.now() - dt.timedelta(days=3), slug="old-walk-2020-01-01"
    )
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    bus.publish("group.updated", group=group, changed_fields={"visibility"}, actor=organizer)
    event.refresh_from_db()
    past.refresh_from_db()
    assert SUFFIX.match(event.slug)
    assert has_hidden_slug(past.slug)
    # The public address is free again for a public namesake.
    assert circle(*organized(Group.Visibility.PUBLIC)).slug == "recovery-circle-2099-03-04"


def test_other_group_changes_leave_addresses_alone():
    group, organizer = organized(Group.Visibility.PUBLIC)
    event = circle(group, organizer)
    bus.publish("group.updated", group=group, changed_fields={"visibility", "name"})
    bus.publish("group.updated", group=group, changed_fields={"name"})
    group.visibility = Group.Visibility.UNLISTED
    group.save()
    bus.publish("group.updated", group=group, changed_fields=["description"])
    event.refresh_from_db()
    assert event.slug == "recovery-circle-2099-03-04"


def test_existing_events_of_hidden_groups_are_moved_by_the_migration():
    hidden = EventFactory(
        group=GroupFactory(visibility=Group.Visibility.PRIVATE),
        title="Recovery circle",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=1),
        timezone="UTC",
        slug="recovery-circle-2099-03-04",
    )
    public = EventFactory(slug="walk-2099-03-04")
    migration = importlib.import_module("events.migrations.0006_hide_slugs_of_hidden_groups")
    migration.hide_slugs(apps, None)
    hidden.refresh_from_db()
    public.refresh_from_db()
    assert SUFFIX.match(hidden.slug)
    assert public.slug == "walk-2099-03-04"


def test_a_hidden_events_tag_spelling_does_not_reach_public_pages():
    circle(*organized(Group.Visibility.PRIVATE), tags=["NA Leeds Tuesdays"])
    public = circle(*organized(Group.Visibility.PUBLIC), tags=["na leeds tuesdays"])
    assert [tag.name for tag in public.tags.all()] == ["na leeds tuesdays"]
    assert Tag.objects.count() == 1


def test_a_public_spelling_is_not_changed_by_a_hidden_event():
    public = circle(*organized(Group.Visibility.PUBLIC), tags=["Board games"])
    circle(*organized(Group.Visibility.PRIVATE), tags=["BOARD GAMES"])
    assert [tag.name for tag in public.tags.all()] == ["Board games"]


def test_editing_a_public_event_keeps_its_address():
    group, organizer = organized(Group.Visibility.PUBLIC)
    event = circle(group, organizer)
    event_update(event=event, actor=organizer, title="Another name")
    assert Event.objects.get(pk=event.pk).slug == "recovery-circle-2099-03-04"
