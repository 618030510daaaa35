"""Whole pages for visitors without a session, from the cache.

`cached_for_visitors` wraps a GET view. A request with no session and no messages cookie is
anonymous for certain; its page is looked up under a key made of a site-wide version, the
language, the host and the full path with its query. The version is bumped (on commit, so no
reader can store the old page under the new version) whenever a service announces on core.bus
that something a public page shows has changed: events, seats, groups (new ones too),
visibility, members joining, being approved, changing role or leaving, volunteer projects,
shifts and their places (TOPICS).
PAGE_CACHE_SECONDS is the safety net for what is not announced.

Never stored: a response that is not a 200, sets a cookie, varies on the cookie, or used a
CSRF token (a page with a form); anything rendered for a session is never looked up or stored.
"""

import hashlib
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

from core import bus

VERSION_KEY = "pagecache:version"
TOPICS = (
    "event.created",
    "event.updated",
    "event.cancelled",
    "event.deleted",
    "rsvp.created",
    "rsvp.updated",
    "rsvp.cancelled",
    "group.created",
    "group.updated",
    "group.deleting",
    "membership.changed",
    "membership.ended",
    "project.created",
    "project.updated",
    "project.cancelled",
    "shift.created",
    "shift.updated",
    "shift.cancelled",
    "shift_signup.created",
    "shift_signup.updated",
    "shift_signup.withdrawn",
)


def version() -> int:
    """The site-wide version of what public pages show (bumped on every announced change):
    visitors' cached pages and the cached parts of pages (events.cards) are kept under it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


_version_at_start: ContextVar[int | None] = ContextVar("pagecache_version_at_start", default=None)


def reads_version_first(view):
    """Read the version before `view` runs its queries, for the parts of its page cached while it
    renders (events.cards): they are kept under the version their rows were read at, so a change
    committed in between makes them stale at once instead of being stored under the new version.
    `view` must render before it returns (django.shortcuts.render)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = _version_at_start.set(version())
        try:
            return view(request, *args, **kwargs)
        finally:
            _version_at_start.reset(token)

    return wrapper


def version_at_start() -> int | None:
    """The version read before this request's view ran its queries (reads_version_first), or
    None outside such a view: then nothing may be cached under a version."""
    return _version_at_start.get()


def bump() -> None:
    """Every cached page is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def bump_on_commit(**payload) -> None:
    """The bus subscriber: bump once the change is committed."""
    transaction.on_commit(bump)


def subscribe() -> None:
    for topic in TOPICS:
        bus.subscribe(topic, bump_on_commit)


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request) -> str:
    where = f"{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    return f"pagecache:{version()}:{get_language()}:{digest}"


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and "Cookie" not in response.get("Vary", "")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
    )


def cached_for_visitors(view):
    """Serve `view`'s page to visitors without a session from the cache (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or not _anonymous(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _storable(request, response):
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper
