"""Every rule about one event or series, asked of the services directly with input the website's
form would refuse: each fails when its rule is removed from Event/EventSeries.clean."""

import datetime as dt
import time
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ServiceError
from events.forms import EventCreateForm, EventForm
from events.models import EVENT_FIELDS, Event, EventSeries
from events.services import event_cancel, event_create, event_series_create, event_update
from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2099, 6, 1, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


def fields(**changes):
    data = {
        "title": "Walk",
        "category": "outdoors",
        "timezone": "Europe/London",
        "venue_name": "The park gate",
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=2),
    }
    data.update(changes)
    return data


def refusal(act) -> dict[str, list[str]]:
    with pytest.raises(ServiceError) as error:
        act()
    return error.value.field_errors()


def test_event_without_venue_address_or_link_is_refused(group, organizer):
    errors = refusal(lambda: event_create(group=group, actor=organizer, **fields(venue_name="")))
    assert errors == {"venue_name": ["Give a venue, an address or an online link."]}
    assert not Event.objects.exists()


@pytest.mark.parametrize("place", [{"address": "1 High St"}, {"online_url": "https://x.example"}])
def test_an_address_or_a_link_is_place_enough(group, organizer, place):
    assert event_create(group=group, actor=organizer, **fields(venue_name="", **place)).pk


@pytest.mark.parametrize(
    ("coordinates", "field"),
    [({"latitude": 53.8}, "longitude"), ({"longitude": -1.5}, "latitude")],
)
def test_half_a_coordinate_is_refused(group, organizer, coordinates, field):
    errors = refusal(lambda: event_create(group=group, actor=organizer, **fields(**coordinates)))
    assert errors == {field: ["Give both a latitude and a longitude, or neither."]}


@pytest.mark.parametrize(
    ("coordinates", "field"),
    [
        ({"latitude": 91.0, "longitude": 0.0}, "latitude"),
        ({"latitude": 0.0, "longitude": -181.0}, "longitude"),
    ],
)
def test_coordinates_off_the_globe_are_refused(group, organizer, coordinates, field):
    # The forms no longer take coordinates (the town gives them); the model's range still holds
    # for every other door (the API, the demo, the services).
    errors = refusal(lambda: event_create(group=group, actor=organizer, **fields(**coordinates)))
    limit = (
        "Ensure this value is less than or equal to 90."
        if field == "latitude"
        else "Ensure this value is greater than or equal to -180."
    )
    assert errors == {field: [limit]}


def test_event_ending_before_it_starts_is_refused_on_create_and_update(group, organizer):
    backwards = fields(ends_at=START - dt.timedelta(minutes=1))
    errors = refusal(lambda: event_create(group=group, actor=organizer, **backwards))
    assert errors == {"ends_at": ["The event must end after it starts."]}
    event = event_create(group=group, actor=organizer, **fields())
    errors = refusal(lambda: event_update(event=event, actor=organizer, ends_at=START))
    assert errors == {"ends_at": ["The event must end after it starts."]}


def test_rsvps_closing_before_they_open_is_refused(group, organizer):
    window = {"rsvp_opens_at": START - dt.timedelta(days=1), "rsvp_closes_at": START}
    event = event_create(group=group, actor=organizer, **fields(**window))
    errors = refusal(
        lambda: event_update(
            event=event, actor=organizer, rsvp_closes_at=START - dt.timedelta(days=2)
        )
    )
    assert errors == {"rsvp_closes_at": ["RSVPs must close after they open."]}


def test_series_without_a_place_is_refused(group, organizer):
    errors = refusal(
        lambda: event_series_create(
            group=group,
            actor=organizer,
            rrule="FREQ=WEEKLY",
            first_starts_at=timezone.now() + dt.timedelta(days=1),
            duration=dt.timedelta(hours=1),
            title="Choir",
            category="music",
        )
    )
    assert errors == {"venue_name": ["Give a venue, an address or an online link."]}
    assert not EventSeries.objects.exists()


def test_form_shows_the_models_message_on_the_same_field():
    form = EventForm(
        {
            "title": "Walk",
            "category": "outdoors",
            "timezone": "Europe/London",
            "starts_at": "2099-06-01T18:00",
            "ends_at": "2099-06-01T17:00",
            "guests_allowed": "0",
            "rsvp_opens_at": "2099-05-01T10:00",
            "rsvp_closes_at": "2099-04-01T10:00",
        }
    )
    assert not form.is_valid()
    assert form.errors["ends_at"] == ["The event must end after it starts."]
    assert form.errors["rsvp_closes_at"] == ["RSVPs must close after they open."]
    assert form.errors["venue_name"] == ["Give a venue, an address or an online link."]


def test_the_form_offers_the_one_list_of_time_zones():
    """The profile's zones (legacy aliases included) are the event form's zones."""
    from core.timezones import timezone_names

    offered = [
        value for _group, zones in EventForm.base_fields["timezone"].choices for value, _l in zones
    ]
    assert len(offered) == len(set(offered))
    assert set(offered) == set(timezone_names())
    assert "US/Eastern" in offered


def test_the_event_field_list_is_the_forms():
    """Every field is the form's, but the coordinates: they follow from the place typed."""
    form = EventCreateForm()
    assert set(EVENT_FIELDS) - {"latitude", "longitude"} <= set(form.fields)
    assert "latitude" not in form.fields


def test_event_in_a_legacy_zone_is_accepted(group, organizer):
    event = event_create(group=group, actor=organizer, **fields(timezone="US/Eastern"))
    assert event.timezone == "US/Eastern"


def test_event_in_an_unknown_zone_is_refused(group, organizer):
    errors = refusal(
        lambda: event_create(group=group, actor=organizer, **fields(timezone="Mars/Olympus"))
    )
    assert list(errors) == ["timezone"]


# Repeat rules: bad input is a clear error, never a 500 or a second of CPU.


def series_with(group, organizer, rule):
    return event_series_create(
        group=group,
        actor=organizer,
        rrule=rule,
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=1),
        title="Circle",
        category="support",
        venue_name="Room 2",
    )


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY;BYDAY=99MO", "FREQ=YEARLY;BYDAY=-60FR"])
def test_a_weekday_position_that_does_not_exist_is_refused(group, organizer, rule):
    errors = refusal(lambda: series_with(group, organizer, rule))
    assert list(errors) == ["rrule"]
    assert "number before a weekday" in errors["rrule"][0]


def test_a_weekday_position_in_a_weekly_rule_is_refused(group, organizer):
    errors = refusal(lambda: series_with(group, organizer, "FREQ=WEEKLY;BYDAY=2TU"))
    assert list(errors) == ["rrule"]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1",  # the fifth Monday is never the 1st
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",  # no month has six Mondays
        "FREQ=DAILY;INTERVAL=7;BYDAY=SU,SA,FR,TH,WE,TU,MO;BYMONTH=13",
    ],
)
def test_a_rule_that_never_gives_a_date_is_refused_quickly(group, organizer, rule):
    began = time.process_time()
    errors = refusal(lambda: series_with(group, organizer, rule))
    assert time.process_time() - began < 0.5
    assert list(errors) == ["rrule"]
    assert not EventSeries.objects.exists()


def test_a_daily_rule_out_of_step_with_its_weekday_is_refused_quickly(group, organizer):
    start = timezone.now() + dt.timedelta(days=1)
    other_day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][(start.weekday() + 1) % 7]
    began = time.process_time()
    errors = refusal(
        lambda: event_series_create(
            group=group,
            actor=organizer,
            rrule=f"FREQ=DAILY;INTERVAL=7;BYDAY={other_day}",
            first_starts_at=start,
            duration=dt.timedelta(hours=1),
            title="Circle",
            category="support",
            venue_name="Room 2",
            timezone="UTC",
        )
    )
    assert time.process_time() - began < 0.5
    assert errors == {"rrule": ["This rule never gives a date after the first start."]}


def test_a_rare_but_real_rule_is_accepted(group, organizer):
    """29 February on a Monday happens (2044): rare is not never."""
    series = series_with(group, organizer, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO")
    assert series.pk


@pytest.mark.parametrize("field", ["description", "accessibility_notes"])
@pytest.mark.parametrize("text", ["Meet at the gate\u202e", "Bring\x07 a flask"])
def test_text_direction_and_control_characters_in_long_text_are_refused(
    group, organizer, field, text
):
    errors = refusal(lambda: event_create(group=group, actor=organizer, **fields(**{field: text})))
    assert list(errors) == [field]
    assert not Event.objects.exists()


def test_line_breaks_in_a_description_are_fine(group, organizer):
    event = event_create(group=group, actor=organizer, **fields(description="Line one\nLine two"))
    assert event.description == "Line one\nLine two"


def test_a_cancellation_message_with_text_direction_controls_is_refused(group, organizer):
    from events.services import event_cancel

    event = event_create(group=group, actor=organizer, **fields())
    errors = refusal(lambda: event_cancel(event=event, actor=organizer, message="Sorry\u202e"))
    assert list(errors) == ["message"]
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


@pytest.mark.parametrize("tag", ["evil\u202egpj.exe", "line\nbreak", "nul\x00byte", "\u202e"])
def test_a_tag_with_control_or_text_direction_characters_is_refused(group, organizer, tag):
    from events.models import Tag

    errors = refusal(lambda: event_create(group=group, actor=organizer, tags=[tag], **fields()))
    assert list(errors) == ["tags"]
    assert not Tag.objects.exists()
    assert not Event.objects.exists()


# --- Dates events may have: 1900 to 2999, for the form, the services and the admin alike -------

KIRITIMATI = zoneinfo.ZoneInfo("Pacific/Kiritimati")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
OUT_OF_RANGE = ["Give a date between 1900 and 2999."]


@pytest.mark.parametrize(
    ("zone", "starts"),
    [
        # Saved before, then its calendar file and the group's feed failed for everyone.
        ("Pacific/Kiritimati", dt.datetime(9999, 12, 31, 20, 0, tzinfo=KIRITIMATI)),
        ("UTC", dt.datetime(9999, 12, 31, 21, 0, tzinfo=dt.UTC)),
        # A bare OverflowError before.
        ("America/New_York", dt.datetime(1, 1, 1, 1, 0, tzinfo=dt.UTC)),
        ("Europe/London", dt.datetime(1899, 12, 31, 12, 0, tzinfo=dt.UTC)),
        ("Europe/London", dt.datetime(3000, 1, 1, 12, 0, tzinfo=dt.UTC)),
    ],
)
def test_event_dates_out_of_range_are_refused(group, organizer, zone, starts):
    ends = min(starts + dt.timedelta(hours=1), dt.datetime.max.replace(tzinfo=dt.UTC))
    errors = refusal(
        lambda: event_create(
            group=group, actor=organizer, **fields(timezone=zone, starts_at=starts, ends_at=ends)
        )
    )
    assert errors["starts_at"] == OUT_OF_RANGE
    assert not Event.objects.exists()


def test_rsvp_window_and_update_out_of_range_are_refused(group, organizer):
    far = dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC)
    errors = refusal(
        lambda: event_create(group=group, actor=organizer, **fields(rsvp_closes_at=far))
    )
    assert errors == {"rsvp_closes_at": OUT_OF_RANGE}
    event = event_create(group=group, actor=organizer, **fields())
    early = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
    errors = refusal(lambda: event_update(event=event, actor=organizer, rsvp_opens_at=early))
    assert errors == {"rsvp_opens_at": OUT_OF_RANGE}
    errors = refusal(lambda: event_update(event=event, actor=organizer, ends_at=far))
    assert errors == {"ends_at": OUT_OF_RANGE}


def test_the_edges_of_the_range_are_allowed(group, organizer):
    first = dt.datetime(1900, 1, 1, 0, 0, tzinfo=KIRITIMATI)
    last = dt.datetime(2999, 12, 31, 22, 0, tzinfo=NEW_YORK)
    event_create(
        group=group,
        actor=organizer,
        **fields(timezone="Pacific/Kiritimati", starts_at=first, ends_at=first + HOUR),
    )
    event_create(
        group=group,
        actor=organizer,
        **fields(timezone="America/New_York", starts_at=last, ends_at=last + HOUR),
    )
    assert Event.objects.count() == 2


HOUR = dt.timedelta(hours=1)


def series_fields(**changes):
    data = {
        "rrule": "FREQ=WEEKLY",
        "first_starts_at": START,
        "duration": dt.timedelta(hours=2),
        "title": "Walk",
        "category": "outdoors",
        "timezone": "America/New_York",
        "venue_name": "The park gate",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_starts_at": dt.datetime(1, 1, 1, 1, tzinfo=dt.UTC)}, "first_starts_at", None),
        ({"first_starts_at": dt.datetime(9999, 12, 31, tzinfo=dt.UTC)}, "first_starts_at", None),
        ({"rrule": "FREQ=DAILY;UNTIL=30000101"}, "rrule", None),
        ({"rrule": "FREQ=DAILY;UNTIL=99991231", "timezone": "UTC"}, "rrule", None),
        (
            {"rrule": "FREQ=DAILY;UNTIL=99991231"},
            "rrule",
            "UNTIL is too far away: give a date such as 20271231.",
        ),
        (
            {"rrule": "FREQ=DAILY;UNTIL=99991231T235959", "timezone": "Pacific/Honolulu"},
            "rrule",
            "UNTIL is too far away: give a date such as 20271231.",
        ),
    ],
)
def test_series_dates_out_of_range_are_refused(group, organizer, changes, field, message):
    errors = refusal(
        lambda: event_series_create(group=group, actor=organizer, **series_fields(**changes))
    )
    assert errors == {field: [message or OUT_OF_RANGE[0]]}
    assert not EventSeries.objects.exists()


def test_far_off_until_is_a_form_error_on_the_site(client, group, organizer):
    client.force_login(organizer)
    data = {
        "title": "Board games",
        "category": "games",
        "timezone": "America/New_York",
        "starts_at": "2099-07-01T19:00",
        "ends_at": "2099-07-01T22:00",
        "venue_name": "The library",
        "guests_allowed": "0",
        "repeats": "weekly",
        "until": "9999-12-31",
    }
    response = client.post(reverse("group_event_create", kwargs={"slug": group.slug}), data)
    assert response.status_code == 200
    assert response.context["form"].errors["until"] == ["Give a date between 1900 and 2999."]
    assert not EventSeries.objects.exists()


# --- Lengths and control characters the forms refused, now the models' -------------------------


def test_cancellation_message_longer_than_the_form_allows_is_refused(group, organizer):
    event = event_create(group=group, actor=organizer, **fields())
    errors = refusal(lambda: event_cancel(event=event, actor=organizer, message="x" * 2001))
    assert list(errors) == ["message"]
    event.refresh_from_db()
    assert not event.is_cancelled
    assert event_cancel(event=event, actor=organizer, message="x" * 2000).is_cancelled


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Walk\x00"},
        {"description": "a\x00b"},
        {"venue_name": "Gate\x00"},
        {"address": "1 High St\x00"},
        {"city": "Leeds\x00"},
        {"online_url": "https://x.example/a\x00b"},
        {"cost_note": "Free\x00"},
        {"accessibility_notes": "a\x00b"},
    ],
)
def test_nul_byte_in_event_text_is_refused(group, organizer, changes):
    errors = refusal(lambda: event_create(group=group, actor=organizer, **fields(**changes)))
    assert list(errors) == list(changes)
    assert not Event.objects.exists()


def test_nul_byte_in_cancellation_message_and_rule_is_refused(group, organizer):
    event = event_create(group=group, actor=organizer, **fields())
    assert list(refusal(lambda: event_cancel(event=event, actor=organizer, message="\x00"))) == [
        "message"
    ]
    errors = refusal(
        lambda: event_series_create(
            group=group, actor=organizer, **series_fields(rrule="FREQ=WEEKLY;WKST=MO\x00")
        )
    )
    assert list(errors) == ["rrule"]
