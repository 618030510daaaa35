"""Pictures on repeating events: the series' picture goes on every date (those the horizon task
makes later too), the dates share its stored files, and no file is deleted while a date still
shows it."""

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.exceptions import ServiceError
from events.models import Event, EventSeries
from events.services import (
    event_series_create,
    event_series_update,
    event_update,
)
from events.tasks import event_series_materialize_all_task
from groups.models import Membership
from tests.events.test_pictures import image_file, stored
from tests.events.test_series_views import series_data
from tests.events.test_views import create_data
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=BERLIN)  # a Monday
FIRST = dt.datetime(2027, 3, 2, 19, 0, tzinfo=BERLIN)  # a Tuesday


@pytest.fixture(autouse=True)
def media(settings, tmp_path, time_machine):
    time_machine.move_to(NOW, tick=False)
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def group():
    return GroupFactory(city="Berlin")


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


def make_series(organizer, group, **extra):
    return event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        first_starts_at=FIRST,
        duration=dt.timedelta(hours=2),
        title="Choir practice",
        category="music",
        timezone="Europe/Berlin",
        venue_name="Gemeindehaus",
        horizon_days=21,
        **extra,
    )


def dates(series):
    return list(Event.objects.filter(series=series).order_by("starts_at"))


def names(event):
    return {event.picture.name, event.picture_card.name}


def test_a_series_picture_goes_on_every_date_sharing_its_files(
    group, organizer, media, time_machine
):
    series = make_series(organizer, group, picture=image_file(), picture_alt="Singers")
    made = dates(series)
    assert len(made) == 3
    assert len(stored(media)) == 2
    for event in made:
        assert names(event) == names(series)
        assert event.picture_alt == "Singers"
    time_machine.move_to(NOW + dt.timedelta(days=14), tick=False)
    assert event_series_materialize_all_task() >= 1
    later = dates(series)
    assert len(later) > 3
    assert all(names(event) == names(series) for event in later)
    assert len(stored(media)) == 2


def test_a_series_picture_needs_its_description_and_an_image(group, organizer, media):
    with pytest.raises(ServiceError) as refused:
        make_series(organizer, group, picture=image_file(), picture_alt=" ")
    assert "picture_alt" in refused.value.field_errors()
    with pytest.raises(ServiceError) as refused:
        make_series(organizer, group, picture=SimpleUploadedFile("a.png", b"no"))
    assert "picture" in refused.value.field_errors()
    assert not EventSeries.objects.exists()
    assert stored(media) == []


def test_replacing_or_removing_one_dates_picture_keeps_the_files_others_show(
    group, organizer, media, django_capture_on_commit_callbacks
):
    series = make_series(organizer, group, picture=image_file(), picture_alt="Singers")
    shared = names(series)
    first, second, third = dates(series)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=first, actor=organizer, picture=image_file(), picture_alt="Our hall")
    first.refresh_from_db()
    assert names(first) != shared
    on_disk = {f"pictures/{name}" for name in stored(media)}
    assert shared <= on_disk
    assert names(first) <= on_disk
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=second, actor=organizer, remove_picture=True)
    second.refresh_from_db()
    assert not second.picture
    on_disk = {f"pictures/{name}" for name in stored(media)}
    assert shared <= on_disk
    third.refresh_from_db()
    assert names(third) == shared


def test_a_new_series_picture_follows_on_coming_dates_and_old_files_go_when_unused(
    group, organizer, media, django_capture_on_commit_callbacks
):
    series = make_series(organizer, group, picture=image_file(), picture_alt="Singers")
    old = names(series)
    first, second, third = dates(series)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=first, actor=organizer, picture=image_file(), picture_alt="Own")
    own = names(Event.objects.get(pk=first.pk))
    event_update(event=second, actor=organizer, title="Choir practice: concert")
    with django_capture_on_commit_callbacks(execute=True):
        event_series_update(
            series=series, actor=organizer, picture=image_file(), picture_alt="New singers"
        )
    series.refresh_from_db()
    new = names(series)
    assert new != old
    assert names(Event.objects.get(pk=first.pk)) == own
    # The date edited on its own keeps the former picture: its files stay.
    assert names(Event.objects.get(pk=second.pk)) == old
    follower = Event.objects.get(pk=third.pk)
    assert names(follower) == new
    assert follower.picture_alt == "New singers"
    on_disk = {f"pictures/{name}" for name in stored(media)}
    assert old | new | own <= on_disk
    # Once no date shows the former picture, its files go.
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=second, actor=organizer, remove_picture=True)
    on_disk = {f"pictures/{name}" for name in stored(media)}
    assert not old & on_disk
    assert new | own <= on_disk


def test_removing_the_series_picture_clears_following_dates_and_deletes_unused_files(
    group, organizer, media, django_capture_on_commit_callbacks
):
    series = make_series(organizer, group, picture=image_file(), picture_alt="Singers")
    with django_capture_on_commit_callbacks(execute=True):
        event_series_update(series=series, actor=organizer, remove_picture=True)
    series.refresh_from_db()
    assert not series.picture
    assert all(not event.picture for event in dates(series))
    assert stored(media) == []


def test_only_the_description_changes_on_dates_that_follow(group, organizer):
    series = make_series(organizer, group, picture=image_file(), picture_alt="Singers")
    event_series_update(series=series, actor=organizer, picture_alt="Singers in a hall")
    assert {event.picture_alt for event in dates(series)} == {"Singers in a hall"}
    with pytest.raises(ServiceError) as refused:
        event_series_update(series=series, actor=organizer, picture_alt="")
    assert "picture_alt" in refused.value.field_errors()


def test_the_new_event_form_takes_a_picture_for_a_repeating_event(client, group, organizer):
    client.force_login(organizer)
    url = reverse("group_event_create", kwargs={"slug": group.slug})
    data = create_data(
        starts_at="2027-03-02T19:00",
        ends_at="2027-03-02T21:00",
        repeats="weekly",
        count="3",
        picture=image_file(),
        picture_alt="Games on a table",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    series = EventSeries.objects.get()
    assert series.picture_alt == "Games on a table"
    made = dates(series)
    assert len(made) == 3
    assert all(names(event) == names(series) for event in made)
    page = client.get(made[1].get_absolute_url()).content.decode()
    assert f'src="{series.picture.url}" alt="Games on a table"' in page


def test_the_new_event_form_asks_a_repeating_events_picture_for_its_description(
    client, group, organizer, media
):
    client.force_login(organizer)
    url = reverse("group_event_create", kwargs={"slug": group.slug})
    data = create_data(
        starts_at="2027-03-02T19:00",
        ends_at="2027-03-02T21:00",
        repeats="weekly",
        picture=image_file(),
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "for people who cannot see it" in response.content.decode()
    assert not EventSeries.objects.exists()
    assert stored(media) == []


def test_the_series_form_uploads_and_removes_the_picture(
    client, group, organizer, media, django_capture_on_commit_callbacks
):
    series = make_series(organizer, group)
    event = dates(series)[0]
    client.force_login(organizer)
    url = reverse("events:series_edit", kwargs={"slug": event.slug})
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "remove_picture" not in page
    data = {**series_data(series, picture_alt="Singers"), "picture": image_file()}
    assert client.post(url, data).status_code == 302
    series.refresh_from_db()
    assert series.picture
    assert series.picture_alt == "Singers"
    assert len(stored(media)) == 2
    assert all(names(e) == names(series) for e in dates(series))
    page = client.get(url).content.decode()
    assert "remove_picture" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, series_data(series, remove_picture="on"))
    assert response.status_code == 302
    assert all(not e.picture for e in dates(series))
    assert stored(media) == []
