"""Event pictures: through the services and the event form, shown on the page and cards."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.exceptions import ServiceError
from events.models import Event
from events.services import event_create, event_update
from groups.models import Membership
from tests.events.test_views import create_data, edit_data
from tests.factories import EventFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_file(size=(2000, 1000)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")


def stored(media):
    folder = media / "pictures"
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


def test_event_update_stores_a_resized_picture(
    group, organizer, django_capture_on_commit_callbacks, media
):
    event = EventFactory(group=group)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, actor=organizer, picture=image_file(), picture_alt="The hall")
    event.refresh_from_db()
    assert event.picture_alt == "The hall"
    with Image.open(event.picture.path) as large, Image.open(event.picture_card.path) as card:
        assert large.size == (1600, 800)
        assert card.size == (480, 240)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, actor=organizer, remove_picture=True)
    assert stored(media) == []


def test_event_picture_needs_alt_text_and_an_image(group, organizer, media):
    event = EventFactory(group=group)
    with pytest.raises(ServiceError) as refused:
        event_update(event=event, actor=organizer, picture=image_file(), picture_alt="")
    assert "picture_alt" in refused.value.field_errors()
    with pytest.raises(ServiceError) as refused:
        event_update(
            event=event,
            actor=organizer,
            picture=SimpleUploadedFile("a.png", b"not an image"),
            picture_alt="x",
        )
    assert "picture" in refused.value.field_errors()
    assert stored(media) == []


def test_event_create_takes_a_picture(group, organizer):
    event = EventFactory.build(group=group)
    fields = {
        name: getattr(event, name)
        for name in (
            "title",
            "description",
            "category",
            "timezone",
            "venue_name",
            "starts_at",
            "ends_at",
        )
    }
    created = event_create(
        group=group, actor=organizer, picture=image_file(), picture_alt="Boards", **fields
    )
    assert created.picture.name.startswith("pictures/")
    assert created.picture_alt == "Boards"


def test_event_form_uploads_and_the_page_and_cards_show_it(client, group, organizer):
    client.force_login(organizer)
    url = reverse("group_event_create", kwargs={"slug": group.slug})
    assert 'enctype="multipart/form-data"' in client.get(url).content.decode()
    response = client.post(url, create_data(picture=image_file(), picture_alt="Games on a table"))
    assert response.status_code == 302
    event = Event.objects.get(title="Board games")
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'src="{event.picture.url}" alt="Games on a table"' in page
    listing = client.get(reverse("events:list")).content.decode()
    assert f'src="{event.picture_card.url}"' in listing


def test_event_edit_form_shows_a_bad_file_beside_the_field(client, group, organizer, media):
    event = EventFactory(group=group)
    client.force_login(organizer)
    url = reverse("events:edit", kwargs={"slug": event.slug})
    response = client.post(
        url, edit_data(event, picture=SimpleUploadedFile("x.png", b"nope"), picture_alt="x")
    )
    assert response.status_code == 200
    assert "This file is not a picture we can use" in response.content.decode()
    assert stored(media) == []


def test_hosts_outside_the_group_cannot_set_a_picture(group, media):
    other = MembershipFactory(group=GroupFactory(), role=Membership.Role.ORGANIZER).user
    from core.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        event_update(
            event=EventFactory(group=group), actor=other, picture=image_file(), picture_alt="x"
        )
    assert stored(media) == []
