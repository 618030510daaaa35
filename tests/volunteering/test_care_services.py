"""The care calendar services: each rule, called directly."""

import datetime as dt

import pytest
from django.utils import timezone

from core.actors import Actor
from core.exceptions import NotAllowed, NotFound, ServiceError
from core.models import Activity
from groups.models import Group
from notifications.models import Notification
from tests.factories import GroupFactory, UserFactory
from tests.volunteering.care_setup import ADDRESS, add_slot, coordinator_of, member, open_calendar
from volunteering import care_notifications as notices
from volunteering.care import services
from volunteering.care_models import CareCalendar, CareHelper, CareSignup, CareSlot

pytestmark = pytest.mark.django_db


def test_a_member_opens_a_calendar_and_becomes_its_coordinator():
    group = GroupFactory()
    opener = member(group)
    calendar = open_calendar(group=group, opener=opener)
    assert list(calendar.coordinators.values_list("user", flat=True)) == [opener.pk]
    activity = Activity.objects.get(verb="care_calendar.created")
    assert activity.group_id is None
    assert ADDRESS not in str(activity.data)


def test_an_outsider_cannot_open_a_calendar_in_a_group():
    with pytest.raises(NotAllowed):
        open_calendar(group=GroupFactory(), opener=UserFactory())


def test_the_calendar_rules_come_from_the_model():
    with pytest.raises(ServiceError) as caught:
        open_calendar(help_needed=["massage"], address="line\nbreak")
    assert set(caught.value.field_errors()) >= {"help_needed", "address"}


def test_a_helper_takes_a_slot_and_a_second_helper_is_refused():
    calendar = open_calendar()
    slot = add_slot(calendar)
    first, second = member(calendar.group), member(calendar.group)
    signup = services.care_slot_take(slot=slot, user=first)
    assert signup.is_confirmed
    with pytest.raises(ServiceError, match="all the helpers it needs"):
        services.care_slot_take(slot=slot, user=second)
    slot.refresh_from_db()
    assert slot.seats_taken == 1


def test_a_slot_for_two_takes_two_helpers():
    calendar = open_calendar()
    slot = add_slot(calendar, capacity=2)
    for _ in range(2):
        services.care_slot_take(slot=slot, user=member(calendar.group))
    with pytest.raises(ServiceError):
        services.care_slot_take(slot=slot, user=member(calendar.group))
    slot.refresh_from_db()
    assert slot.seats_taken == 2


def test_releasing_opens_the_place_again_and_cancels_reminders():
    calendar = open_calendar()
    slot = add_slot(calendar)
    helper, other = member(calendar.group), member(calendar.group)
    signup = services.care_slot_take(slot=slot, user=helper)
    assert Notification.objects.filter(
        kind=notices.REMINDER, recipient=helper, status="pending"
    ).exists()
    services.care_slot_release(signup=signup, actor=helper)
    assert not Notification.objects.filter(
        kind=notices.REMINDER, recipient=helper, status="pending"
    ).exists()
    assert services.care_slot_take(slot=slot, user=other).is_confirmed


def test_someone_else_cannot_release_a_helpers_slot_but_a_coordinator_can():
    calendar = open_calendar()
    slot = add_slot(calendar, capacity=2)
    helper, other = member(calendar.group), member(calendar.group)
    signup = services.care_slot_take(slot=slot, user=helper)
    with pytest.raises(NotAllowed):
        services.care_slot_release(signup=signup, actor=other)
    services.care_slot_release(signup=signup, actor=coordinator_of(calendar))
    signup.refresh_from_db()
    assert signup.status == CareSignup.Status.RELEASED


def test_nobody_takes_a_slot_for_someone_else():
    calendar = open_calendar()
    slot = add_slot(calendar)
    with pytest.raises(NotAllowed):
        services.care_slot_take(
            slot=slot, user=member(calendar.group), actor=coordinator_of(calendar)
        )


def test_the_weekly_cap_is_enforced_by_the_service():
    calendar = open_calendar()
    helper = member(calendar.group)
    services.care_helper_limit_set(calendar=calendar, user=helper, weekly_limit=1)
    monday = timezone.now().date() + dt.timedelta(days=7 - timezone.now().weekday() + 7)
    slots = []
    for day in (0, 2, 9):  # Monday and Wednesday of one week, Wednesday of the next
        starts = dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(12), tzinfo=dt.UTC)
        slots.append(
            services.care_slot_create(
                calendar=calendar,
                actor=coordinator_of(calendar),
                kind="meal",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1),
            )
        )
    services.care_slot_take(slot=slots[0], user=helper)
    with pytest.raises(ServiceError, match="at most 1 slots a week"):
        services.care_slot_take(slot=slots[1], user=helper)
    services.care_slot_take(slot=slots[2], user=helper)
    assert CareSlot.objects.get(pk=slots[1].pk).seats_taken == 0


def test_a_cancelled_or_started_slot_cannot_be_taken():
    calendar = open_calendar()
    slot = add_slot(calendar)
    services.care_slot_cancel(slot=slot, actor=coordinator_of(calendar))
    with pytest.raises(ServiceError, match="cancelled"):
        services.care_slot_take(slot=slot, user=member(calendar.group))
    started = add_slot(calendar)
    CareSlot.objects.filter(pk=started.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ServiceError, match="started"):
        services.care_slot_take(slot=started, user=member(calendar.group))


def test_cancelling_a_slot_cancels_its_helpers_places():
    calendar = open_calendar()
    slot = add_slot(calendar)
    helper = member(calendar.group)
    signup = services.care_slot_take(slot=slot, user=helper)
    services.care_slot_cancel(slot=slot, actor=coordinator_of(calendar))
    signup.refresh_from_db()
    assert signup.status == CareSignup.Status.CANCELLED


def test_only_coordinators_add_slots():
    calendar = open_calendar()
    with pytest.raises(NotAllowed):
        add_slot(calendar, actor=member(calendar.group))


def test_repeating_slots_are_made_over_the_horizon_once():
    calendar = open_calendar()
    first = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
    series = services.care_slot_series_create(
        calendar=calendar,
        actor=coordinator_of(calendar),
        kind="ride",
        rrule="FREQ=WEEKLY;BYDAY=MO,TH",
        first_starts_at=first,
        duration=dt.timedelta(hours=1),
        capacity=1,
        horizon_days=28,
    )
    made = CareSlot.objects.filter(series=series).count()
    assert 7 <= made <= 9
    assert services.care_slot_series_materialize(series=series) == 0
    assert CareSlot.objects.filter(series=series).count() == made


def test_a_bad_repeat_rule_is_a_field_error():
    calendar = open_calendar()
    with pytest.raises(ServiceError) as caught:
        services.care_slot_series_create(
            calendar=calendar,
            actor=coordinator_of(calendar),
            kind="ride",
            rrule="FREQ=SECONDLY",
            first_starts_at=timezone.now() + dt.timedelta(days=1),
            duration=dt.timedelta(hours=1),
            capacity=1,
            horizon_days=28,
        )
    assert "rrule" in caught.value.field_errors()


def test_updates_go_to_helpers_with_a_confirmed_slot_only():
    calendar = open_calendar()
    slot, other_slot = add_slot(calendar), add_slot(calendar, days=4)
    helper, released, bystander = (member(calendar.group) for _ in range(3))
    services.care_slot_take(slot=slot, user=helper)
    signup = services.care_slot_take(slot=other_slot, user=released)
    services.care_slot_release(signup=signup, actor=released)
    services.care_update_post(
        calendar=calendar,
        actor=coordinator_of(calendar),
        body="Sam says thank you!",
        is_thanks=True,
    )
    told = set(
        Notification.objects.filter(kind=notices.UPDATE).values_list("recipient_id", flat=True)
    )
    assert told == {helper.pk}
    assert bystander.pk not in told


def test_helpers_and_strangers_cannot_post_updates():
    calendar = open_calendar()
    with pytest.raises(NotAllowed):
        services.care_update_post(calendar=calendar, actor=member(calendar.group), body="Hi")


def test_the_recipient_with_an_account_posts_updates():
    group = GroupFactory()
    recipient = member(group)
    calendar = open_calendar(group=group)
    CareCalendar.objects.filter(pk=calendar.pk).update(recipient=recipient)
    calendar.refresh_from_db()
    update = services.care_update_post(calendar=calendar, actor=recipient, body="Feeling better")
    assert update.author == recipient


def test_empty_slots_48_hours_ahead_are_told_to_coordinators_once():
    calendar = open_calendar()
    soon, later = add_slot(calendar, days=1), add_slot(calendar, days=5)
    taken = add_slot(calendar, days=1, hours=12)
    services.care_slot_take(slot=taken, user=member(calendar.group))
    assert services.care_empty_slots_alert() > 0
    alerts = Notification.objects.filter(kind=notices.EMPTY_SLOT)
    assert set(alerts.values_list("subject", flat=True)) == {f"volunteering.careslot:{soon.pk}"}
    assert set(alerts.values_list("recipient_id", flat=True)) == {coordinator_of(calendar).pk}
    count = alerts.count()
    services.care_empty_slots_alert()
    assert Notification.objects.filter(kind=notices.EMPTY_SLOT).count() == count
    assert not alerts.filter(subject=f"volunteering.careslot:{later.pk}").exists()


def test_a_coordinator_is_added_only_among_people_who_may_see_the_calendar():
    calendar = open_calendar()
    outsider = UserFactory()
    with pytest.raises(ServiceError) as caught:
        services.care_coordinator_add(
            calendar=calendar, email=outsider.email, actor=coordinator_of(calendar)
        )
    unknown_message = caught.value.field_errors()
    with pytest.raises(ServiceError) as caught:
        services.care_coordinator_add(
            calendar=calendar, email="nobody@example.com", actor=coordinator_of(calendar)
        )
    assert caught.value.field_errors() == unknown_message
    colleague = member(calendar.group)
    services.care_coordinator_add(
        calendar=calendar, email=colleague.email, actor=coordinator_of(calendar)
    )
    assert calendar.coordinators.filter(user=colleague).exists()


def test_the_last_coordinator_cannot_be_removed():
    calendar = open_calendar()
    coordinator = calendar.coordinators.get()
    with pytest.raises(ServiceError):
        services.care_coordinator_remove(coordinator=coordinator, actor=coordinator.user)


def test_the_invitation_link_lets_a_person_in_and_a_new_one_shuts_the_old():
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    calendar = open_calendar(group=group, visibility=CareCalendar.Visibility.INVITED)
    friend = UserFactory()
    old = calendar.invitation_token
    services.care_invitation_reset(calendar=calendar, actor=coordinator_of(calendar))
    with pytest.raises(NotFound):
        services.care_invitation_accept(calendar=calendar, user=friend, token=old)
    calendar.refresh_from_db()
    services.care_invitation_accept(calendar=calendar, user=friend, token=calendar.invitation_token)
    assert CareHelper.objects.get(calendar=calendar, user=friend).invited
    assert CareCalendar.objects.visible_to(friend).filter(pk=calendar.pk).exists()


def test_the_system_may_take_a_slot_for_a_person():
    calendar = open_calendar()
    slot = add_slot(calendar)
    helper = member(calendar.group)
    signup = services.care_slot_take(slot=slot, user=helper, actor=Actor.system("demo data"))
    assert signup.is_confirmed


def test_the_recipient_is_named_by_email_among_the_groups_members_only():
    group = GroupFactory()
    recipient = member(group)
    calendar = open_calendar(group=group, recipient_email=recipient.email.upper())
    assert calendar.recipient == recipient
    messages = []
    for email in (UserFactory().email, "nobody@example.com"):
        with pytest.raises(ServiceError) as caught:
            open_calendar(group=group, recipient_email=email)
        messages.append(caught.value.field_errors())
    assert messages[0] == messages[1]
    assert "recipient_email" in messages[0]
