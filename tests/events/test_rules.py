"""Every rule about one event or series, asked of the services directly with input the website's
form would refuse: each fails when its rule is removed from Event/EventSeries.clean."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from core.exceptions import ServiceError
from events.forms import EventCreateForm, EventForm
from events.models import EVENT_FIELDS, Event, EventSeries
from events.services import event_create, event_series_create, event_update
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
            "latitude": "53.8",
            "guests_allowed": "0",
            "rsvp_opens_at": "2099-05-01T10:00",
            "rsvp_closes_at": "2099-04-01T10:00",
        }
    )
    assert not form.is_valid()
    assert form.errors["ends_at"] == ["The event must end after it starts."]
    assert form.errors["rsvp_closes_at"] == ["RSVPs must close after they open."]
    assert form.errors["venue_name"] == ["Give a venue, an address or an online link."]
    assert form.errors["longitude"] == ["Give both a latitude and a longitude, or neither."]


def test_the_form_offers_the_one_list_of_time_zones():
    """The profile's zones (legacy aliases included) are the event form's zones."""
    from core.timezones import timezone_names

    offered = {value for value, _label in EventForm.base_fields["timezone"].choices}
    assert offered == set(timezone_names())
    assert "US/Eastern" in offered


def test_the_event_field_list_is_the_forms():
    form = EventCreateForm()
    assert set(EVENT_FIELDS) <= set(form.fields)


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
