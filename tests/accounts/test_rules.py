"""The account rules live in the model and the services, whoever calls them: sign-up, the
profile page, the admin or (later) the API."""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse

from accounts.admin import UserAdmin
from accounts.forms import ProfileForm
from accounts.models import PROFILE_FIELDS, User
from accounts.services import (
    user_calendar_token_rotate,
    user_delete,
    user_export,
    user_profile_update,
)
from core import activity
from core.actors import Actor
from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "newcomer@example.com",
    "password1": "a long and private phrase",
    "password2": "a long and private phrase",
}


@pytest.mark.parametrize(
    "name", ["Nia\r\nBcc: everyone@example.com", "Nia\x00", "Nia \u202eadmin", "\u2067Nia\u2069"]
)
def test_signup_refuses_line_breaks_and_control_characters_in_the_display_name(client, name):
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": name})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.com").exists()


def test_signup_saves_the_display_name_through_the_profile_service(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": "Nia Ng"})
    assert response.status_code == 302
    assert User.objects.get(email="newcomer@example.com").display_name == "Nia Ng"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "Ann\nExample"),
        ("display_name", "Ann \u202eelpmaxE"),
        ("pronouns", "she/\u200fher"),
        ("city", "Leeds\x1b"),
        ("interests", "singing\nhiking"),
        ("bio", "I sing.\x00"),
        ("bio", "I sing \u2066quietly\u2069."),
    ],
)
def test_profile_service_refuses_control_and_direction_characters(member, field, value):
    with pytest.raises(ServiceError) as refused:
        user_profile_update(user=member, **{field: value})
    assert field in refused.value.field_errors()
    member.refresh_from_db()
    assert getattr(member, field) != value


def test_a_bio_keeps_its_line_breaks(member):
    user_profile_update(user=member, bio="I sing.\r\nI walk.\n\tAnd I cook.")
    member.refresh_from_db()
    assert member.bio == "I sing.\r\nI walk.\n\tAnd I cook."


def test_profile_service_refuses_an_unknown_time_zone_with_a_service_error(member):
    with pytest.raises(ServiceError) as refused:
        user_profile_update(user=member, timezone="posix/Europe/London")
    assert "timezone" in refused.value.field_errors()


def test_the_profile_field_list_is_the_one_every_surface_uses(member):
    # The form asks for a town; the coordinates follow from it (core.places).
    asked = tuple(name for name in PROFILE_FIELDS if name not in ("latitude", "longitude"))
    assert tuple(ProfileForm().fields) == asked
    account = user_export(user=member)["account"]
    assert set(PROFILE_FIELDS) <= set(account)
    admin_fields = dict(UserAdmin.fieldsets)[UserAdmin.profile_fieldset_name]["fields"]
    assert tuple(admin_fields) == PROFILE_FIELDS


def test_deletion_clears_every_profile_field(member):
    user_profile_update(
        user=member,
        show_first_name_only=True,
        pronouns="she/her",
        bio="Bio",
        city="Leeds",
        latitude=53.8,
        longitude=-1.5,
        timezone="Europe/London",
        interests="singing",
    )
    user_delete(user=member)
    member.refresh_from_db()
    for name in PROFILE_FIELDS:
        assert getattr(member, name) == User._meta.get_field(name).get_default(), name


def test_another_member_may_not_change_delete_or_rotate_an_account(member):
    other = UserFactory()
    token = member.calendar_token
    with pytest.raises(NotAllowed):
        user_profile_update(user=member, actor=other, display_name="Hijacked")
    with pytest.raises(NotAllowed):
        user_calendar_token_rotate(user=member, actor=other)
    with pytest.raises(NotAllowed):
        user_delete(user=member, actor=other)
    member.refresh_from_db()
    assert (member.display_name, member.calendar_token, member.deleted_at) == (
        "Ann Example",
        token,
        None,
    )


def test_staff_needs_the_permission_and_an_api_client_is_refused(member):
    staff = UserFactory(is_staff=True)
    with pytest.raises(NotAllowed):
        user_delete(user=member, actor=staff)
    with pytest.raises(NotAllowed):
        user_calendar_token_rotate(user=member, actor=Actor.client(client_id=1, name="Partner"))
    staff.user_permissions.add(Permission.objects.get(codename="delete_user"))
    staff = User.objects.get(pk=staff.pk)  # a fresh permission cache
    user_delete(user=member, actor=staff)
    member.refresh_from_db()
    assert member.deleted_at is not None


def test_the_system_may_rotate_the_calendar_link(member):
    token = member.calendar_token
    user_calendar_token_rotate(user=member, actor=Actor.system("password changed"))
    member.refresh_from_db()
    assert member.calendar_token != token


def test_deletion_blockers_are_a_service_error(member):
    from groups.models import Membership
    from tests.factories import MembershipFactory

    MembershipFactory(group=GroupFactory(), user=member, role=Membership.Role.ORGANIZER)
    with pytest.raises(ServiceError) as refused:
        user_delete(user=member)
    assert type(refused.value) is ServiceError


def test_deletion_keeps_the_activity_but_forgets_who_did_it(member):
    group = GroupFactory()
    with transaction.atomic():
        row = activity.record(actor=member, verb="group.updated", subject=group, group_id=group.pk)
    other = UserFactory()
    with transaction.atomic():
        kept = activity.record(actor=other, verb="group.updated", subject=group, group_id=group.pk)

    user_delete(user=member)

    row.refresh_from_db()
    kept.refresh_from_db()
    assert row.actor_user_id is None
    assert row.verb == "group.updated"
    assert kept.actor_user_id == other.pk
    assert Activity.objects.count() == 2
