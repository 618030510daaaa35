"""Export and deletion of a person's data across apps."""

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from accounts import personal_data
from accounts.models import User
from accounts.services import (
    user_calendar_token_rotate,
    user_delete,
    user_deletion_blockers,
    user_export,
    user_profile_update,
)
from core import bus
from core.exceptions import ServiceError
from events.models import Rsvp
from events.services import rsvp_create
from groups.models import Membership
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    ann = make_user(
        email="ann@example.com",
        display_name="Ann Example",
        pronouns="she/her",
        bio="I sing.",
        city="Leeds",
        latitude=53.8,
        longitude=-1.55,
        interests="singing, hiking",
        timezone="Europe/London",
    )
    bo = make_user(email="bo@example.com", display_name="Bo Other", bio="Bo's secret bio")
    choir = GroupFactory(name="Leeds Choir")
    MembershipFactory(group=choir, user=ann, role=Membership.Role.MEMBER)
    MembershipFactory(group=choir, user=bo, role=Membership.Role.ORGANIZER)
    future = EventFactory(group=choir, title="Rehearsal", capacity=1)
    past = EventFactory(
        group=choir,
        title="Spring concert",
        starts_at=timezone.now() - dt.timedelta(days=30),
        ends_at=timezone.now() - dt.timedelta(days=30) + dt.timedelta(hours=2),
    )
    return {"ann": ann, "bo": bo, "choir": choir, "future": future, "past": past}


def test_export_contains_own_account_memberships_and_rsvps(world):
    ann, bo = world["ann"], world["bo"]
    rsvp_create(event=world["future"], user=ann)
    rsvp_create(event=world["future"], user=bo)  # waitlisted: the event has one seat
    RsvpFactory(event=world["past"], user=ann)
    RsvpFactory(event=world["past"], user=bo)

    data = user_export(user=ann)

    assert data["account"]["email"] == "ann@example.com"
    assert data["account"]["display_name"] == "Ann Example"
    assert data["account"]["interests"] == ["singing", "hiking"]
    assert data["email_addresses"] == [
        {"email": "ann@example.com", "verified": True, "primary": True}
    ]
    assert [m["group"] for m in data["groups"]["memberships"]] == ["Leeds Choir"]
    assert data["groups"]["memberships"][0]["role"] == "member"
    assert sorted((r["event"], r["status"]) for r in data["events"]["rsvps"]) == [
        ("Rehearsal", "going"),
        ("Spring concert", "going"),
    ]
    text = json.dumps(data)
    assert "bo@example.com" not in text
    assert "Bo Other" not in text
    assert "Bo's secret bio" not in text
    assert ann.calendar_token not in text
    assert "password" not in text


def test_export_lists_events_the_person_created(world):
    world["future"].created_by = world["bo"]
    world["future"].save()
    assert user_export(user=world["ann"])["events"]["events_created"] == []
    created = user_export(user=world["bo"])["events"]["events_created"]
    assert [e["title"] for e in created] == ["Rehearsal"]


def test_delete_anonymizes_the_account_and_keeps_the_row(world):
    ann = world["ann"]
    old_token = ann.calendar_token
    user_delete(user=ann)

    ann = User.objects.get(pk=ann.pk)
    assert ann.deleted_at is not None
    assert not ann.is_active
    assert not ann.has_usable_password()
    assert ann.email == f"deleted-{ann.pk}@invalid.example"
    for field in ("display_name", "pronouns", "bio", "city", "interests"):
        assert getattr(ann, field) == ""
    assert ann.latitude is None
    assert ann.longitude is None
    assert ann.calendar_token != old_token
    assert str(ann) == "Former member"
    assert not EmailAddress.objects.filter(user=ann).exists()
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, email="ann@example.com", password="correct-horse-battery") is None
    assert not User.objects.filter(email="ann@example.com").exists()


def test_delete_keeps_past_rsvps_and_frees_future_seats_for_the_waitlist(world):
    ann, bo = world["ann"], world["bo"]
    going = rsvp_create(event=world["future"], user=ann)
    waiting = rsvp_create(event=world["future"], user=bo)
    assert (going.status, waiting.status) == (Rsvp.Status.GOING, Rsvp.Status.WAITLISTED)
    past = RsvpFactory(event=world["past"], user=ann)

    user_delete(user=ann)

    going.refresh_from_db()
    waiting.refresh_from_db()
    past.refresh_from_db()
    world["future"].refresh_from_db()
    assert going.status == Rsvp.Status.NOT_GOING
    assert waiting.status == Rsvp.Status.GOING
    assert world["future"].seats_taken == 1
    assert past.status == Rsvp.Status.GOING
    assert past.user_id == ann.pk


def test_delete_cancels_a_waitlisted_rsvp_too(world, make_user):
    carl = make_user(email="carl@example.com")
    MembershipFactory(group=world["choir"], user=carl)
    rsvp_create(event=world["future"], user=carl)
    waiting = rsvp_create(event=world["future"], user=world["ann"])
    assert waiting.status == Rsvp.Status.WAITLISTED
    user_delete(user=world["ann"])
    waiting.refresh_from_db()
    assert waiting.status == Rsvp.Status.NOT_GOING


def test_delete_leaves_groups_and_announces_it(world):
    ended = []
    deleting = []

    def on_ended(*, topic, membership, actor=None, how):
        ended.append((membership.user_id, how))

    def on_deleting(*, topic, user):
        deleting.append(user.pk)

    bus.subscribe("membership.ended", on_ended)
    bus.subscribe("user.deleting", on_deleting)
    try:
        user_delete(user=world["ann"])
    finally:
        bus._subscribers["membership.ended"].remove(on_ended)
        bus._subscribers["user.deleting"].remove(on_deleting)
    assert not Membership.objects.filter(user=world["ann"]).exists()
    assert ended == [(world["ann"].pk, "left")]
    assert deleting == [world["ann"].pk]
    assert Membership.objects.filter(user=world["bo"]).exists()


def test_delete_withdraws_requests_and_keeps_bans_without_the_answer(world):
    ann = world["ann"]
    pending_group = GroupFactory()
    banned_group = GroupFactory()
    MembershipFactory(
        group=pending_group, user=ann, status=Membership.Status.PENDING, join_answer="Hi"
    )
    MembershipFactory(
        group=banned_group, user=ann, status=Membership.Status.BANNED, join_answer="My story"
    )
    user_delete(user=ann)
    remaining = Membership.objects.filter(user=ann)
    assert [(m.group_id, m.status, m.join_answer) for m in remaining] == [
        (banned_group.pk, Membership.Status.BANNED, "")
    ]


def test_last_organizer_cannot_delete_until_they_hand_over(world):
    bo = world["bo"]
    reasons = user_deletion_blockers(user=bo)
    assert len(reasons) == 1
    assert "Leeds Choir" in reasons[0]
    with pytest.raises(ServiceError) as error:
        user_delete(user=bo)
    assert "Leeds Choir" in error.value.messages[0]
    bo.refresh_from_db()
    assert bo.deleted_at is None
    assert bo.is_active
    assert Membership.objects.filter(user=bo).exists()

    Membership.objects.filter(user=world["ann"]).update(role=Membership.Role.ORGANIZER)
    assert user_deletion_blockers(user=bo) == []
    user_delete(user=bo)
    bo.refresh_from_db()
    assert bo.deleted_at is not None


def test_a_failing_eraser_rolls_everything_back(world):
    def explode(user):
        raise RuntimeError("boom")

    rsvp = rsvp_create(event=world["future"], user=world["ann"])
    personal_data.register("zz-test", export=lambda user: None, erase=explode)
    try:
        with pytest.raises(RuntimeError):
            user_delete(user=world["ann"])
    finally:
        personal_data._sources.pop("zz-test")
    rsvp.refresh_from_db()
    ann = User.objects.get(pk=world["ann"].pk)
    assert rsvp.status == Rsvp.Status.GOING
    assert ann.deleted_at is None
    assert ann.email == "ann@example.com"
    assert Membership.objects.filter(user=ann).exists()


def test_delete_twice_is_refused(world):
    user_delete(user=world["ann"])
    with pytest.raises(ServiceError):
        user_delete(user=world["ann"])


def test_delete_forgets_failed_login_records(world, client):
    client.post("/accounts/login/", {"login": "ann@example.com", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="ann@example.com").exists()
    user_delete(user=world["ann"])
    assert not AccessAttempt.objects.filter(username="ann@example.com").exists()


def test_profile_update_validates_and_saves(world):
    ann = world["ann"]
    user_profile_update(user=ann, city="York", timezone="America/New_York")
    ann.refresh_from_db()
    assert (ann.city, ann.timezone) == ("York", "America/New_York")
    with pytest.raises(ValidationError):
        user_profile_update(user=ann, timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="Not profile fields"):
        user_profile_update(user=ann, is_staff=True)


def test_calendar_token_rotation_changes_the_token(world):
    ann = world["ann"]
    old = ann.calendar_token
    user_calendar_token_rotate(user=ann)
    ann.refresh_from_db()
    assert ann.calendar_token != old
    assert len(ann.calendar_token) >= 32


def test_delete_leaves_no_notifications_addressed_to_the_person(world):
    from notifications.models import Notification

    rsvp_create(event=world["future"], user=world["ann"])
    rsvp_create(event=world["future"], user=world["bo"])
    assert Notification.objects.filter(recipient=world["ann"]).exists()
    user_delete(user=world["ann"])
    assert not Notification.objects.filter(recipient=world["ann"]).exists()


def test_public_name_never_shows_the_email_address():
    from accounts.models import User

    user = User(email="secret.person@example.com", display_name="")
    assert "secret" not in user.public_name
    assert user.public_name == "Connect member"
    user.display_name = "Maria Lopez"
    user.show_first_name_only = True
    assert user.public_name == "Maria"


def test_only_an_active_superuser_changes_access():
    from accounts.services import user_access_set
    from core.exceptions import NotAllowed

    user = UserFactory()
    staff = UserFactory(is_staff=True)
    with pytest.raises(NotAllowed):
        user_access_set(user=user, actor=staff, is_staff=True)
    with pytest.raises(NotAllowed):
        user_access_set(user=user, actor=user, is_superuser=True)
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.is_superuser


def test_the_last_active_superuser_keeps_moderating():
    from accounts.services import user_access_set

    moderator = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ServiceError):
        user_access_set(user=moderator, actor=moderator, is_superuser=False)
    with pytest.raises(ServiceError):
        user_access_set(user=moderator, actor=moderator, is_active=False)
    other = UserFactory(is_superuser=True, is_staff=True)
    user_access_set(user=moderator, actor=other, is_superuser=False)
    moderator.refresh_from_db()
    assert not moderator.is_superuser


# --- Rules of the profile, asked of the service with what the form would refuse ---------------


@pytest.mark.parametrize("coordinates", [{"latitude": 53.8}, {"longitude": -1.5}])
def test_profile_location_is_both_coordinates_or_neither(coordinates):
    ann = UserFactory()
    with pytest.raises(ServiceError) as error:
        user_profile_update(user=ann, **coordinates)
    assert error.value.messages == ["Give both latitude and longitude, or leave both empty."]
    ann.refresh_from_db()
    assert (ann.latitude, ann.longitude) == (None, None)
    user_profile_update(user=ann, latitude=53.8, longitude=-1.5)
    with pytest.raises(ServiceError):
        user_profile_update(user=ann, longitude=None)


def test_database_refuses_half_a_location():
    from django.db import IntegrityError, transaction

    ann = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=ann.pk).update(latitude=1.0)


def test_bio_longer_than_the_form_allows_is_refused():
    ann = UserFactory()
    with pytest.raises(ServiceError) as error:
        user_profile_update(user=ann, bio="x" * 1001)
    assert list(error.value.field_errors()) == ["bio"]
    assert user_profile_update(user=ann, bio="x" * 1000).bio == "x" * 1000


@pytest.mark.parametrize("field", ["display_name", "pronouns", "bio", "city", "interests"])
def test_nul_byte_in_the_profile_is_refused(field):
    ann = UserFactory()
    with pytest.raises(ServiceError) as error:
        user_profile_update(user=ann, **{field: "a\x00b"})
    assert list(error.value.field_errors()) == [field]
