"""Organizers edit a repeating event as a whole, or stop it, from an occurrence's page."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from events.forms import EventSeriesForm
from events.models import Event, EventSeries
from events.services import event_series_create, event_update, rsvp_create
from groups.models import Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=BERLIN)  # a Monday
FIRST = dt.datetime(2027, 3, 2, 19, 0, tzinfo=BERLIN)  # a Tuesday


@pytest.fixture
def world(time_machine):
    time_machine.move_to(NOW, tick=False)
    group = GroupFactory(name="Berlin Choir", city="Berlin")
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": MembershipFactory(group=group).user,
        "host": MembershipFactory(group=group, role=Membership.Role.HOST).user,
        "organizer": MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user,
    }
    series = event_series_create(
        group=group,
        actor=people["organizer"],
        rrule="FREQ=WEEKLY;BYDAY=TU",
        first_starts_at=FIRST,
        duration=dt.timedelta(hours=2),
        title="Choir practice",
        category="music",
        timezone="Europe/Berlin",
        venue_name="Gemeindehaus",
        capacity=12,
        horizon_days=35,
        tags=["Singing"],
    )
    return {"group": group, "series": series, **people}


def occurrences(series):
    return list(Event.objects.filter(series=series).order_by("starts_at"))


def local(value):
    return value.astimezone(BERLIN)


def login(client, user):
    if user is not None:
        client.force_login(user)


def url(name, event):
    return reverse(f"events:{name}", kwargs={"slug": event.slug})


def series_data(series, **changes):
    """What the series form posts when nothing is touched, with `changes`."""
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


# --- Who may -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("outsider", 404), ("member", 404), ("host", 200), ("organizer", 200)],
)
def test_series_pages_by_role(client, world, who, status):
    login(client, world[who])
    event = occurrences(world["series"])[0]
    for name in ("series_edit", "series_stop"):
        assert client.get(url(name, event)).status_code == status
    response = client.post(url("series_edit", event), series_data(world["series"], title="Hacked"))
    assert response.status_code == (302 if status == 200 else 404)
    assert (occurrences(world["series"])[1].title == "Hacked") is (status == 200)
    response = client.post(url("series_stop", event), {"message": ""})
    assert response.status_code == (302 if status == 200 else 404)
    assert (EventSeries.objects.get().ended_at is not None) is (status == 200)


def test_series_pages_of_a_private_group_are_404_for_outsiders(client, world):
    world["group"].visibility = "private"
    world["group"].save()
    login(client, world["outsider"])
    event = occurrences(world["series"])[0]
    assert client.get(url("series_edit", event)).status_code == 404
    assert client.get(url("series_stop", event)).status_code == 404


def test_series_pages_of_a_single_event_are_404(client, world):
    event = EventFactory(group=world["group"])
    login(client, world["organizer"])
    assert client.get(url("series_edit", event)).status_code == 404
    assert client.post(url("series_stop", event)).status_code == 404


# --- The occurrence's page -----------------------------------------------------------------


def test_organizer_sees_this_date_and_whole_series_links(client, world):
    event = occurrences(world["series"])[0]
    login(client, world["organizer"])
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Edit this date" in html
    assert "Edit the event" not in html
    assert url("series_edit", event) in html
    assert url("series_stop", event) in html
    edit_page = client.get(url("edit", event)).content.decode()
    assert url("series_edit", event) in edit_page


def test_member_sees_no_series_links(client, world):
    event = occurrences(world["series"])[0]
    login(client, world["member"])
    html = client.get(event.get_absolute_url()).content.decode()
    assert url("series_edit", event) not in html
    assert url("series_stop", event) not in html


def test_single_event_page_has_no_series_links(client, world):
    event = EventFactory(group=world["group"])
    login(client, world["organizer"])
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Edit the event" in html
    assert "series/" not in html


# --- Editing the series --------------------------------------------------------------------


def test_series_form_starts_from_the_series_in_its_time_zone(client, world):
    event = occurrences(world["series"])[2]
    login(client, world["organizer"])
    form = client.get(url("series_edit", event)).context["form"]
    assert form.initial["repeats"] == "weekly"
    assert (form.initial["until"], form.initial["count"]) == (None, None)
    assert "rrule" not in form.fields
    assert form.initial["first_date"] == dt.date(2027, 3, 2)
    assert form.initial["start_time"] == dt.time(19, 0)
    assert form.initial["duration"] == 120
    assert form.initial["tags"] == "Singing"
    html = client.get(url("series_edit", event)).content.decode()
    assert 'value="19:00"' in html
    assert 'for="id_start_time"' in html


def test_custom_rule_is_shown_as_written(client, world):
    series = world["series"]
    EventSeries.objects.filter(pk=series.pk).update(rrule="FREQ=WEEKLY;BYDAY=TU,TH")
    series.refresh_from_db()
    initial = EventSeriesForm.initial_for(series)
    assert (initial["repeats"], initial["rrule"]) == ("custom", "FREQ=WEEKLY;BYDAY=TU,TH")


def test_saving_the_form_untouched_changes_nothing(client, world, changed):
    series = world["series"]
    before = [(e.pk, e.starts_at, e.updated_at) for e in occurrences(series)]
    event = occurrences(series)[0]
    login(client, world["organizer"])

    response = client.post(url("series_edit", event), series_data(series))

    assert response.status_code == 302
    assert [(e.pk, e.starts_at, e.updated_at) for e in occurrences(series)] == before
    assert changed == []


def test_series_edit_changes_coming_dates_not_edited_on_their_own(client, world, changed):
    series = world["series"]
    first, edited, *following = occurrences(series)
    event_update(event=edited, actor=world["organizer"], title="Spring concert")
    rsvp_create(event=first, user=MembershipFactory(group=world["group"]).user)
    login(client, world["host"])

    response = client.post(
        url("series_edit", first),
        series_data(
            series, title="Choir", start_time="18:30", duration="90", tags="Singing, Music"
        ),
    )

    assert response["Location"] == first.get_absolute_url()
    for event in [first, *following]:
        event.refresh_from_db()
        assert event.title == "Choir"
        assert (local(event.starts_at).hour, local(event.starts_at).minute) == (18, 30)
        assert event.ends_at - event.starts_at == dt.timedelta(minutes=90)
        assert sorted(event.tags.values_list("name", flat=True)) == ["Music", "Singing"]
    edited.refresh_from_db()
    assert edited.title == "Spring concert"
    assert local(edited.starts_at).hour == 19
    assert first.rsvps.get().status == "going"
    series.refresh_from_db()
    assert local(series.first_starts_at) == FIRST.replace(hour=18, minute=30)
    assert {"starts_at", "ends_at"} <= changed[0]["changed_fields"]


def test_new_weekday_moves_the_series_and_leads_to_the_next_date(client, world):
    series = world["series"]
    first = occurrences(series)[0]
    login(client, world["organizer"])

    response = client.post(url("series_edit", first), series_data(series, first_date="2027-03-04"))

    remaining = occurrences(series)
    assert {local(e.starts_at).strftime("%a") for e in remaining} == {"Thu"}
    assert not Event.objects.filter(pk=first.pk).exists()
    assert response["Location"] == remaining[0].get_absolute_url()
    assert EventSeries.objects.get().rrule == "FREQ=WEEKLY;BYDAY=TH"


def test_monthly_choice_becomes_a_rule_on_the_local_weekday(client, world):
    series = world["series"]
    login(client, world["organizer"])
    client.post(
        url("series_edit", occurrences(series)[0]), series_data(series, repeats="monthly_weekday")
    )
    assert EventSeries.objects.get().rrule == "FREQ=MONTHLY;BYDAY=1TU"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"repeats": "custom", "rrule": "FREQ=WEEKLY;BYDAY=TU,TH"}, "repeats"),
        ({"until": "2027-03-01"}, "until"),
        ({"until": "9999-12-31"}, "until"),
        ({"until": "2027-04-01", "count": "3"}, "count"),
        ({"count": "0"}, "count"),
        ({"count": "100000"}, "count"),
        ({"skip_date": "2027-03-10"}, "skip_date"),
        ({"skip_date": "2027-02-23"}, "skip_date"),
        ({"skip_date": "2027-12-28"}, "skip_date"),
        ({"repeats": "yearly"}, "repeats"),
        ({"duration": "0"}, "duration"),
        ({"duration": "abc"}, "duration"),
        ({"first_date": "0001-01-01"}, "first_date"),
        ({"start_time": "25:00"}, "start_time"),
        ({"first_date": "2027-03-28", "start_time": "02:30"}, "start_time"),
        ({"timezone": "Nowhere/Town"}, "timezone"),
        ({"online_url": "not a link"}, "online_url"),
        ({"title": ""}, "title"),
    ],
)
def test_series_edit_with_bad_input_shows_the_error_beside_the_field(client, world, changes, field):
    series = world["series"]
    event = occurrences(series)[0]
    login(client, world["organizer"])

    response = client.post(url("series_edit", event), series_data(series, **changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert {e.title for e in occurrences(series)} == {"Choir practice"}


def test_series_edit_refused_by_the_service_says_which_date(client, world):
    series = world["series"]
    second = occurrences(series)[1]
    for _ in range(3):
        rsvp_create(event=second, user=MembershipFactory(group=world["group"]).user)
    login(client, world["organizer"])

    response = client.post(url("series_edit", second), series_data(series, capacity="2"))

    assert response.status_code == 200
    assert "2027-03-09" in " ".join(response.context["form"].non_field_errors())
    assert {e.capacity for e in occurrences(series)} == {12}


def test_series_without_any_place_is_refused(client, world):
    series = world["series"]
    login(client, world["organizer"])
    response = client.post(
        url("series_edit", occurrences(series)[0]), series_data(series, venue_name="")
    )
    assert "Give a venue, an address or an online link." in response.content.decode()


# --- Stopping ------------------------------------------------------------------------------


def test_stop_page_lists_the_dates_that_will_go(client, world):
    series = world["series"]
    first, edited, *following = occurrences(series)
    event_update(event=edited, actor=world["organizer"], title="Spring concert")
    login(client, world["organizer"])

    response = client.get(url("series_stop", first))

    assert list(response.context["coming"]) == [first, *following]
    assert "Tue 9 Mar 2027" not in response.content.decode()
    assert "Tue 16 Mar 2027, 19:00" in response.content.decode()


def test_stopping_cancels_answered_dates_with_the_message_and_removes_the_rest(client, world):
    series = world["series"]
    first, second, *_rest = occurrences(series)
    rsvp_create(event=second, user=MembershipFactory(group=world["group"]).user)
    login(client, world["organizer"])

    response = client.post(url("series_stop", first), {"message": "The hall closes."})

    assert response["Location"] == world["group"].get_absolute_url()
    assert occurrences(series) == [second]
    second.refresh_from_db()
    assert second.status == Event.Status.CANCELLED
    assert second.cancellation_message == "The hall closes."
    page = client.get(second.get_absolute_url()).content.decode()
    assert "The hall closes." in page
    assert url("series_edit", second) not in page
    assert url("series_stop", second) not in page


def test_stopped_series_pages_say_so(client, world):
    series = world["series"]
    first, second, *_rest = occurrences(series)
    rsvp_create(event=second, user=MembershipFactory(group=world["group"]).user)
    login(client, world["organizer"])
    client.post(url("series_stop", first), {"message": ""})

    for name in ("series_edit", "series_stop"):
        response = client.get(url(name, second), follow=True)
        assert response.redirect_chain == [(second.get_absolute_url(), 302)]
        assert "This event no longer repeats." in response.content.decode()
