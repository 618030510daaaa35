"""Requests per API key, counted in the cache (Redis in production, so the limit holds across
processes and machines) in fixed windows. Over the limit: 429 with Retry-After; every answer
carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle


class PartnerKeyThrottle(BaseThrottle):
    scope = "api"

    def allow_request(self, request, view):
        credentials = getattr(request, "auth", None)
        api_key = getattr(credentials, "api_key", None)
        if api_key is None:
            return True  # refused by authentication or permissions anyway
        count, period = settings.RATE_LIMITS[self.scope]
        now = int(time.time())
        window = now // period
        prefix = getattr(settings, "RATE_LIMIT_KEY_PREFIX", "")
        key = f"ratelimit:{prefix}:{self.scope}:{api_key.prefix}:{window}"
        # One cache round trip a request once the window's counter exists (the busy case).
        try:
            used = cache.incr(key)
        except ValueError:  # the window's first request, or it expired between the two calls
            # Another process may have made it first: then count on from theirs.
            used = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
        self.reset = (window + 1) * period - now
        request.rate_limit = {
            "RateLimit-Limit": str(count),
            "RateLimit-Remaining": str(max(count - used, 0)),
            "RateLimit-Reset": str(self.reset),
        }
        return used <= count

    def wait(self):
        return self.reset
