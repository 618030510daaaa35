"""core.header: a count's query (compiled_count_of) and the header's whole query are compiled
once and reused with the reader's id only when nothing else of the reader shapes them."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from core import header
from core.moderation import moderation_session_start
from events import notifications as event_notices
from groups.models import Group, Membership
from notifications import selectors as inbox_selectors
from notifications.models import Channel, Notification
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _count(expression, user) -> int:
    rows = get_user_model().objects.filter(pk=user.pk).values(n=expression)
    return rows.values_list("n", flat=True)[0]


def test_a_count_reading_only_the_id_is_compiled_once():
    ann, bob = UserFactory(), UserFactory()

    def themselves(user):
        return get_user_model().objects.filter(pk=user.pk)

    header._compiled.clear()
    for user in (ann, bob):
        assert _count(header.compiled_count_of(themselves, user, key=("self",)), user) == 1
    assert header._compiled[(connection.vendor, "self")] is not None


def test_a_count_that_reads_more_than_the_id_is_built_each_time():
    ann, bob = UserFactory(email="ann@example.com"), UserFactory(email="bob@example.com")

    def by_email(user):
        return get_user_model().objects.filter(pk=user.pk, email=user.email)

    header._compiled.clear()
    for user in (ann, bob):
        assert _count(header.compiled_count_of(by_email, user, key=("by email",)), user) == 1
    assert header._compiled[(connection.vendor, "by email")] is None


def _header_counts(user) -> dict[str, int]:
    request = RequestFactory().get("/")
    request.user = user
    return header.counts(request)


def test_the_header_query_is_compiled_once_and_each_reader_gets_their_own_counts():
    organizer = UserFactory()
    group = GroupFactory(organizer=organizer)
    MembershipFactory(group=group, status=Membership.Status.PENDING)
    plain = MembershipFactory(group=GroupFactory()).user
    header._whole.clear()
    for _ in range(3):
        for user, groups, pending in ((organizer, 1, 1), (plain, 0, 0)):
            found = _header_counts(user)
            assert (found["organize_groups"], found["organize_pending"]) == (groups, pending)
            # The same row the query built for this reader gives.
            assert found == next(iter(header._query_for(user)))
    assert list(header._whole.values()) != [None]


def test_a_header_count_that_reads_more_than_the_id_makes_the_query_built_each_time(
    monkeypatch,
):
    ann, bob = UserFactory(email="ann@example.com"), UserFactory(email="bob@example.com")

    def named_ann(user):
        return header.count_of(get_user_model().objects.filter(pk=user.pk, email="ann@example.com"))

    def by_email(user):
        return header.count_of(get_user_model().objects.filter(email=user.email))

    monkeypatch.setitem(header._counts, "test_named_ann", named_ann)
    monkeypatch.setitem(header._counts, "test_by_email", by_email)
    header._whole.clear()
    assert _header_counts(ann)["test_named_ann"] == 1
    assert _header_counts(bob)["test_named_ann"] == 0
    assert _header_counts(bob)["test_by_email"] == 1
    assert list(header._whole.values()) == [None]


def test_the_header_query_is_prepared_on_postgresql_and_bound_on_the_client_elsewhere():
    ann, bob = UserFactory(), UserFactory()
    header._whole.clear()
    for _ in range(6):
        assert _header_counts(ann) == _header_counts(bob)
    with CaptureQueriesContext(connection) as queries:
        _header_counts(ann)
    # One query for the whole header, on either database.
    assert len(queries.captured_queries) == 1
    if connection.vendor != "postgresql":
        return  # SQLite: Django's own cursor, nothing to prepare.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%notifications_notification%"],
        )
        assert cursor.fetchall() == [(["bigint"],)]


def test_a_moderator_in_session_counts_what_their_inbox_lists():
    """The compiled SQL stands for accounts without a moderation session; a superuser in one
    sees notices of groups they are not in, and the header counts them as the inbox lists."""
    moderator = UserFactory(is_superuser=True, is_staff=True)
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    event = EventFactory(group=private)
    RsvpFactory(event=event, user=moderator)
    Notification.objects.create(
        recipient=moderator,
        kind=event_notices.CONFIRMED,
        channel=Channel.INBOX,
        subject=f"events.event:{event.pk}",
        send_at=timezone.now(),
        sent_at=timezone.now(),
        status=Notification.Status.SENT,
        context={},
        dedupe_key="moderator:1",
    )
    moderation_session_start(actor=moderator, reason="A report to look into")
    plain = RequestFactory().get("/")
    plain.user = UserFactory()
    header.counts(plain)  # the compiled SQL warmed by an ordinary reader, as in a process

    reader = User.objects.get(pk=moderator.pk)
    listed = inbox_selectors.inbox_unread_count(user=User.objects.get(pk=moderator.pk))
    request = RequestFactory().get("/")
    request.user = reader
    assert listed == 1
    assert header.counts(request)["inbox_unread"] == listed
