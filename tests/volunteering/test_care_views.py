"""The care calendar pages: methods, log-in, the flows a person follows without JavaScript,
and a fixed number of queries whatever the number of slots."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from groups.models import Group
from notifications.models import Notification
from tests.factories import GroupFactory, UserFactory
from tests.volunteering.care_setup import (
    ADDRESS,
    add_slot,
    coordinator_of,
    member,
    open_calendar,
)
from volunteering import care_notifications as notices
from volunteering.care import services, urls
from volunteering.care_models import CareCalendar, CareSignup, CareSlot, CareSlotSeries

pytestmark = pytest.mark.django_db

ALLOWED = {
    "list": {"GET"},
    "new": {"GET", "POST"},
    "feed": {"GET"},
    "invitation": {"GET", "POST"},
    "detail": {"GET"},
    "edit": {"GET", "POST"},
    "close": {"POST"},
    "slot_new": {"GET", "POST"},
    "slot_take": {"POST"},
    "slot_release": {"POST"},
    "slot_cancel": {"POST"},
    "slot_move": {"GET", "POST"},
    "series_stop": {"GET", "POST"},
    "limit": {"GET", "POST"},
    "coordinators": {"GET", "POST"},
    "invitation_reset": {"POST"},
    "update": {"POST"},
}
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _series(calendar):
    """The calendar's repeating slot (made on first use)."""
    series = CareSlotSeries.objects.filter(calendar=calendar).first()
    if series is None:
        start = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
        series = services.care_slot_series_create(
            calendar=calendar,
            actor=coordinator_of(calendar),
            kind="meal",
            title="Weekly dinner",
            rrule="FREQ=WEEKLY",
            first_starts_at=start,
            duration=dt.timedelta(hours=1),
            capacity=1,
            horizon_days=21,
        )
    return series


def _url(pattern_name, calendar, slot, user):
    kwargs = {}
    converters = urls.urlpatterns[
        [p.name for p in urls.urlpatterns].index(pattern_name)
    ].pattern.converters
    if "code" in converters:
        kwargs["code"] = calendar.code
    if "slot_id" in converters:
        kwargs["slot_id"] = slot.pk
    if "series_id" in converters:
        kwargs["series_id"] = _series(calendar).pk
    if "token" in converters:
        kwargs["token"] = (
            user.calendar_token if pattern_name == "feed" else calendar.invitation_token
        )
    return reverse(f"volunteering:care:{pattern_name}", kwargs=kwargs)


def test_every_care_page_answers_405_to_a_method_it_does_not_take(client):
    calendar = open_calendar()
    slot = add_slot(calendar)
    coordinator = coordinator_of(calendar)
    client.force_login(coordinator)
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(ALLOWED), "say which methods each care page takes"
    for name, allowed in ALLOWED.items():
        url = _url(name, calendar, slot, coordinator)
        for method in METHODS:
            if method in allowed:
                continue
            response = client.generic(method, url)
            assert response.status_code == 405, (name, method)
    assert CareSlot.objects.get(pk=slot.pk).status == CareSlot.Status.OPEN


@pytest.mark.parametrize("name", sorted(set(ALLOWED) - {"feed", "detail"}))
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    calendar = open_calendar()
    slot = add_slot(calendar)
    url = _url(name, calendar, slot, coordinator_of(calendar))
    method = "post" if "GET" not in ALLOWED[name] else "get"
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ["edit", "slot_new", "coordinators", "slot_move", "series_stop"])
def test_coordinator_pages_are_404_to_helpers(client, name):
    calendar = open_calendar()
    slot = add_slot(calendar)
    helper = member(calendar.group)
    services.care_slot_take(slot=slot, user=helper)
    client.force_login(helper)
    response = client.get(_url(name, calendar, slot, helper))
    assert response.status_code == 404
    assert ADDRESS not in response.content.decode()


def test_a_member_opens_a_calendar_adds_weekly_slots_and_a_helper_takes_one(client):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    opener, helper = member(group), member(group)
    client.force_login(opener)
    assert client.get(reverse("volunteering:care:new"), {"group": group.slug}).status_code == 200
    response = client.post(
        reverse("volunteering:care:new"),
        {
            "group": group.pk,
            "title": "Meals for Priya",
            "recipient_name": "Priya",
            "help_needed": ["meal", "ride"],
            "address": "9 Elm Street",
            "timezone": "Europe/London",
            "visibility": "group",
        },
    )
    calendar = CareCalendar.objects.get(title="Meals for Priya")
    assert response["Location"] == reverse("volunteering:care:slot_new", args=[calendar.code])
    starts = (timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT18:00")
    response = client.post(
        reverse("volunteering:care:slot_new", args=[calendar.code]),
        {
            "kind": "meal",
            "title": "Dinner",
            "starts_at": starts,
            "length_minutes": 60,
            "capacity": 1,
            "weekdays": ["TU", "FR"],
            "weeks_ahead": 2,
        },
    )
    assert response.status_code == 302
    slots = list(CareSlot.objects.filter(calendar=calendar))
    assert 2 <= len(slots) <= 5
    client.force_login(helper)
    page = client.get(calendar.get_absolute_url()).content.decode()
    assert "9 Elm Street" not in page
    assert "Europe/London" in page
    take = reverse("volunteering:care:slot_take", args=[calendar.code, slots[0].pk])
    page = client.post(take, follow=True).content.decode()
    assert "the slot is yours" in page
    assert "9 Elm Street" in page
    release = reverse("volunteering:care:slot_release", args=[calendar.code, slots[0].pk])
    page = client.post(release, follow=True).content.decode()
    assert "9 Elm Street" not in page
    assert CareSignup.objects.get(user=helper).status == CareSignup.Status.RELEASED


def test_a_slot_form_error_shows_on_the_form(client):
    calendar = open_calendar()
    client.force_login(coordinator_of(calendar))
    response = client.post(
        reverse("volunteering:care:slot_new", args=[calendar.code]),
        {
            "kind": "meal",
            "starts_at": "yesterday",
            "length_minutes": 60,
            "capacity": 1,
            "weeks_ahead": 4,
        },
    )
    assert response.status_code == 200
    assert "Enter a date and time." in response.content.decode()
    past = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    response = client.post(
        reverse("volunteering:care:slot_new", args=[calendar.code]),
        {"kind": "meal", "starts_at": past, "length_minutes": 60, "capacity": 1, "weeks_ahead": 4},
    )
    assert "still ahead" in response.content.decode()


def test_the_invitation_link_opens_an_invited_only_calendar(client):
    calendar = open_calendar(visibility=CareCalendar.Visibility.INVITED)
    friend = UserFactory()
    client.force_login(friend)
    assert client.get(calendar.get_absolute_url()).status_code == 404
    url = reverse("volunteering:care:invitation", args=[calendar.invitation_token])
    assert "Sam" in client.get(url).content.decode()
    assert ADDRESS not in client.get(url).content.decode()
    client.post(url)
    assert client.get(calendar.get_absolute_url()).status_code == 200
    wrong = reverse("volunteering:care:invitation", args=["not-the-token"])
    assert client.get(wrong).status_code == 404


def test_a_coordinator_posts_an_update_and_helpers_are_told(client):
    calendar = open_calendar()
    slot = add_slot(calendar)
    helper = member(calendar.group)
    services.care_slot_take(slot=slot, user=helper)
    client.force_login(coordinator_of(calendar))
    client.post(
        reverse("volunteering:care:update", args=[calendar.code]),
        {"body": "Sam is home!", "is_thanks": "on"},
    )
    assert Notification.objects.filter(kind=notices.UPDATE, recipient=helper).exists()
    client.force_login(helper)
    response = client.post(reverse("volunteering:care:update", args=[calendar.code]), {"body": "x"})
    assert response.status_code == 404


def test_a_helper_sets_a_weekly_cap(client):
    calendar = open_calendar()
    helper = member(calendar.group)
    client.force_login(helper)
    url = reverse("volunteering:care:limit", args=[calendar.code])
    assert client.post(url, {"weekly_limit": "2"}).status_code == 302
    assert calendar.helpers.get(user=helper).weekly_limit == 2
    assert client.post(url, {"weekly_limit": "0"}).status_code == 200


def test_a_coordinator_adds_and_removes_a_coordinator(client):
    calendar = open_calendar()
    colleague = member(calendar.group)
    client.force_login(coordinator_of(calendar))
    url = reverse("volunteering:care:coordinators", args=[calendar.code])
    client.post(url, {"email": colleague.email})
    added = calendar.coordinators.get(user=colleague)
    response = client.post(url, {"email": UserFactory().email})
    assert "Nobody who can see this calendar" in response.content.decode()
    client.post(url, {"remove": added.pk})
    assert not calendar.coordinators.filter(user=colleague).exists()


def test_taking_slots_is_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "care_slot_take": (1, 3600)}
    calendar = open_calendar()
    slot = add_slot(calendar, capacity=3)
    client.force_login(member(calendar.group))
    url = reverse("volunteering:care:slot_take", args=[calendar.code, slot.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 429


# --- queries ---------------------------------------------------------------------------------


def _filled(n):
    calendar = open_calendar()
    for i in range(n):
        slot = add_slot(calendar, days=1 + i % 30, hours=8 + i % 12, capacity=2)
        if i % 2 == 0:
            services.care_slot_take(slot=slot, user=member(calendar.group))
    return calendar


@pytest.mark.parametrize("n", [1, 10, 100])
def test_the_calendar_page_costs_the_same_for_any_number_of_slots(
    client, django_assert_num_queries, n
):
    calendar = _filled(n)
    client.force_login(coordinator_of(calendar))
    with django_assert_num_queries(6):
        response = client.get(calendar.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["slots"]) == min(n, 30)
    if n > 30:
        later = client.get(calendar.get_absolute_url(), {"page": 2})
        assert len(later.context["slots"]) == 30


@pytest.mark.parametrize("n", [1, 10, 100])
def test_the_list_and_feed_cost_the_same_for_any_number_of_slots(
    client, django_assert_num_queries, n
):
    calendar = _filled(n)
    helper = member(calendar.group)
    for slot in CareSlot.objects.filter(calendar=calendar, seats_taken__lt=2)[:n]:
        services.care_slot_take(slot=slot, user=helper, actor=None)
    client.force_login(helper)
    with django_assert_num_queries(6):
        assert client.get(reverse("volunteering:care:list")).status_code == 200
    client.logout()
    with django_assert_num_queries(3):
        url = reverse("volunteering:care:feed", args=[helper.calendar_token])
        assert client.get(url).status_code == 200


def test_the_helpers_feed_gives_each_slot_in_the_calendars_zone(client):
    import icalendar

    calendar = open_calendar()
    slot = add_slot(calendar)
    helper = member(calendar.group)
    services.care_slot_take(slot=slot, user=helper)
    body = client.get(reverse("volunteering:care:feed", args=[helper.calendar_token])).content
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["uid"]).startswith(f"care-slot-{slot.pk}@")
    assert event["dtstart"].dt == slot.starts_at
    assert str(event["dtstart"].dt.tzinfo) == "Europe/London"
    assert str(event["summary"]) == "Dinner: Sam"
    wrong = reverse("volunteering:care:feed", args=["not-a-token"])
    assert client.get(wrong).status_code == 404


def test_a_coordinator_moves_one_slot_and_its_helper_keeps_it(client):
    calendar = open_calendar(timezone="Pacific/Auckland")
    slot = add_slot(calendar, days=3, hours=18)
    helper = member(calendar.group)
    services.care_slot_take(slot=slot, user=helper)
    client.force_login(coordinator_of(calendar))
    url = reverse("volunteering:care:slot_move", args=[calendar.code, slot.pk])
    page = client.get(url)
    assert page.status_code == 200
    new_day = (timezone.now() + dt.timedelta(days=4)).date()
    response = client.post(url, {"starts_at": f"{new_day}T19:30", "length_minutes": "90"})
    assert response.status_code == 302
    slot.refresh_from_db()
    # The time typed is read in the calendar's zone: exactly that day at 19:30 there.
    local = slot.starts_at.astimezone(zoneinfo.ZoneInfo(calendar.timezone))
    assert slot.ends_at - slot.starts_at == dt.timedelta(minutes=90)
    assert (local.date(), local.time()) == (new_day, dt.time(19, 30))
    assert CareSignup.objects.get(slot=slot, user=helper).status == CareSignup.Status.CONFIRMED


def test_moving_a_slot_into_the_past_is_a_form_error(client):
    calendar = open_calendar()
    slot = add_slot(calendar)
    client.force_login(coordinator_of(calendar))
    url = reverse("volunteering:care:slot_move", args=[calendar.code, slot.pk])
    response = client.post(url, {"starts_at": "1800-01-01T10:00", "length_minutes": "60"})
    assert response.status_code == 400
    before = slot.starts_at
    slot.refresh_from_db()
    assert slot.starts_at == before


def test_a_coordinator_stops_a_repeating_slot_and_taken_dates_stay(client):
    calendar = open_calendar()
    series = _series(calendar)
    slots = list(CareSlot.objects.filter(series=series).order_by("starts_at"))
    assert len(slots) >= 2
    helper = member(calendar.group)
    services.care_slot_take(slot=slots[0], user=helper)
    client.force_login(coordinator_of(calendar))
    detail = client.get(calendar.get_absolute_url()).content.decode()
    url = reverse("volunteering:care:series_stop", args=[calendar.code, series.pk])
    assert url in detail
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    series.refresh_from_db()
    assert series.ended_at is not None
    assert list(CareSlot.objects.filter(series=series)) == [slots[0]]
    assert url not in client.get(calendar.get_absolute_url()).content.decode()
