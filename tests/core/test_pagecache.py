"""Visitors without a session get public pages from the cache; a change shows at once; a page
for someone logged in never comes from (or goes into) the cache; no cached page holds a CSRF
token."""

import re

import pytest
from django.conf import settings as site_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.actors import Actor
from events import services as event_services
from groups import services as group_services
from groups.models import Group, Membership
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ShiftFactory,
    UserFactory,
)
from volunteering import services as volunteering_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_visitor_gets_the_second_request_from_the_cache(client):
    EventFactory(title="Choir night")
    assert "X-Page-Cache" not in get(client, reverse("events:list"))
    hit = get(client, reverse("events:list"))
    assert hit["X-Page-Cache"] == "hit"
    assert "Choir night" in hit.content.decode()


def test_an_event_change_is_seen_at_once(client, django_capture_on_commit_callbacks):
    event = EventFactory(title="Choir night")
    get(client, reverse("events:list"))
    assert get(client, reverse("events:list"))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_update(
            event=event, actor=Actor.system("test"), title="Singing evening"
        )
    page = get(client, reverse("events:list"))
    assert "X-Page-Cache" not in page
    assert "Singing evening" in page.content.decode()
    assert "Choir night" not in page.content.decode()


def test_a_group_turning_private_disappears_at_once(client, django_capture_on_commit_callbacks):
    group = GroupFactory(name="Quiet circle")
    EventFactory(group=group, title="Quiet evening")
    assert "Quiet evening" in get(client, reverse("events:list")).content.decode()
    assert "Quiet circle" in get(client, reverse("groups:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        group_services.group_update(
            group=group, actor=Actor.system("test"), visibility=Group.Visibility.PRIVATE
        )
    assert "Quiet evening" not in get(client, reverse("events:list")).content.decode()
    assert "Quiet circle" not in get(client, reverse("groups:list")).content.decode()


def test_a_logged_in_page_never_comes_from_the_cache(client):
    event = EventFactory(title="Choir night")
    member = MembershipFactory(group=event.group).user
    for url in (reverse("home"), reverse("events:list"), event.get_absolute_url()):
        get(client, url)
        get(client, url)
    client.force_login(member)
    for url in (reverse("home"), reverse("events:list"), event.get_absolute_url()):
        page = get(client, url)
        assert "X-Page-Cache" not in page
        assert "Log out" in page.content.decode()
    client.logout()
    # and what members saw was never stored for visitors
    for url in (reverse("home"), reverse("events:list")):
        assert "Log out" not in get(client, url).content.decode()


def test_no_cached_page_holds_a_csrf_token(client):
    event = EventFactory()
    urls = [
        reverse("home"),
        reverse("events:list"),
        event.get_absolute_url(),
        reverse("groups:list"),
        event.group.get_absolute_url(),
    ]
    for url in urls:
        get(client, url)
        second = get(client, url)
        if second.get("X-Page-Cache") == "hit":
            assert "csrfmiddlewaretoken" not in second.content.decode(), url


def test_the_language_is_part_of_the_key(client, settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    other = "fr"
    get(client, reverse("events:list"))
    english = get(client, reverse("events:list"))
    assert english["X-Page-Cache"] == "hit"
    translated = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE=other)
    assert "X-Page-Cache" not in translated
    assert translated["Content-Language"] == other


def test_a_member_joining_or_leaving_is_counted_at_once(client, django_capture_on_commit_callbacks):
    group = GroupFactory(name="Quiet circle")
    newcomer = UserFactory()
    urls = (group.get_absolute_url(), reverse("groups:list"))
    for url in urls:
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit"
    before = Membership.objects.filter(group=group, status=Membership.Status.ACTIVE).count()

    def count_on(url):
        return group_member_count_in(get(client, url).content.decode())

    assert count_on(reverse("groups:list")) == before
    with django_capture_on_commit_callbacks(execute=True):
        membership = group_services.membership_join(group=group, actor=newcomer)
    for url in urls:
        page = get(client, url)
        assert "X-Page-Cache" not in page
    assert count_on(reverse("groups:list")) == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        group_services.membership_leave(membership=membership, actor=newcomer)
    assert count_on(reverse("groups:list")) == before


def test_an_approved_request_and_a_new_group_are_seen_at_once(
    client, django_capture_on_commit_callbacks
):
    group = GroupFactory(name="Quiet circle", join_policy=Group.JoinPolicy.APPROVAL)
    organizer = Membership.objects.get(group=group, role=Membership.Role.ORGANIZER).user
    asker = UserFactory()
    get(client, reverse("groups:list"))
    with django_capture_on_commit_callbacks(execute=True):
        request = group_services.membership_join(group=group, actor=asker)
    # a request to join is not seen by visitors: the cached page stays
    assert get(client, reverse("groups:list"))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        group_services.membership_approve(membership=request, actor=organizer)
    assert group_member_count_in(get(client, reverse("groups:list")).content.decode()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        group_services.group_create(
            actor=asker, name="Brand new circle", description="Hello.", category="social"
        )
    assert "Brand new circle" in get(client, reverse("groups:list")).content.decode()


def group_member_count_in(html: str) -> int:
    match = re.search(r"Quiet circle.*?(\d+) members?", html, re.S)
    assert match, html
    return int(match.group(1))


def test_volunteering_pages_are_cached_and_a_sign_up_is_seen_at_once(
    client, django_capture_on_commit_callbacks
):
    shift = ShiftFactory(capacity=3)
    project = shift.role.project
    urls = (reverse("volunteering:list"), project.get_absolute_url())
    for url in urls:
        get(client, url)
        hit = get(client, url)
        assert hit["X-Page-Cache"] == "hit"
        assert "csrfmiddlewaretoken" not in hit.content.decode()
    assert "0 of 3 filled" in get(client, project.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        volunteering_services.signup_create(shift=shift, user=UserFactory())
    page = get(client, project.get_absolute_url())
    assert "X-Page-Cache" not in page
    assert "1 of 3 filled" in page.content.decode()


def test_a_page_from_the_cache_carries_the_headers_of_the_page_drawn(client):
    event = EventFactory()
    for url in (reverse("home"), reverse("events:list"), event.get_absolute_url()):
        drawn = get(client, url)
        hit = get(client, url)
        assert hit["X-Page-Cache"] == "hit"
        assert hit.content == drawn.content
        headers = {name: value for name, value in hit.items() if name != "X-Page-Cache"}
        assert set(headers) == set(drawn.headers)
        for name, value in drawn.items():
            if name == "Vary":
                assert {v.strip() for v in hit[name].split(",")} == {
                    v.strip() for v in value.split(",")
                }
            else:
                assert hit[name] == value, name
        assert "Cookie" in hit["Vary"]
        assert hit["X-Frame-Options"] == "DENY"


def test_a_page_from_the_cache_runs_no_query(client, django_assert_num_queries):
    event = EventFactory()
    get(client, event.get_absolute_url())
    with django_assert_num_queries(0):
        assert get(client, event.get_absolute_url())["X-Page-Cache"] == "hit"


@pytest.mark.urls("tests.core.pagecache_urls")
def test_a_page_drawn_while_something_changed_is_not_served_again(client):
    from tests.core import pagecache_urls

    pagecache_urls.rendered.clear()
    assert get(client, "/changed-while-rendering/").content == b"rendered 1 times"
    # stored under the version read before it was drawn, which is already old: drawn again
    again = get(client, "/changed-while-rendering/")
    assert "X-Page-Cache" not in again
    assert again.content == b"rendered 2 times"


@pytest.mark.urls("tests.core.pagecache_urls")
@pytest.mark.parametrize("url", ["/with-a-form/", "/with-a-message/"])
def test_a_page_setting_a_cookie_is_never_stored(url):
    """A CSRF token or a message for the visitor sets a cookie: the page is theirs alone."""
    for _ in range(2):
        page = Client().get(url)
        assert page.status_code == 200
        assert page.cookies
        assert "X-Page-Cache" not in page


def test_a_get_only_page_still_refuses_head_once_cached(client):
    group = GroupFactory()
    get(client, group.get_absolute_url())
    assert get(client, group.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.head(group.get_absolute_url()).status_code == 405
    assert client.head(reverse("events:list")).status_code == 200


def test_a_request_with_credentials_never_comes_from_the_cache(client):
    get(client, reverse("events:list"))
    assert get(client, reverse("events:list"))["X-Page-Cache"] == "hit"
    page = client.get(reverse("events:list"), HTTP_AUTHORIZATION="Basic eDp5")
    assert "X-Page-Cache" not in page


@pytest.mark.urls("tests.core.pagecache_urls")
def test_pages_not_marked_are_never_stored(client):
    for _ in range(2):
        page = get(client, "/not-marked/")
        assert "X-Page-Cache" not in page
        assert not page.cookies  # nothing else keeps it from being stored


def test_a_page_asked_for_over_https_is_not_the_one_drawn_for_http(client):
    EventFactory(title="Choir night")
    url = reverse("events:list")
    assert "X-Page-Cache" not in get(client, url)
    assert "X-Page-Cache" not in client.get(url, secure=True)
    assert client.get(url, secure=True)["X-Page-Cache"] == "hit"


def test_a_page_that_starts_a_session_is_not_stored(client):
    """A visitor's place is kept in their session (core.forms.remember_place): the next visitor
    asking for the same place is drawn the page too, and gets their place kept."""
    GroupFactory(name="Chapeltown Walkers", city="Leeds")
    url = reverse("events:list") + "?where=Leeds"
    first = client.get(url)
    assert site_settings.SESSION_COOKIE_NAME in first.cookies
    second = Client().get(url)
    assert "X-Page-Cache" not in second
    assert site_settings.SESSION_COOKIE_NAME in second.cookies


def test_a_version_lost_from_the_cache_starts_past_every_earlier_one(client):
    from core import pagecache

    EventFactory(title="Choir night")
    get(client, reverse("events:list"))  # stored under the version of the moment
    for _ in range(3):
        pagecache.bump()
    before = pagecache.version()
    cache.delete(pagecache.VERSION_KEY)  # evicted; the pages stay
    after = pagecache.version()
    assert after > before
    cache.delete(pagecache.VERSION_KEY)
    pagecache.bump()  # a bump that finds no version starts one too
    assert pagecache.version() > after
    assert "X-Page-Cache" not in get(client, reverse("events:list"))


def test_a_version_counted_from_nothing_is_moved_past_the_earlier_ones():
    from core import pagecache

    before = pagecache.version()
    cache.set(pagecache.VERSION_KEY, 3, timeout=None)  # as INCR leaves a key lost in between
    pagecache.bump()
    assert pagecache.version() > before
