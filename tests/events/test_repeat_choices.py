"""Repeating events from plain choices (core.repeat): every week, every other week, monthly on
the same weekday, until a date or N times, skipping a date; a custom rule only for a series the
choices cannot express."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from core.exceptions import ServiceError
from core.models import Activity
from events.forms import EventCreateForm, EventSeriesForm
from events.models import Event, EventSeries
from events.services import event_series_create, event_series_update
from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=BERLIN)  # a Monday


@pytest.fixture
def world(time_machine):
    time_machine.move_to(NOW, tick=False)
    group = GroupFactory(name="Berlin Choir", city="Berlin")
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    return {"group": group, "organizer": organizer}


def create_data(**changes):
    data = {
        "title": "Choir practice",
        "category": "music",
        "timezone": "Europe/Berlin",
        "starts_at": "2027-03-02T19:00",  # a Tuesday, the first of the month
        "ends_at": "2027-03-02T21:00",
        "venue_name": "Gemeindehaus",
        "guests_allowed": "0",
        "repeats": "",
    }
    data.update(changes)
    return data


def local_days(series):
    return [
        e.starts_at.astimezone(BERLIN).date()
        for e in Event.objects.filter(series=series).order_by("starts_at")
    ]


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"repeats": "weekly"}, "FREQ=WEEKLY;BYDAY=TU"),
        ({"repeats": "every_other_week"}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ({"repeats": "monthly_weekday"}, "FREQ=MONTHLY;BYDAY=1TU"),
        (
            {"repeats": "monthly_weekday", "starts_at": "2027-03-30T19:00"},
            "FREQ=MONTHLY;BYDAY=-1TU",
        ),
        ({"repeats": "weekly", "count": "5"}, "FREQ=WEEKLY;BYDAY=TU;COUNT=5"),
        # The last date, to the end of that day in Berlin (UTC+2 in summer).
        (
            {"repeats": "weekly", "until": "2027-06-01"},
            "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270601T215959Z",
        ),
    ],
)
def test_each_choice_builds_its_rule(world, changes, rule):
    data = create_data(**changes)
    data["ends_at"] = data["starts_at"].replace("19:00", "21:00")
    form = EventCreateForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["rrule"] == rule


def test_every_other_week_for_three_times_through_the_page(client, world):
    client.force_login(world["organizer"])
    url = reverse("group_event_create", kwargs={"slug": world["group"].slug})
    response = client.post(url, create_data(repeats="every_other_week", count="3"))
    assert response.status_code == 302
    series = EventSeries.objects.get()
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=3"
    assert local_days(series) == [dt.date(2027, 3, 2), dt.date(2027, 3, 16), dt.date(2027, 3, 30)]


def test_monthly_until_a_date_through_the_page(client, world):
    client.force_login(world["organizer"])
    url = reverse("group_event_create", kwargs={"slug": world["group"].slug})
    response = client.post(url, create_data(repeats="monthly_weekday", until="2027-04-06"))
    assert response.status_code == 302
    assert local_days(EventSeries.objects.get()) == [dt.date(2027, 3, 2), dt.date(2027, 4, 6)]


def test_a_skipped_date_is_cancelled_with_an_activity_row(client, world):
    client.force_login(world["organizer"])
    url = reverse("group_event_create", kwargs={"slug": world["group"].slug})
    response = client.post(url, create_data(repeats="weekly", skip_date="2027-03-09"))
    assert response.status_code == 302
    series = EventSeries.objects.get()
    skipped = Event.objects.get(series=series, starts_at__date=dt.date(2027, 3, 9))
    assert skipped.status == Event.Status.CANCELLED
    assert skipped.cancellation_message == "No event on this date."
    assert Activity.objects.filter(verb="event.cancelled", subject__endswith=str(skipped.pk))
    others = Event.objects.filter(series=series).exclude(pk=skipped.pk)
    assert others.count() > 3
    assert set(others.values_list("status", flat=True)) == {Event.Status.SCHEDULED}
    # Editing the series later does not make the skipped date again.
    event_series_update(series=series, actor=world["organizer"], title="Choir")
    assert Event.objects.filter(series=series, starts_at__date=dt.date(2027, 3, 9)).count() == 1


def test_the_service_skips_only_dates_of_the_series(world):
    fields = {
        "group": world["group"],
        "actor": world["organizer"],
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "first_starts_at": dt.datetime(2027, 3, 2, 19, 0, tzinfo=BERLIN),
        "duration": dt.timedelta(hours=2),
        "title": "Choir",
        "category": "music",
        "timezone": "Europe/Berlin",
        "venue_name": "Hall",
    }
    with pytest.raises(ServiceError) as error:
        event_series_create(skip_dates=[dt.date(2027, 3, 10)], **fields)
    assert "skip_date" in error.value.message_dict
    series = event_series_create(skip_dates=[dt.date(2027, 3, 16)], **fields)
    statuses = dict(
        Event.objects.filter(series=series).values_list("starts_at__date", "status")[:3]
    )
    assert statuses[dt.date(2027, 3, 16)] == Event.Status.CANCELLED
    assert statuses[dt.date(2027, 3, 2)] == Event.Status.SCHEDULED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"repeats": "weekly", "until": "2027-03-01"}, "until"),
        ({"repeats": "weekly", "until": "9999-12-31"}, "until"),
        ({"repeats": "weekly", "count": "0"}, "count"),
        ({"repeats": "weekly", "count": "1000000"}, "count"),
        ({"repeats": "weekly", "count": "3", "until": "2027-04-01"}, "count"),
        ({"repeats": "weekly", "skip_date": "2027-03-10"}, "skip_date"),
        ({"repeats": "weekly", "skip_date": "2027-02-23"}, "skip_date"),
        ({"repeats": "weekly", "skip_date": "9999-12-28"}, "skip_date"),
        ({"repeats": "every_other_week", "skip_date": "2027-03-09"}, "skip_date"),
        ({"repeats": "weekly", "skip_date": "2027-12-28"}, "skip_date"),  # past the horizon
        ({"repeats": "weekly", "count": "2", "skip_date": "2027-03-16"}, "skip_date"),
        ({"skip_date": "2027-03-09"}, "skip_date"),
        ({"count": "4"}, "count"),
        ({"repeats": "custom"}, "repeats"),
    ],
)
def test_bad_repeat_input_is_a_form_error(client, world, changes, field):
    client.force_login(world["organizer"])
    url = reverse("group_event_create", kwargs={"slug": world["group"].slug})
    response = client.post(url, create_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


def _series(world, rrule):
    return event_series_create(
        group=world["group"],
        actor=world["organizer"],
        rrule=rrule,
        first_starts_at=dt.datetime(2027, 3, 2, 19, 0, tzinfo=BERLIN),
        duration=dt.timedelta(hours=2),
        title="Choir",
        category="music",
        timezone="Europe/Berlin",
        venue_name="Hall",
        horizon_days=35,
    )


def _edit_data(series, **changes):
    data = {}
    for name, value in {**EventSeriesForm.initial_for(series), **changes}.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, dt.time):
            data[name] = value.strftime("%H:%M")
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = "" if value is None else str(value)
    return data


def test_the_edit_form_starts_from_the_plain_choices(world):
    series = _series(world, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4")
    initial = EventSeriesForm.initial_for(series)
    assert (initial["repeats"], initial["count"], initial["until"]) == ("every_other_week", 4, None)
    assert "rrule" not in EventSeriesForm(initial=initial).fields
    series = _series(world, "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20270601")
    initial = EventSeriesForm.initial_for(series)
    assert (initial["repeats"], initial["until"]) == ("monthly_weekday", dt.date(2027, 6, 1))


def test_editing_changes_the_choice_and_skips_a_date(client, world):
    series = _series(world, "FREQ=WEEKLY;BYDAY=TU")
    event = Event.objects.filter(series=series).earliest("starts_at")
    client.force_login(world["organizer"])
    url = reverse("events:series_edit", kwargs={"slug": event.slug})
    data = _edit_data(series, repeats="every_other_week", skip_date="2027-03-16")
    response = client.post(url, data)
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    by_day = {
        e.starts_at.astimezone(BERLIN).date(): e.status for e in Event.objects.filter(series=series)
    }
    assert by_day[dt.date(2027, 3, 16)] == Event.Status.CANCELLED
    assert by_day[dt.date(2027, 3, 30)] == Event.Status.SCHEDULED
    assert dt.date(2027, 3, 9) not in by_day


def test_a_custom_rule_series_still_edits(client, world):
    series = _series(world, "FREQ=WEEKLY;BYDAY=TU,TH")
    event = Event.objects.filter(series=series).earliest("starts_at")
    client.force_login(world["organizer"])
    url = reverse("events:series_edit", kwargs={"slug": event.slug})
    page = client.get(url)
    assert page.context["form"].initial["repeats"] == "custom"
    assert 'name="rrule"' in page.content.decode()
    response = client.post(url, _edit_data(series, title="Choir and friends"))
    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.title, series.rrule) == ("Choir and friends", "FREQ=WEEKLY;BYDAY=TU,TH")
    # And it can move to a plain choice, after which the custom rule is no longer offered.
    response = client.post(url, _edit_data(series, repeats="weekly", rrule=""))
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.rrule == "FREQ=WEEKLY;BYDAY=TU"
    assert 'name="rrule"' not in client.get(url).content.decode()


def test_the_event_page_says_how_the_series_repeats_and_ends(client, world):
    series = _series(world, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270330")
    event = Event.objects.filter(series=series).earliest("starts_at")
    client.force_login(world["organizer"])
    text = client.get(event.get_absolute_url()).content.decode()
    assert "Every other Tuesday, until 30 Mar 2027" in text
