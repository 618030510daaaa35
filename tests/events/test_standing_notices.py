"""What a standing RSVP tells the regular: one notice when it starts, listing the dates booked
(going or waiting) with the seats as an .ics, instead of a confirmation per date; later dates
come without one; reminders and promotions as for anyone; other people's notices unchanged."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import notifications
from events.models import Event, Rsvp
from events.services import (
    event_series_create,
    event_series_materialize,
    rsvp_cancel,
    rsvp_create,
    series_rsvp_start,
    series_rsvp_stop,
)
from groups.models import Group, Membership
from groups.services import membership_ban
from notifications import delivery, tasks
from notifications.models import Channel, Notification
from notifications.selectors import inbox_for
from notifications.services import notification_preferences_set
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return delivery.notifications_dispatch_due(
                send_batch=tasks.notifications_send_batch_task.delay
            )

    return run


@pytest.fixture
def group():
    return GroupFactory(visibility=Group.Visibility.PRIVATE)


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


def make_series(group, organizer, **fields):
    values = {
        "rrule": "FREQ=WEEKLY",
        "first_starts_at": timezone.now() + dt.timedelta(days=1),
        "duration": dt.timedelta(hours=2),
        "title": "Choir rehearsal",
        "category": "music",
        "timezone": "Europe/London",
        "venue_name": "Chapel",
        "address": "1 Chapel Row",
        "horizon_days": 30,
        **fields,
    }
    return event_series_create(group=group, actor=organizer, **values)


def dates(series):
    return list(Event.objects.filter(series=series).order_by("starts_at"))


def member(group):
    return MembershipFactory(group=group).user


def notices(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


def reminded_subjects(user):
    return set(notices(user, notifications.REMINDER).values_list("subject", flat=True))


def test_starting_writes_one_notice_and_the_reminders_of_every_date(group, organizer):
    series = make_series(group, organizer, capacity=1)
    first = dates(series)[0]
    someone = member(group)
    rsvp_create(event=first, user=someone)
    person = member(group)

    standing = series_rsvp_start(series=series, user=person)

    assert not notices(person, notifications.CONFIRMED).exists()
    started = notices(person, notifications.STANDING_STARTED)
    assert set(started.values_list("channel", flat=True)) == {Channel.EMAIL, Channel.INBOX}
    assert {n.subject for n in started} == {f"events.seriesrsvp:{standing.pk}"}
    going = [e for e in dates(series) if e.pk != first.pk]
    assert reminded_subjects(person) == {f"events.event:{e.pk}" for e in going}
    # Starting again changes nothing.
    series_rsvp_start(series=series, user=person)
    assert notices(person, notifications.STANDING_STARTED).count() == 2


def test_the_email_lists_the_dates_and_attaches_the_seats(client, group, organizer, dispatch):
    series = make_series(group, organizer, capacity=1)
    first = dates(series)[0]
    rsvp_create(event=first, user=member(group))
    person = member(group)
    series_rsvp_start(series=series, user=person)
    mail.outbox.clear()

    dispatch()

    mine = [m for m in mail.outbox if person.email in m.to]
    assert len(mine) == 1
    message = mine[0]
    assert message.subject == "You're going to every date: Choir rehearsal"
    assert "Every " in message.body
    assert "The next dates are:" in message.body
    assert message.body.count("\n- ") == 5
    assert message.body.count("(on the waitlist)") == 1
    assert "/every-date/" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith("-every-date.ics")
    assert mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert text.count("BEGIN:VEVENT") == 4
    assert "1 Chapel Row" in text
    inbox = inbox_for(user=person)
    assert [n.kind for n in inbox] == [notifications.STANDING_STARTED]
    client.force_login(person)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "You&#x27;re going to every date: Choir rehearsal" in page


def test_dates_booked_later_send_no_confirmation_but_get_reminders(group, organizer):
    series = make_series(group, organizer, horizon_days=10)
    person = member(group)
    series_rsvp_start(series=series, user=person)
    series.horizon_days = 30
    series.save(update_fields=["horizon_days"])

    event_series_materialize(series=series)

    new = dates(series)[2:]
    assert len(new) == 3
    assert {r.status for r in Rsvp.objects.filter(event__in=new, user=person)} == {"going"}
    assert not notices(person, notifications.CONFIRMED).exists()
    assert notices(person, notifications.STANDING_STARTED).count() == 2
    assert reminded_subjects(person) == {f"events.event:{e.pk}" for e in dates(series)}


def test_a_waitlisted_date_that_gets_a_seat_sends_the_promotion(group, organizer):
    series = make_series(group, organizer, capacity=1)
    first = dates(series)[0]
    someone = member(group)
    taken = rsvp_create(event=first, user=someone)
    person = member(group)
    series_rsvp_start(series=series, user=person)
    assert not notices(person, notifications.PROMOTED).exists()

    rsvp_cancel(rsvp=taken, actor=someone)

    promoted = notices(person, notifications.PROMOTED)
    assert {n.subject for n in promoted} == {f"events.event:{first.pk}"}
    assert f"events.event:{first.pk}" in reminded_subjects(person)


def test_other_peoples_notices_are_unchanged(group, organizer):
    series = make_series(group, organizer, capacity=1)
    first = dates(series)[0]
    someone = member(group)
    rsvp_create(event=first, user=someone)
    assert notices(someone, notifications.CONFIRMED).count() == 2

    series_rsvp_start(series=series, user=member(group))

    # The organizer hears a waitlist is forming, as when anyone waits.
    assert notices(organizer, notifications.WAITLIST_FORMING).exists()
    assert not Notification.objects.filter(kind=notifications.STANDING_STARTED).exclude(
        recipient__in=Membership.objects.filter(group=group)
        .exclude(user__in=[someone, organizer])
        .values("user")
    )


def test_the_notice_follows_the_preferences(group, organizer):
    series = make_series(group, organizer)
    person = member(group)
    notification_preferences_set(
        user=person, choices={(notifications.STANDING_STARTED, Channel.EMAIL): False}
    )

    series_rsvp_start(series=series, user=person)

    assert list(
        notices(person, notifications.STANDING_STARTED).values_list("channel", flat=True)
    ) == [Channel.INBOX]


def test_not_sent_once_stopped_and_hidden_after_a_ban(group, organizer, dispatch):
    series = make_series(group, organizer)
    person, other = member(group), member(group)
    standing = series_rsvp_start(series=series, user=person)
    series_rsvp_start(series=series, user=other)
    series_rsvp_stop(series_rsvp=standing, actor=person)
    mail.outbox.clear()

    dispatch()

    assert not [m for m in mail.outbox if person.email in m.to]
    assert [m.subject for m in mail.outbox if other.email in m.to] == [
        "You're going to every date: Choir rehearsal"
    ]
    assert [n.kind for n in inbox_for(user=other)] == [notifications.STANDING_STARTED]
    membership_ban(membership=Membership.objects.get(group=group, user=other), actor=organizer)
    assert not list(inbox_for(user=other))
