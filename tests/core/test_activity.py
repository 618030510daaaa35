"""The activity log: one helper writes it, inside the service's transaction."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from core import activity
from core.actors import Actor
from core.models import Activity
from groups.models import Group
from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_refuses_outside_a_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        activity.record(actor=Actor.system("test"), verb="group.updated", subject="groups.group:1")
    assert not Activity.objects.exists()


def test_record_rolls_back_with_the_change_it_describes():
    @transaction.atomic
    def failing_service():
        activity.record(actor=Actor.system("test"), verb="group.updated", subject="groups.group:1")
        raise RuntimeError("the change itself failed")

    with pytest.raises(RuntimeError, match="change itself"):
        failing_service()
    assert not Activity.objects.exists()


def test_record_stores_each_kind_of_actor():
    person = UserFactory()
    group = GroupFactory()
    with transaction.atomic():
        by_person = activity.record(
            actor=person, verb="group.updated", subject=group, group_id=group.pk, data={"a": 1}
        )
        by_system = activity.record(
            actor=Actor.system("group closed"), verb="event.cancelled", subject="events.event:3"
        )
        by_client = activity.record(
            actor=Actor.client(client_id=77, name="Partner"),
            verb="event.created",
            subject="events.event:4",
        )

    by_person.refresh_from_db()
    assert (by_person.actor_kind, by_person.actor_user, by_person.actor_reason) == (
        Activity.ActorKind.PERSON,
        person,
        "",
    )
    assert by_person.actor_client_id is None
    assert by_person.subject == f"groups.group:{group.pk}"
    assert (by_person.group_id, by_person.data) == (group.pk, {"a": 1})
    by_system.refresh_from_db()
    assert (by_system.actor_kind, by_system.actor_user, by_system.actor_reason) == (
        Activity.ActorKind.SYSTEM,
        None,
        "group closed",
    )
    by_client.refresh_from_db()
    assert (by_client.actor_kind, by_client.actor_user, by_client.actor_client_id) == (
        Activity.ActorKind.CLIENT,
        None,
        77,
    )
    assert by_client.data == {}


def test_every_change_has_an_actor():
    with pytest.raises(ValueError, match="actor"), transaction.atomic():
        activity.record(actor=None, verb="group.updated", subject="groups.group:1")


def test_changes_lists_only_what_changed_as_plain_values():
    when = dt.datetime(2026, 5, 1, 18, 30, tzinfo=dt.UTC)
    before = {
        "title": "Choir",
        "starts_at": when,
        "capacity": 10,
        "tags": {"b", "a"},
        "visibility": Group.Visibility.PUBLIC,
        "same": 1,
    }
    after = {
        "title": "Choir night",
        "starts_at": when + dt.timedelta(hours=1),
        "capacity": None,
        "tags": ["a", "c"],
        "visibility": Group.Visibility.PRIVATE,
        "same": 1,
        "new": True,
    }
    assert activity.changes(before, after) == {
        "capacity": [10, None],
        "new": [None, True],
        "starts_at": ["2026-05-01T18:30:00+00:00", "2026-05-01T19:30:00+00:00"],
        "tags": [["a", "b"], ["a", "c"]],
        "title": ["Choir", "Choir night"],
        "visibility": ["public", "private"],
    }
    assert activity.changes(before, dict(before)) == {}


def test_anonymize_actor_keeps_what_happened_without_the_person():
    leaving, staying = UserFactory(), UserFactory()
    with transaction.atomic():
        theirs = activity.record(actor=leaving, verb="membership.left", subject="groups.group:1")
        other = activity.record(actor=staying, verb="membership.left", subject="groups.group:1")

    assert activity.anonymize_actor(leaving) == 1

    theirs.refresh_from_db()
    other.refresh_from_db()
    assert (theirs.actor_user, theirs.actor_kind, theirs.verb) == (
        None,
        Activity.ActorKind.PERSON,
        "membership.left",
    )
    assert other.actor_user == staying


def test_for_group_is_the_groups_history_newest_first():
    group, other = GroupFactory(), GroupFactory()
    start = timezone.now()
    written = []
    for minutes, group_id in [(0, group.pk), (5, other.pk), (10, group.pk), (10, group.pk)]:
        with time_machine.travel(start + dt.timedelta(minutes=minutes)), transaction.atomic():
            written.append(
                activity.record(
                    actor=Actor.system("test"),
                    verb="group.updated",
                    subject=f"groups.group:{group_id}",
                    group_id=group_id,
                )
            )

    history = list(activity.for_group(group.pk))

    assert history == [written[3], written[2], written[0]]  # same moment: the later row first


def test_each_row_is_announced_in_its_transaction():
    from core import bus

    heard = []

    def listener(*, topic, activity, **_payload):
        heard.append((topic, activity.verb, transaction.get_connection().in_atomic_block))

    bus.subscribe(activity.ACTIVITY_RECORDED, listener)
    try:
        with transaction.atomic():
            activity.record(
                actor=Actor.system("test"), verb="group.updated", subject="groups.group:1"
            )
    finally:
        bus.unsubscribe(activity.ACTIVITY_RECORDED, listener)
    assert heard == [("activity.recorded", "group.updated", True)]
