"""Whole pages for visitors without a session, from the cache.

`cached_for_visitors` marks a view; PageCacheMiddleware (right after LocaleMiddleware) serves
its page. A GET with no session cookie, no messages cookie and no Authorization header is
anonymous for certain; its page is kept under a key made of the site-wide version it was drawn
at, the language, the host and the full path with its query. One round trip to the cache
(MGET) reads the current version and the page under the version this process saw last (a
guess: the page is served only if the two match; after a change, a second round trip asks for
the page under the new version). The version is read before the page is drawn and bumped (on
commit) whenever a service announces on core.bus that something a public page shows has
changed: events, seats, groups (new ones too), visibility, members joining, being approved,
changing role or leaving, volunteer projects, shifts and their places (TOPICS). So a change
committed while a page is drawn leaves that page stale at once. PAGE_CACHE_SECONDS is the
safety net for what is not announced.

A page from the cache skips the middleware below (CSRF, authentication, messages, URL
resolving) and the view; the headers they set are stored with the page, and it varies on the
cookie as the drawn page does. Never stored: a response that is not a 200, sets a cookie
(a CSRF token, a message), varies on the cookie, is private or no-store, or whose request
started a session; anything for a session is never looked up or stored.
"""

import hashlib
import time
from contextvars import ContextVar
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_vary_headers
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


_FIRST_VERSIONS = 10**15  # microseconds since 1970: September 2001


def _first_version() -> int:
    """Where the version starts when the cache has none (a new cache, or the key evicted while
    pages stayed): the clock in microseconds, past every version counted before (one a change),
    so a page stored under an earlier version is never current again."""
    return time.time_ns() // 1000


def version() -> int:
    """The site-wide version of what public pages show (bumped on every announced change):
    visitors' cached pages and the cached parts of pages (events.cards) are kept under it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        first = _first_version()
        cache.add(VERSION_KEY, first, timeout=None)
        version = cache.get(VERSION_KEY, first)
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
        bumped = cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, _first_version(), timeout=None)
        return
    if bumped < _FIRST_VERSIONS:
        # Lost between the backend's check and its INCR (which then counts from 0), or set by
        # a process from before versions started at the clock.
        cache.set(VERSION_KEY, _first_version(), timeout=None)


def bump_on_commit(**payload) -> None:
    """The bus subscriber: bump once the change is committed."""
    transaction.on_commit(bump)


def subscribe() -> None:
    for topic in TOPICS:
        bus.subscribe(topic, bump_on_commit)


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "authorization" not in request.headers
    )


@lru_cache(maxsize=1024)
def _cached_view_at(urlconf: str | None, path_info: str) -> bool:
    """Whether the view at `path_info` is marked with cached_for_visitors (known from the URL
    patterns alone, so kept per process)."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, "cached_for_visitors", False)


def _where(request, language: str) -> str:
    """The key of the page asked for, without the version: language, scheme, host, full path
    (a page may carry absolute links built from the request)."""
    where = f"{request.scheme}|{request.get_host()}|{request.get_full_path()}"
    return f"{language}:{hashlib.sha256(where.encode()).hexdigest()}"


def _key(where: str, version: int) -> str:
    # "page": what is stored is (content, headers). A new layout needs a new name: old and new
    # processes share the cache while a release rolls out, and must not read each other's.
    return f"pagecache:page:{version}:{where}"


# The version this process last read: only a guess at the current one, to ask the cache for the
# version and the page under the guessed version in one round trip (MGET); the page is served
# only when the version read in that same round trip is the guessed one.
_version_seen: int | None = None


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and "Cookie" not in response.get("Vary", "")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and not (session is not None and session.modified)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cached_for_visitors(view):
    """Mark `view`'s page as one PageCacheMiddleware serves to visitors without a session from
    the cache (see the module). A page from the cache skips the view and all its decorators
    (a rate limit, a method check other than GET's): mark only a view whose GET page for a
    visitor depends on nothing but its address, the host and the language."""
    view.cached_for_visitors = True
    return view


class PageCacheMiddleware:
    """Serve and store the pages of views marked cached_for_visitors, for GET requests from
    visitors without a session (see the module). It sits right after LocaleMiddleware: the
    language is known, and a page from the cache skips the rest (URL resolving, CSRF,
    authentication, messages, the view); the headers the middleware below it set on the page
    are stored with it. One round trip reads the current version and the page kept under the
    version this process saw last; a second one only after the version has moved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _version_seen  # a guess, checked against the cache on every request
        seconds = settings.PAGE_CACHE_SECONDS
        if (
            not seconds
            or request.method != "GET"
            or not _anonymous(request)
            or not _cached_view_at(get_urlconf(), request.path_info)
        ):
            return self.get_response(request)
        language = get_language()
        where = _where(request, language)
        guess = _version_seen
        found = cache.get_many([VERSION_KEY, _key(where, guess)]) if guess is not None else {}
        current = found.get(VERSION_KEY)
        if current is None:
            current = version()
        _version_seen = current
        page = (
            found.get(_key(where, guess)) if current == guess else cache.get(_key(where, current))
        )
        if page is not None:
            return _page_from(page)
        response = self.get_response(request)
        if get_language() == language and _storable(request, response):
            page = (response.content, list(response.items()))
            cache.set(_key(where, current), page, seconds)
        return response


def _page_from(page) -> HttpResponse:
    content, headers = page
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    # The page varies on the session cookie (a member's differs), as the drawn one says.
    patch_vary_headers(response, ("Cookie",))
    response["X-Page-Cache"] = "hit"
    return response
