"""The inbox selector leaves out, in SQL, exactly what the renderers would hide."""

import itertools

import pytest
from django.test import RequestFactory
from django.utils import timezone

from core import header
from events import notifications as event_notices
from groups import notifications as group_notices
from groups.models import Group, Membership
from notifications import selectors
from notifications.delivery import rows_render
from notifications.models import Channel, Notification
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

_keys = itertools.count()


def item(user, kind, subject, **context):
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        channel=Channel.INBOX,
        subject=subject,
        send_at=timezone.now(),
        sent_at=timezone.now(),
        status=Notification.Status.SENT,
        context=context,
        dedupe_key=f"selector:{next(_keys)}",
    )


def test_inbox_for_shows_exactly_what_the_renderers_show():
    me = UserFactory()
    public = GroupFactory(visibility=Group.Visibility.PUBLIC)
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    banned_from = GroupFactory(visibility=Group.Visibility.PRIVATE)
    asked = GroupFactory(visibility=Group.Visibility.PUBLIC)
    MembershipFactory(group=public, user=me)
    MembershipFactory(group=private, user=me)
    banned = MembershipFactory(group=banned_from, user=me, status=Membership.Status.BANNED)
    MembershipFactory(group=asked, user=me, status=Membership.Status.PENDING)
    public_event, private_event, hidden_event, unanswered, pending_group_event = (
        EventFactory(group=public),
        EventFactory(group=private),
        EventFactory(group=banned_from),
        EventFactory(group=public),
        EventFactory(group=asked),
    )
    for event in (public_event, private_event, hidden_event):
        RsvpFactory(event=event, user=me, status="going")
    gone = EventFactory(group=public)
    gone_ref = f"events.event:{gone.pk}"
    gone.delete()
    someone_elses = MembershipFactory(group=public)
    mine = Membership.objects.get(group=public, user=me)

    shown = {
        item(me, event_notices.CONFIRMED, f"events.event:{public_event.pk}"),
        item(me, event_notices.REMINDER, f"events.event:{private_event.pk}", lead_minutes=60),
        item(me, event_notices.CANCELLED, f"events.event:{public_event.pk}", message=""),
        item(me, event_notices.CANCELLED, gone_ref, title="Gone", when="Monday", message=""),
        item(me, event_notices.CREATED, f"events.event:{unanswered.pk}"),
        item(me, group_notices.JOIN_APPROVED, f"groups.membership:{mine.pk}"),
    }
    hidden = {
        item(me, event_notices.REMINDER, f"events.event:{hidden_event.pk}", lead_minutes=60),
        item(me, event_notices.CHANGED, f"events.event:{unanswered.pk}", changed=["starts_at"]),
        item(me, event_notices.CANCELLED, gone_ref),  # nothing kept to show
        item(me, event_notices.CREATED, f"events.event:{pending_group_event.pk}"),
        item(me, event_notices.CREATED, f"events.event:{hidden_event.pk}"),
        item(me, event_notices.CREATED, gone_ref),
        item(me, group_notices.JOIN_APPROVED, f"groups.membership:{banned.pk}"),
        item(me, group_notices.JOIN_APPROVED, f"groups.membership:{someone_elses.pk}"),
        item(me, event_notices.CONFIRMED, "events.event:not-a-number"),
        item(me, event_notices.CONFIRMED, f"groups.membership:{mine.pk}"),
        item(me, "nobody.registered_this", f"events.event:{public_event.pk}"),
    }
    item(UserFactory(), event_notices.CONFIRMED, f"events.event:{public_event.pk}")

    listed = set(selectors.inbox_for(user=me))
    rendered, _errors = rows_render([*shown, *hidden], delivering=False)

    assert {row for row in [*shown, *hidden] if rendered.get(row.pk)} == shown
    assert listed == shown
    assert selectors.inbox_unread_count(user=me) == len(shown)
    # The header's count (its query compiled once, core.header) agrees, for this reader and
    # another whose one notice is theirs alone.
    header._compiled.clear()
    other = UserFactory()
    item(other, event_notices.CONFIRMED, f"events.event:{public_event.pk}")
    RsvpFactory(event=public_event, user=other, status="going")
    for reader, expected in ((me, len(shown)), (other, 1)):
        request = RequestFactory().get("/")
        request.user = reader
        assert header.counts(request)["inbox_unread"] == expected
    assert all(value is not None for value in header._compiled.values())
