"""Password-reset mail is limited per target address and per visitor address (core.ratelimit,
scope password_reset): nobody's inbox gets flooded and nobody sprays many inboxes."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _ask(client, email, *, ip="198.51.100.7"):
    return client.post(reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=ip)


def test_the_sixth_reset_in_an_hour_for_one_address_sends_no_mail(client, member, settings):
    assert settings.RATE_LIMITS["password_reset"] == (5, 3600)
    with time_machine.travel(START, tick=False) as traveller:
        for attempt in range(5):
            # Minutes apart, so that allauth's own per-minute limit is not what answers.
            response = _ask(client, member.email, ip=f"198.51.100.{attempt + 1}")
            assert response.status_code == 302
            traveller.shift(dt.timedelta(minutes=3))
        assert len(mail.outbox) == 5

        refused = _ask(client, member.email, ip="198.51.100.99")
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 3600
        assert "Too many tries" in refused.content.decode()
        assert len(mail.outbox) == 5

        # Another visitor asking for another address is not affected.
        response = _ask(client, "bo@example.com", ip="203.0.113.50")
        assert response.status_code == 302
        assert [m.to for m in mail.outbox[5:]] == [["bo@example.com"]]


def test_one_visitor_cannot_spray_many_addresses(client, make_user):
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(5):
            make_user(email=f"person{n}@example.com")
            assert _ask(client, f"person{n}@example.com").status_code == 302
            traveller.shift(dt.timedelta(minutes=3))
        refused = _ask(client, "someone.else@example.com")
        assert refused.status_code == 429
        assert len(mail.outbox) == 5


def test_the_address_is_counted_whatever_its_case(client, member):
    with time_machine.travel(START, tick=False) as traveller:
        for attempt in range(5):
            _ask(client, member.email.upper(), ip=f"198.51.100.{attempt + 1}")
            traveller.shift(dt.timedelta(minutes=3))
        assert _ask(client, f"  {member.email} ", ip="198.51.100.99").status_code == 429


def test_the_limit_lifts_after_the_hour(client, member):
    with time_machine.travel(START, tick=False) as traveller:
        for attempt in range(5):
            _ask(client, member.email, ip=f"198.51.100.{attempt + 1}")
            traveller.shift(dt.timedelta(minutes=3))
        assert _ask(client, member.email, ip="198.51.100.99").status_code == 429
        traveller.shift(dt.timedelta(hours=1))
        assert _ask(client, member.email, ip="198.51.100.99").status_code == 302


def test_opening_the_form_is_not_counted(client):
    with time_machine.travel(START, tick=False):
        for _attempt in range(10):
            assert client.get(reverse("account_reset_password")).status_code == 200
