"""Web addresses reveal no hidden group: private and unlisted groups carry an unguessable
suffix, so a public group's `-2` counts public groups only, and an unlisted link cannot be
guessed from the group's name."""

import importlib
import re

import pytest
from django.apps import apps
from django.utils.text import slugify

from core import bus
from groups import services
from groups.models import Group
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HIDDEN = [Group.Visibility.PRIVATE, Group.Visibility.UNLISTED]


def fields(**overrides):
    return {"name": "Recovery circle", "category": "recovery", **overrides}


def _random_slug_of(slug: str, name: str) -> bool:
    match = re.fullmatch(rf"{re.escape(slugify(name))}-([a-z0-9]{{12}})", slug)
    return bool(match) and any(char.isalpha() for char in match.group(1))


@pytest.mark.parametrize("visibility", HIDDEN)
def test_a_public_group_named_like_a_hidden_one_gets_the_plain_name(visibility):
    hidden = services.group_create(actor=UserFactory(), **fields(visibility=visibility))
    outsider = UserFactory()
    public = services.group_create(actor=outsider, **fields())
    # Before: "recovery-circle-2", telling the outsider that a hidden "Recovery circle" exists.
    assert public.slug == "recovery-circle"
    assert hidden.slug != "recovery-circle"
    assert services.group_create(actor=outsider, **fields()).slug == "recovery-circle-2"


@pytest.mark.parametrize("visibility", HIDDEN)
def test_a_hidden_group_slug_cannot_be_guessed_from_its_name(visibility):
    user = UserFactory()
    first = services.group_create(actor=user, **fields(visibility=visibility))
    second = services.group_create(actor=user, **fields(visibility=visibility))
    for group in (first, second):
        assert _random_slug_of(group.slug, "Recovery circle"), group.slug
    assert first.slug != second.slug
    assert not re.fullmatch(r"recovery-circle(-\d+)?", first.slug)


@pytest.mark.parametrize("visibility", HIDDEN)
def test_a_group_that_becomes_hidden_gets_a_new_unguessable_address(monkeypatch, visibility):
    seen = []
    monkeypatch.setitem(
        bus._subscribers,
        "group.updated",
        [lambda *, topic, group, changed_fields, actor: seen.append(set(changed_fields))],
    )
    group = GroupFactory(name="Recovery circle", slug="recovery-circle")
    organizer = MembershipFactory(group=group, role="organizer").user
    services.group_update(group=group, actor=organizer, visibility=visibility)
    group.refresh_from_db()
    assert _random_slug_of(group.slug, "Recovery circle"), group.slug
    assert seen == [{"visibility", "slug"}]
    assert not Group.objects.filter(slug="recovery-circle").exists()


def test_other_edits_keep_the_address_and_say_what_changed(monkeypatch):
    seen = []
    monkeypatch.setitem(
        bus._subscribers,
        "group.updated",
        [lambda *, topic, group, changed_fields, actor: seen.append(set(changed_fields))],
    )
    group = GroupFactory(visibility=Group.Visibility.PRIVATE, slug="circle-abcdefabcdef")
    organizer = MembershipFactory(group=group, role="organizer").user
    services.group_update(group=group, actor=organizer, name="Renamed", city="York")
    services.group_update(group=group, actor=organizer, visibility=Group.Visibility.PUBLIC)
    services.group_update(group=group, actor=organizer, city="York")  # no change: no news
    group.refresh_from_db()
    assert group.slug == "circle-abcdefabcdef"
    assert seen == [{"name", "city"}, {"visibility"}]


def test_the_migration_gives_existing_hidden_groups_unguessable_addresses():
    public = GroupFactory(name="Choir", slug="choir")
    private = GroupFactory(name="Choir", slug="choir-2", visibility=Group.Visibility.PRIVATE)
    unlisted = GroupFactory(name="Walk", slug="walk", visibility=Group.Visibility.UNLISTED)
    migration = importlib.import_module("groups.migrations.0004_hidden_group_slugs")
    migration.forwards(apps, None)
    for group in (public, private, unlisted):
        group.refresh_from_db()
    assert public.slug == "choir"
    assert _random_slug_of(private.slug, "Choir"), private.slug
    assert _random_slug_of(unlisted.slug, "Walk"), unlisted.slug
