"""Upkeep of sync and retries: a group made public again brings its events back to an
`updated_since` mirror; Idempotency-Key records are forgotten after their window."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from core.actors import Actor
from groups.services import group_update
from partners.models import IdempotencyRecord
from partners.tasks import idempotency_records_expire_task
from partners.upkeep import idempotency_records_expire
from tests.factories import EventFactory, GroupFactory
from tests.partners.conftest import api

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


def sync(key, since):
    response = api(key).get("/api/v1/events", {"updated_since": since.isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    return [row["id"] for row in body["data"]], [(t["id"], t["reason"]) for t in body["deleted"]]


def test_a_group_made_public_again_brings_its_events_back_to_an_updated_since_sync(
    partner, other_partner
):
    group = GroupFactory()
    event = EventFactory(group=group)
    before_hiding = timezone.now()
    group_update(group=group, actor=SYSTEM, visibility="private")
    after_hiding = timezone.now()
    assert sync(partner.read_key, after_hiding) == ([], [])

    group_update(group=group, actor=SYSTEM, visibility="public")
    assert sync(partner.read_key, after_hiding) == ([event.pk], [])
    # A mirror that never saw it go sees it changed, and no tombstone any more.
    assert sync(partner.read_key, before_hiding) == ([event.pk], [])


def test_a_group_hidden_a_second_time_writes_a_fresh_tombstone(partner):
    group = GroupFactory()
    event = EventFactory(group=group)
    group_update(group=group, actor=SYSTEM, visibility="private")
    group_update(group=group, actor=SYSTEM, visibility="public")
    before_second_hiding = timezone.now()
    group_update(group=group, actor=SYSTEM, visibility="unlisted")
    assert sync(partner.read_key, before_second_hiding) == ([], [(event.pk, "hidden")])


def test_another_change_of_a_public_group_does_not_mark_its_events_changed(partner):
    group = GroupFactory()
    EventFactory(group=group)
    since = timezone.now()
    group_update(group=group, actor=SYSTEM, name="A new name")
    assert sync(partner.read_key, since) == ([], [])


def _record(client, key, *, age_hours, completed=True):
    return IdempotencyRecord.objects.create(
        client=client,
        key=key,
        request_hash="x" * 64,
        completed=completed,
        created_at=timezone.now() - dt.timedelta(hours=age_hours),
    )


def test_idempotency_records_are_forgotten_after_their_window_in_flight_ones_too(partner):
    client = partner.organization.clients.first()
    _record(client, "old", age_hours=25)
    _record(client, "stuck", age_hours=30, completed=False)
    fresh = _record(client, "fresh", age_hours=23)
    assert idempotency_records_expire() == 2
    assert list(IdempotencyRecord.objects.all()) == [fresh]


def test_idempotency_expiry_works_in_batches(partner):
    client = partner.organization.clients.first()
    for n in range(5):
        _record(client, f"k{n}", age_hours=48)
    assert idempotency_records_expire(batch=2) == 5
    assert not IdempotencyRecord.objects.exists()


def test_a_key_can_be_used_again_for_another_body_once_forgotten(partner):
    client = api(partner.write_key)
    first_url = f"/api/v1/events/{EventFactory(group=partner.group).pk}/cancel"
    other_url = f"/api/v1/events/{EventFactory(group=partner.group).pk}/cancel"
    first = client.post(first_url, {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 200, first.content
    assert client.post(other_url, {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1").status_code == 422
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        assert idempotency_records_expire_task.delay().get() == 1
    later = client.post(other_url, {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert later.status_code == 200, later.content
    assert later.json()["data"]["status"] == "cancelled"
    assert "Idempotent-Replayed" not in later


def test_the_expiry_task_has_time_limits():
    task = idempotency_records_expire_task
    assert task.soft_time_limit < task.time_limit


def test_a_group_made_public_again_marks_its_projects_and_shifts_changed_too(partner):
    from tests.factories import ShiftFactory, VolunteerProjectFactory

    group = GroupFactory()
    project = VolunteerProjectFactory(group=group)
    shift = ShiftFactory(role__project=project)
    group_update(group=group, actor=SYSTEM, visibility="private")
    before = timezone.now()
    group_update(group=group, actor=SYSTEM, visibility="public")
    project.refresh_from_db()
    shift.refresh_from_db()
    assert project.updated_at >= before
    assert shift.updated_at >= before
