"""Group pictures: checked, resized, stored under random names, described for everyone."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.exceptions import ServiceError
from groups import services
from groups.models import Group, Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_file(size=(2400, 1200), fmt="PNG", name="photo.png", exif=None) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    if exif is not None:
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def bomb_png() -> SimpleUploadedFile:
    """A tiny file whose header claims 100,000 by 100,000 pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", b"\x89PNG\r\n\x1a\n" + body, content_type="image/png")


@pytest.fixture
def organizer():
    return UserFactory()


@pytest.fixture
def group(organizer):
    return GroupFactory(organizer=organizer, visibility=Group.Visibility.PRIVATE)


def stored_files(media):
    return (
        sorted(p.name for p in (media / "pictures").glob("*"))
        if (media / "pictures").exists()
        else []
    )


def test_picture_is_resized_with_a_small_card_version(group, organizer):
    services.group_update(group=group, actor=organizer, picture=image_file(), picture_alt="Us")
    group.refresh_from_db()
    with default_storage.open(group.picture.name) as f, Image.open(f) as large:
        assert large.size == (1600, 800)
        assert large.format == "JPEG"
    with default_storage.open(group.picture_card.name) as f, Image.open(f) as card:
        assert card.size == (480, 240)


def test_file_names_are_random_and_say_nothing_of_the_group(group, organizer, media):
    services.group_update(group=group, actor=organizer, picture=image_file(), picture_alt="Us")
    first = Group.objects.get(pk=group.pk)
    other = GroupFactory(organizer=organizer)
    services.group_update(group=other, actor=organizer, picture=image_file(), picture_alt="Us")
    other.refresh_from_db()
    names = [first.picture.name, first.picture_card.name, other.picture.name]
    assert len(set(names)) == 3
    for name in names:
        assert name.startswith("pictures/")
        assert group.slug not in name
        assert "photo" not in name
        assert len(name.removeprefix("pictures/").removesuffix(".jpg")) >= 32


def test_camera_and_place_metadata_are_dropped(group, organizer):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    upload = image_file(fmt="JPEG", name="p.jpg", exif=exif.tobytes())
    services.group_update(group=group, actor=organizer, picture=upload, picture_alt="Us")
    group.refresh_from_db()
    with default_storage.open(group.picture.name) as f:
        data = f.read()
    assert b"SecretCam" not in data


def test_alt_text_is_required_with_a_picture_and_nothing_is_kept(group, organizer, media):
    with pytest.raises(ServiceError) as refused:
        services.group_update(group=group, actor=organizer, picture=image_file(), picture_alt=" ")
    assert "picture_alt" in refused.value.field_errors()
    assert stored_files(media) == []
    group.refresh_from_db()
    assert not group.picture


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("notes.png", b"just some text", content_type="image/png"),
        SimpleUploadedFile("page.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        "bomb",
    ],
)
def test_non_images_and_decompression_bombs_are_refused(group, organizer, media, upload):
    upload = bomb_png() if upload == "bomb" else upload
    with pytest.raises(ServiceError) as refused:
        services.group_update(group=group, actor=organizer, picture=upload, picture_alt="Us")
    assert "picture" in refused.value.field_errors()
    assert stored_files(media) == []


def test_too_many_pixels_and_too_many_bytes_are_refused(group, organizer, settings):
    settings.PICTURE_MAX_PIXELS = 1000
    with pytest.raises(ServiceError, match="too many pixels"):
        services.group_update(group=group, actor=organizer, picture=image_file(), picture_alt="A")
    settings.PICTURE_MAX_PIXELS = 40_000_000
    settings.PICTURE_MAX_BYTES = 100
    with pytest.raises(ServiceError, match="too large"):
        services.group_update(group=group, actor=organizer, picture=image_file(), picture_alt="A")


def test_replacing_and_removing_delete_the_old_files(
    group, organizer, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.group_update(group=group, actor=organizer, picture=image_file(), picture_alt="A")
    first = stored_files(media)
    assert len(first) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.group_update(group=group, actor=organizer, picture=image_file((800, 800)))
    second = stored_files(media)
    assert len(second) == 2
    assert not set(first) & set(second)
    with django_capture_on_commit_callbacks(execute=True):
        services.group_update(group=group, actor=organizer, remove_picture=True)
    assert stored_files(media) == []
    group.refresh_from_db()
    assert not group.picture


def test_only_organizers_change_the_picture(group, media):
    member = MembershipFactory(group=group).user
    from core.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        services.group_update(group=group, actor=member, picture=image_file(), picture_alt="A")
    assert stored_files(media) == []


def test_the_form_uploads_and_the_pages_show_it(client, organizer):
    client.force_login(organizer)
    data = {
        "name": "Picture circle",
        "description": "",
        "category": "music",
        "city": "Leeds",
        "visibility": "public",
        "join_policy": "open",
        "member_list_visibility": "members",
        "picture": image_file(),
        "picture_alt": "Six people singing in a hall",
    }
    form_page = client.get(reverse("groups:create")).content.decode()
    assert 'enctype="multipart/form-data"' in form_page
    response = client.post(reverse("groups:create"), data)
    assert response.status_code == 302
    group = Group.objects.get(name="Picture circle")
    page = client.get(group.get_absolute_url()).content.decode()
    assert f'src="{group.picture.url}" alt="Six people singing in a hall"' in page
    listing = client.get(reverse("groups:list")).content.decode()
    assert f'src="{group.picture_card.url}"' in listing


def test_the_form_shows_a_bad_file_as_a_field_error(client, organizer, media):
    client.force_login(organizer)
    data = {
        "name": "Picture circle",
        "category": "music",
        "visibility": "public",
        "join_policy": "open",
        "member_list_visibility": "members",
        "picture": SimpleUploadedFile("x.png", b"nope"),
        "picture_alt": "Something",
    }
    response = client.post(reverse("groups:create"), data)
    assert response.status_code == 200
    assert "This file is not a picture we can use" in response.content.decode()
    assert not Group.objects.filter(name="Picture circle").exists()
    assert stored_files(media) == []


def test_edit_form_offers_to_remove_an_existing_picture(client, group, organizer):
    services.group_update(group=group, actor=organizer, picture=image_file(), picture_alt="Us")
    client.force_login(organizer)
    page = client.get(reverse("groups:edit", kwargs={"slug": group.slug})).content.decode()
    assert 'name="remove_picture"' in page
    assert Membership.objects.filter(group=group, user=organizer).exists()
