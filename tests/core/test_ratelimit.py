"""core.ratelimit: N per period per scope, counted per person and per visitor address in the
cache, in fixed windows; a refused request gets the 429 page with Retry-After."""

import datetime as dt

import pytest
import time_machine
from allauth.account.adapter import get_adapter
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.auth import client_ip
from core.ratelimit import RateLimited, client_address, hit, rate_limited
from tests.factories import UserFactory

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "test": (3, 600)}


def _request(method="post", *, user=None, **meta):
    request = getattr(RequestFactory(), method)("/somewhere/", **meta)
    request.user = user or AnonymousUser()
    return request


@rate_limited("test")
def _view(request):
    return HttpResponse("done")


def test_hit_allows_the_limit_then_refuses_with_the_time_left():
    with time_machine.travel(START + dt.timedelta(seconds=100), tick=False):
        for _attempt in range(3):
            hit("test", "key")
        with pytest.raises(RateLimited) as refused:
            hit("test", "key")
    assert refused.value.scope == "test"
    assert refused.value.retry_after == 500  # the 600-second window started at START


def test_the_count_starts_again_in_the_next_window():
    with time_machine.travel(START, tick=False) as traveller:
        for _attempt in range(3):
            hit("test", "key")
        with pytest.raises(RateLimited):
            hit("test", "key")
        traveller.shift(dt.timedelta(seconds=600))
        hit("test", "key")


def test_keys_and_scopes_are_counted_apart(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "other": (3, 600)}
    with time_machine.travel(START, tick=False):
        for _attempt in range(3):
            hit("test", "ann")
        hit("test", "bo")
        hit("other", "ann")
        with pytest.raises(RateLimited):
            hit("test", "ann")


@pytest.mark.django_db
def test_a_person_is_counted_from_every_address():
    ann = UserFactory()
    with time_machine.travel(START, tick=False):
        for n in range(3):
            response = _view(_request(user=ann, REMOTE_ADDR=f"192.0.2.{n}"))
            assert response.status_code == 200
        refused = _view(_request(user=ann, REMOTE_ADDR="192.0.2.200"))
        assert refused.status_code == 429
        assert refused["Retry-After"] == "600"
        # Someone else at another address is not.
        assert _view(_request(user=UserFactory(), REMOTE_ADDR="192.0.2.201")).status_code == 200


@pytest.mark.django_db
def test_an_address_is_counted_whoever_signs_in_there():
    with time_machine.travel(START, tick=False):
        for _attempt in range(3):
            assert _view(_request(REMOTE_ADDR="192.0.2.9")).status_code == 200
        assert _view(_request(user=UserFactory(), REMOTE_ADDR="192.0.2.9")).status_code == 429
        assert _view(_request(REMOTE_ADDR="192.0.2.10")).status_code == 200


def test_only_the_listed_methods_are_counted():
    with time_machine.travel(START, tick=False):
        for _attempt in range(10):
            assert _view(_request("get", REMOTE_ADDR="192.0.2.9")).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy trusted: the header is the visitor's word
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # what our one proxy saw
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "", "127.0.0.1"),  # a request that bypassed the proxy
        (3, "203.0.113.9", "127.0.0.1"),  # fewer hops than proxies: not trusted
    ],
)
def test_client_address_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": "127.0.0.1"}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = _request(**meta)
    assert client_address(request) == expected
    # One rule: axes (accounts.auth.client_ip) and allauth (the adapter) see the same visitor.
    assert client_ip(request) == expected
    assert get_adapter(request).get_client_ip(request) == expected


def test_a_spoofed_header_does_not_escape_the_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    with time_machine.travel(START, tick=False):
        for n in range(3):
            # The visitor writes anything first; the proxy appends what it saw.
            forwarded = f"10.9.9.{n}, 198.51.100.7"
            assert (
                _view(_request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)).status_code
                == 200
            )
        refused = _view(
            _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.99, 198.51.100.7")
        )
        assert refused.status_code == 429
