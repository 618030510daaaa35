"""The group's activity log page: organizers only, filtered by verb, kind of actor and date."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core import activity
from core.actors import Actor
from core.models import Activity
from groups.services import membership_set_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(organizer, group, member, django_capture_on_commit_callbacks):
    from django.db import transaction

    membership_set_role(membership=group.memberships.get(user=member), actor=organizer, role="host")
    with transaction.atomic():
        activity.record(
            actor=Actor.system("tidy up"), verb="event.cancelled", subject="x:1", group_id=group.pk
        )
    old = Activity.objects.get(verb="event.cancelled")
    old.created_at = timezone.now() - dt.timedelta(days=30)
    old.save(update_fields=["created_at"])


def url(group, **params):
    from django.utils.http import urlencode

    return reverse("workspace:activity", args=[group.slug]) + (
        "?" + urlencode(params) if params else ""
    )


def test_log_lists_what_happened_newest_first(client, organizer, group, history):
    client.force_login(organizer)
    text = client.get(url(group)).content.decode()
    assert text.index("<td>membership.role_changed</td>") < text.index("<td>event.cancelled</td>")
    assert "system (tidy up)" in text
    assert "Olu Organizer" in text


def test_filters(client, organizer, group, history):
    client.force_login(organizer)
    text = client.get(url(group, verb="event.cancelled")).content.decode()
    assert "<td>event.cancelled</td>" in text
    assert "<td>membership.role_changed</td>" not in text
    text = client.get(url(group, actor_kind="person")).content.decode()
    assert "<td>event.cancelled</td>" not in text
    since = (timezone.now() - dt.timedelta(days=2)).date().isoformat()
    text = client.get(url(group, start=since)).content.decode()
    assert "<td>event.cancelled</td>" not in text
    assert "<td>membership.role_changed</td>" in text


def test_bad_filter_is_a_form_error_not_a_500(client, organizer, group, history):
    client.force_login(organizer)
    response = client.get(url(group, verb="nope", start="not-a-date"))
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_hosts_do_not_see_the_log(client, host, group):
    client.force_login(host)
    assert client.get(url(group)).status_code == 404


def test_log_queries_do_not_grow(client, organizer, group):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    client.force_login(organizer)
    counts = set()
    for n in (1, 10, 60):
        with transaction.atomic():
            for _i in range(n):
                activity.record(
                    actor=organizer, verb="group.updated", subject="x:1", group_id=group.pk
                )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(group)).status_code == 200
        counts.add(len(queries))
    assert len(counts) == 1
