"""Hours notices go out by email and to the inbox, saying what the coordinator decided."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import delivery, tasks
from notifications.models import Notification
from tests.volunteering.hours_setup import make_setting
from volunteering.hours import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return delivery.notifications_dispatch_due(
                send_batch=tasks.notifications_send_batch_task.delay
            )

    return run


def _log(s, days_ago=1):
    return services.hours_entry_log(
        volunteer=s.member,
        project=s.project,
        worked_on=timezone.localdate() - dt.timedelta(days=days_ago),
        minutes=150,
        actor=s.member,
    )


def test_verified_and_rejected_hours_are_emailed_with_the_note(dispatch):
    s = make_setting()
    services.hours_entry_verify(entry=_log(s), actor=s.host, note="Great soup")
    services.hours_entry_reject(entry=_log(s, days_ago=2), actor=s.host, note="Not on the rota")
    dispatch()
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "2.50 hours verified for Saturday food bank",
        "Your 2.50 hours for Saturday food bank were not verified",
    ]
    rejected = next(m for m in mail.outbox if "not verified" in m.subject)
    assert "Not on the rota" in rejected.body
    assert reverse("volunteering:my_hours") in rejected.body
    assert all(m.to == [s.member.email] for m in mail.outbox)
    # The coordinators' "hours waiting" notice is gathered for an hour; nothing else waits.
    waiting = Notification.objects.exclude(status="sent")
    assert set(waiting.values_list("kind", flat=True)) == {"volunteering.hours_waiting"}


def test_a_second_review_attempt_writes_no_second_notice():
    s = make_setting()
    entry = services.hours_entry_verify(entry=_log(s), actor=s.host)
    with pytest.raises(services.ServiceError):
        services.hours_entry_verify(entry=entry, actor=s.organizer)
    assert Notification.objects.filter(recipient=s.member, channel="email").count() == 1


def test_the_check_page_is_rate_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "statement_verify": (3, 3600)}
    url = reverse("volunteering:statement_verify", kwargs={"code": "0" * 16})
    assert [client.get(url).status_code for _ in range(3)] == [404, 404, 404]
    response = client.get(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
