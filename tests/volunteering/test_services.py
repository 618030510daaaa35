"""The volunteering services, called directly: each rule of projects, shifts and sign-ups."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.actors import Actor
from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from groups.models import Group, Membership
from notifications import tasks
from notifications.delivery import notifications_dispatch_due
from notifications.models import Notification
from tests.factories import GroupFactory, MembershipFactory, ShiftFactory, UserFactory
from volunteering import notifications
from volunteering.models import Cause, Shift, ShiftSignup, WaiverAcceptance
from volunteering.services import (
    project_create,
    project_update,
    role_create,
    shift_cancel,
    shift_create,
    shift_series_create,
    shift_series_materialize,
    shift_update,
    signup_create,
    signup_withdraw,
)

pytestmark = pytest.mark.django_db


def _kinds(user) -> set[str]:
    return set(
        Notification.objects.filter(recipient=user, channel="email").values_list("kind", flat=True)
    )


# --- projects, roles, shifts -------------------------------------------------------------------


def test_organizer_creates_project_with_role_and_shift(group, organizer):
    project = project_create(
        group=group,
        actor=organizer,
        title="Food bank",
        cause=Cause.FOOD,
        venue_name="Pantry",
        waiver_text="I will follow the safety rules.",
    )
    role = role_create(project=project, actor=organizer, name="Driver", skills="driving")
    start = timezone.now() + dt.timedelta(days=3)
    shift = shift_create(
        role=role,
        actor=organizer,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=4,
    )

    assert project.slug == "food-bank"
    assert project.waiver_version == 1
    assert shift.timezone == project.timezone
    verbs = set(Activity.objects.filter(group_id=group.pk).values_list("verb", flat=True))
    assert {"project.created", "role.created", "shift.created"} <= verbs


def test_member_may_not_create_a_project(group, volunteer):
    with pytest.raises(NotAllowed):
        project_create(group=group, actor=volunteer, title="Mine", cause=Cause.FOOD, remote=True)


def test_project_needs_a_place_unless_remote(group, organizer):
    with pytest.raises(ServiceError) as error:
        project_create(group=group, actor=organizer, title="Nowhere", cause=Cause.FOOD)
    assert "venue_name" in error.value.field_errors()
    assert project_create(
        group=group, actor=organizer, title="Calls", cause=Cause.ELDERLY, remote=True
    )


def test_hidden_group_projects_get_unguessable_addresses(organizer):
    group = GroupFactory(organizer=organizer, visibility=Group.Visibility.PRIVATE)
    first = project_create(
        group=group, actor=organizer, title="Food bank", cause="food", remote=True
    )
    second = project_create(
        group=group, actor=organizer, title="Food bank", cause="food", remote=True
    )
    assert first.slug.startswith("food-bank-")
    assert len(first.slug) == len("food-bank-") + 12
    assert not second.slug.endswith("-2")


def test_changed_waiver_is_a_new_version(shift, organizer):
    project = shift.role.project
    project = project_update(project=project, actor=organizer, waiver_text="Rules v1")
    assert project.waiver_version == 1
    project = project_update(project=project, actor=organizer, waiver_text="Rules v2")
    assert project.waiver_version == 2


def test_shift_ends_after_it_starts(shift, organizer):
    with pytest.raises(ServiceError) as error:
        shift_update(shift=shift, actor=organizer, ends_at=shift.starts_at)
    assert "ends_at" in error.value.field_errors()


def test_shift_series_materializes_weekly_shifts_once(group, organizer):
    role = ShiftFactory(role__project__group=group).role
    start = timezone.now() + dt.timedelta(days=1)
    series = shift_series_create(
        role=role,
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=start,
        duration=dt.timedelta(hours=3),
        capacity=6,
        horizon_days=29,
    )
    assert Shift.objects.filter(series=series).count() == 5
    assert shift_series_materialize(series=series) == 0
    later = timezone.now() + dt.timedelta(days=14)
    assert shift_series_materialize(series=series, now=later) == 2
    assert set(Shift.objects.filter(series=series).values_list("capacity", flat=True)) == {6}


# --- sign-ups ----------------------------------------------------------------------------------


def test_signup_takes_a_place_and_sends_confirmation_with_ics(
    shift, volunteer, published, django_capture_on_commit_callbacks
):
    signup = signup_create(shift=shift, user=volunteer)

    assert signup.status == ShiftSignup.Status.SIGNED_UP
    shift.refresh_from_db()
    assert shift.seats_taken == 1
    assert notifications.CONFIRMED in _kinds(volunteer)
    assert notifications.REMINDER in _kinds(volunteer)
    assert ("shift_signup.created", {"signup": signup}) in published
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due(send_batch=tasks.notifications_send_batch_task.delay)
    message = next(m for m in mail.outbox if m.to == [volunteer.email])
    assert "signed up" in message.subject
    assert any(name.endswith(".ics") for name, _content, _type in message.attachments)


def test_full_shift_puts_signup_on_waitlist(shift, group):
    first, second, third = (MembershipFactory(group=group).user for _ in range(3))
    signup_create(shift=shift, user=first)
    signup_create(shift=shift, user=second)
    waiting = signup_create(shift=shift, user=third)
    assert waiting.status == ShiftSignup.Status.WAITLISTED
    assert waiting.waitlist_position == 1


def test_team_books_named_places_against_capacity(shift, volunteer, group):
    signup = signup_create(shift=shift, user=volunteer, team=["Sam"])
    assert signup.seats == 2
    shift.refresh_from_db()
    assert shift.seats_taken == 2
    other = signup_create(shift=shift, user=MembershipFactory(group=group).user)
    assert other.status == ShiftSignup.Status.WAITLISTED


def test_team_larger_than_the_limit_is_refused(shift, volunteer):
    with pytest.raises(ServiceError) as error:
        signup_create(shift=shift, user=volunteer, team=[f"Person {n}" for n in range(11)])
    assert "team" in error.value.field_errors()


def test_waiver_must_be_accepted_before_the_first_signup(shift, volunteer, organizer):
    project_update(project=shift.role.project, actor=organizer, waiver_text="Safety first.")
    with pytest.raises(ServiceError) as error:
        signup_create(shift=shift, user=volunteer)
    assert "accept_waiver" in error.value.field_errors()

    signup_create(shift=shift, user=volunteer, accept_waiver=True)

    acceptance = WaiverAcceptance.objects.get(user=volunteer)
    assert acceptance.version == 1
    assert len(acceptance.text_sha256) == 64
    assert acceptance.accepted_at is not None


def test_new_waiver_version_must_be_accepted_again(shift, volunteer, organizer, group):
    project = project_update(project=shift.role.project, actor=organizer, waiver_text="v1")
    signup_create(shift=shift, user=volunteer, accept_waiver=True)
    project_update(project=project, actor=organizer, waiver_text="v2")
    other = ShiftFactory(role=shift.role)
    with pytest.raises(ServiceError):
        signup_create(shift=other, user=volunteer)


def test_minimum_age_is_confirmed_or_a_guardian_consents(shift, volunteer, organizer, group):
    project_update(project=shift.role.project, actor=organizer, minimum_age=16)
    with pytest.raises(ServiceError) as error:
        signup_create(shift=shift, user=volunteer)
    assert "age_confirmed" in error.value.field_errors()

    confirmed = signup_create(shift=shift, user=volunteer, age_confirmed=True)
    assert confirmed.age_consent == ShiftSignup.AgeConsent.CONFIRMED

    young = MembershipFactory(group=group).user
    consented = signup_create(shift=shift, user=young, guardian_name="Pat Parent")
    assert consented.age_consent == ShiftSignup.AgeConsent.GUARDIAN
    assert consented.guardian_name == "Pat Parent"
    assert consented.age_consent_at is not None


def test_nobody_signs_up_someone_else(shift, volunteer, organizer):
    with pytest.raises(NotAllowed):
        signup_create(shift=shift, user=volunteer, actor=organizer)


def test_banned_person_may_not_sign_up(shift, group):
    banned = MembershipFactory(group=group, status=Membership.Status.BANNED).user
    with pytest.raises(NotAllowed):
        signup_create(shift=shift, user=banned)


def test_outsider_may_volunteer_for_a_public_project(shift):
    outsider = UserFactory()
    assert signup_create(shift=shift, user=outsider).status == ShiftSignup.Status.SIGNED_UP


def test_outsider_may_not_sign_up_in_a_private_group(organizer):
    group = GroupFactory(organizer=organizer, visibility=Group.Visibility.PRIVATE)
    shift = ShiftFactory(role__project__group=group)
    with pytest.raises(NotAllowed):
        signup_create(shift=shift, user=UserFactory())


def test_cancelled_or_started_shift_takes_no_signup(shift, volunteer, organizer):
    shift_cancel(shift=shift, actor=organizer, message="Snow")
    with pytest.raises(ServiceError):
        signup_create(shift=shift, user=volunteer)
    started = ShiftFactory(starts_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ServiceError):
        signup_create(shift=started, user=volunteer)


def test_withdraw_promotes_the_waitlist_in_arrival_order_and_tells_the_coordinator(
    shift, group, organizer
):
    first, second, third, fourth = (MembershipFactory(group=group).user for _ in range(4))
    leaving = signup_create(shift=shift, user=first)
    signup_create(shift=shift, user=second)
    next_in_line = signup_create(shift=shift, user=third)
    signup_create(shift=shift, user=fourth)

    signup_withdraw(signup=leaving, actor=first)

    next_in_line.refresh_from_db()
    assert next_in_line.status == ShiftSignup.Status.SIGNED_UP
    assert ShiftSignup.objects.get(user=fourth).status == ShiftSignup.Status.WAITLISTED
    assert notifications.PROMOTED in _kinds(third)
    assert notifications.WITHDREW in _kinds(organizer)
    assert notifications.REMINDER not in set(
        Notification.objects.filter(recipient=first, status="pending").values_list(
            "kind", flat=True
        )
    )
    shift.refresh_from_db()
    assert shift.seats_taken == 2


def test_withdrawal_is_told_to_the_projects_contact(shift, group, organizer, volunteer):
    contact = MembershipFactory(group=group, role=Membership.Role.HOST).user
    project_update(project=shift.role.project, actor=organizer, contact=contact)
    signup = signup_create(shift=shift, user=volunteer)
    signup_withdraw(signup=signup, actor=volunteer)
    assert notifications.WITHDREW in _kinds(contact)
    assert notifications.WITHDREW not in _kinds(organizer)


def test_another_member_may_not_withdraw_someone(shift, volunteer, group):
    signup = signup_create(shift=shift, user=volunteer)
    with pytest.raises(NotAllowed):
        signup_withdraw(signup=signup, actor=MembershipFactory(group=group).user)


def test_organizer_withdraws_a_volunteer_and_the_log_says_so(shift, volunteer, organizer):
    signup = signup_create(shift=shift, user=volunteer)
    signup_withdraw(signup=signup, actor=organizer)
    row = Activity.objects.get(verb="shift_signup.withdrawn")
    assert row.actor_user == organizer
    assert row.data["by_volunteer"] is False


def test_more_places_promote_the_waitlist(shift, group, organizer):
    users = [MembershipFactory(group=group).user for _ in range(3)]
    for user in users:
        signup_create(shift=shift, user=user)
    shift_update(shift=shift, actor=organizer, capacity=3)
    assert ShiftSignup.objects.get(user=users[2]).status == ShiftSignup.Status.SIGNED_UP


def test_shift_change_tells_volunteers_and_cancel_tells_waitlist_too(shift, group, organizer):
    users = [MembershipFactory(group=group).user for _ in range(3)]
    for user in users:
        signup_create(shift=shift, user=user)
    shift_update(shift=shift, actor=organizer, venue_name="Church hall")
    assert notifications.CHANGED in _kinds(users[0])
    assert notifications.CHANGED not in _kinds(users[2])
    shift_cancel(shift=shift, actor=organizer, message="Flooded")
    assert notifications.CANCELLED in _kinds(users[2])


def test_system_signs_up_for_demo_data(shift, volunteer):
    signup = signup_create(shift=shift, user=volunteer, actor=Actor.system("demo data"))
    assert signup.status == ShiftSignup.Status.SIGNED_UP


def test_closing_group_cancels_coming_shifts_and_tells_volunteers(shift, volunteer, organizer):
    from groups.services import group_delete

    signup_create(shift=shift, user=volunteer)
    group_delete(group=shift.role.project.group, actor=organizer)
    assert notifications.CANCELLED in _kinds(volunteer)


def test_ban_withdraws_coming_signups_and_promotes_the_waitlist(shift, group, organizer):
    from groups.services import membership_ban

    users = [MembershipFactory(group=group).user for _ in range(3)]
    for user in users:
        signup_create(shift=shift, user=user)
    membership_ban(membership=Membership.objects.get(group=group, user=users[0]), actor=organizer)
    assert ShiftSignup.objects.get(user=users[0]).status == ShiftSignup.Status.WITHDRAWN
    assert ShiftSignup.objects.get(user=users[2]).status == ShiftSignup.Status.SIGNED_UP


def test_group_turning_private_hides_project_addresses(shift, organizer):
    from groups.services import group_update

    group = shift.role.project.group
    group_update(group=group, actor=organizer, visibility=Group.Visibility.PRIVATE)
    project = shift.role.project
    project.refresh_from_db()
    assert len(project.slug) >= len("food-bank-") + 12


def test_account_deletion_withdraws_coming_signups(shift, volunteer, group):
    from accounts.personal_data import sources

    waiting = MembershipFactory(group=group).user
    signup_create(shift=shift, user=volunteer)
    signup_create(shift=shift, user=MembershipFactory(group=group).user)
    signup_create(shift=shift, user=waiting)
    source = next(s for s in sources() if s.name == "volunteering")
    exported = source.export(volunteer)
    assert exported["shift_signups"][0]["status"] == "signed_up"
    source.erase(volunteer)
    assert ShiftSignup.objects.get(user=volunteer).status == ShiftSignup.Status.WITHDRAWN
    assert ShiftSignup.objects.get(user=waiting).status == ShiftSignup.Status.SIGNED_UP


@pytest.mark.parametrize("text", ["Meet at the gate\u202e", "Bring\x00 gloves"])
def test_a_projects_texts_refuse_control_and_text_direction_characters(group, organizer, text):
    for field in ("description", "waiver_text"):
        with pytest.raises(ServiceError) as error:
            project_create(
                group=group,
                actor=organizer,
                title="Litter pick",
                cause=Cause.FOOD,
                remote=True,
                **{field: text},
            )
        assert field in error.value.field_errors()
    assert not group.volunteer_projects.exists()


def test_a_shift_cancellation_message_is_held_to_the_models_rules(organizer):
    shift = ShiftFactory(capacity=3)
    MembershipFactory(
        group=shift.role.project.group, user=organizer, role=Membership.Role.ORGANIZER
    )
    for message in ("Sorry\u202e", "x" * 2001):
        with pytest.raises(ServiceError) as error:
            shift_cancel(shift=shift, actor=organizer, message=message)
        assert list(error.value.field_errors()) == ["message"]
    shift.refresh_from_db()
    assert shift.status == Shift.Status.SCHEDULED


@pytest.mark.parametrize(
    ("starts_at", "zone"),
    [
        (dt.datetime(9999, 12, 31, 12, tzinfo=dt.UTC), "Pacific/Kiritimati"),
        (dt.datetime(3000, 1, 1, 12, tzinfo=dt.UTC), "Europe/London"),
        (dt.datetime(1899, 12, 31, 12, tzinfo=dt.UTC), "Europe/London"),
    ],
)
def test_a_shift_out_of_the_date_range_is_refused_not_overflowed(group, organizer, starts_at, zone):
    project = project_create(
        group=group, actor=organizer, title="Food bank", cause=Cause.FOOD, venue_name="Pantry"
    )
    role = role_create(project=project, actor=organizer, name="Driver")
    with pytest.raises(ServiceError) as error:
        shift_create(
            role=role,
            actor=organizer,
            starts_at=starts_at,
            ends_at=starts_at,
            timezone=zone,
        )
    assert "starts_at" in error.value.field_errors()
    assert not Shift.objects.exists()
    with pytest.raises(ServiceError) as error:
        shift_series_create(
            role=role,
            actor=organizer,
            rrule="FREQ=WEEKLY",
            first_starts_at=starts_at,
            duration=dt.timedelta(hours=2),
            timezone=zone,
        )
    assert "first_starts_at" in error.value.field_errors()


def test_a_project_out_of_the_date_range_is_refused(group, organizer):
    with pytest.raises(ServiceError) as error:
        project_create(
            group=group,
            actor=organizer,
            title="Forever",
            cause=Cause.FOOD,
            remote=True,
            starts_on=dt.date(1, 1, 1),
        )
    assert "starts_on" in error.value.field_errors()
