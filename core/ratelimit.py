"""Limits per person and per address, kept in the cache (Redis in production, so they hold
across processes and machines; the local memory cache on one machine).

A limit is "N per period" for a scope ("rsvp", "password_reset"), counted in fixed windows:
`settings.RATE_LIMITS = {"rsvp": (30, 3600), ...}`. Views use the `rate_limited` decorator;
anything else may call `hit`. A refused request gets the 429 page with Retry-After.
"""

from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


class RateLimited(Exception):
    def __init__(self, scope: str, retry_after: int):
        super().__init__(scope)
        self.scope = scope
        self.retry_after = retry_after


def limit_for(scope: str) -> tuple[int, int]:
    """(count, seconds) of the scope, from settings.RATE_LIMITS."""
    return settings.RATE_LIMITS[scope]


def hit(scope: str, key: str) -> None:
    """Count one attempt for `key` (a person's id, an address, an email) in `scope`; raise
    RateLimited when it is over the scope's limit."""
    count, period = limit_for(scope)
    now = int(time.time())
    window = now // period
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    prefix = getattr(settings, "RATE_LIMIT_KEY_PREFIX", "")
    cache_key = f"ratelimit:{prefix}:{scope}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        used = 1
    if used > count:
        raise RateLimited(scope, retry_after=(window + 1) * period - now)


def client_address(request) -> str:
    """The visitor's address: with TRUSTED_PROXY_COUNT proxies in front, the address the
    nearest untrusted hop gave in X-Forwarded-For (allauth's rule, so logins and limits count
    the same visitor); else REMOTE_ADDR."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def keys_for(request, *, per: tuple[str, ...]) -> list[str]:
    keys = []
    if "user" in per and request.user.is_authenticated:
        keys.append(f"user:{request.user.pk}")
    if "ip" in per:
        keys.append(f"ip:{client_address(request)}")
    return keys


def too_many_requests(request, error: RateLimited):
    response = render(
        request,
        "429.html",
        {"retry_after_minutes": max(1, -(-error.retry_after // 60))},
        status=429,
    )
    response["Retry-After"] = str(error.retry_after)
    return response


def rate_limited(scope: str, *, per: tuple[str, ...] = ("user", "ip"), methods=("POST",)):
    """Count each request of `methods` against `scope` for the person and the address."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                try:
                    for key in keys_for(request, per=per):
                        hit(scope, key)
                except RateLimited as error:
                    return too_many_requests(request, error)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
