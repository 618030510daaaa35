"""Pictures of groups and events: checked, resized and stored under random names.

`picture_store(upload)` reads an uploaded file with Pillow and refuses (ServiceError on the
`picture` field) anything that is not a JPEG, PNG, WebP or GIF image, a file over
PICTURE_MAX_BYTES, and images over PICTURE_MAX_PIXELS (decompression bombs) before decoding
them. It writes two JPEGs to the default storage (STORAGES["default"]): the picture at most
1600 pixels wide and high, and a small card version, with no metadata (no camera, no place),
each under its own random, unguessable name, so a private group's picture cannot be found by
guessing. `picture_delete` removes both after the transaction commits (unless still in use).
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.exceptions import ServiceError

LARGE_SIZE = (1600, 1600)
CARD_SIZE = (480, 480)
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "MPO"})
FOLDER = "pictures"
# The longest alt text (the models' field length too).
ALT_MAX_LENGTH = 250


@dataclass(frozen=True)
class StoredPicture:
    name: str  # the large picture's storage name
    card_name: str  # the card version's


def picture_alt_required() -> str:
    """The one message for a picture given without its description (models' clean())."""
    return _("Say in a few words what the picture shows, for people who cannot see it.")


def _max_bytes() -> int:
    return getattr(settings, "PICTURE_MAX_BYTES", 10 * 1024 * 1024)


def _max_pixels() -> int:
    return getattr(settings, "PICTURE_MAX_PIXELS", 40_000_000)


def _refuse(message: str) -> ServiceError:
    return ServiceError({"picture": [message]})


def _random_name() -> str:
    return f"{FOLDER}/{secrets.token_urlsafe(24)}.jpg"


def _jpeg(image: Image.Image, size: tuple[int, int]) -> ContentFile:
    copy = image.copy()
    copy.thumbnail(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh image carries no EXIF: no camera, no GPS position of someone's home.
    copy.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(out.getvalue())


def picture_read(upload) -> Image.Image:
    """The uploaded picture as an RGB image, or ServiceError on `picture`."""
    size = getattr(upload, "size", None)
    if size is not None and size > _max_bytes():
        raise _refuse(
            _("This picture is too large: please choose one under %(mb)s MB.")
            % {"mb": _max_bytes() // (1024 * 1024)}
        )
    not_an_image = _("This file is not a picture we can use: please choose a JPEG, PNG or WebP.")
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as opened:
                if opened.format not in ALLOWED_FORMATS:
                    raise _refuse(not_an_image)
                width, height = opened.size
                if width * height > _max_pixels():
                    raise _refuse(
                        _("This picture has too many pixels: please choose a smaller one.")
                    )
                opened.seek(0)
                image = ImageOps.exif_transpose(opened)
                image = image.convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(_("This picture has too many pixels: please choose a smaller one.")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise _refuse(not_an_image) from None
    return image


def picture_store(upload) -> StoredPicture:
    """Check, resize and store an uploaded picture under two new random names. A service
    calls it once every other rule has passed, and `picture_discard` if saving then fails."""
    image = picture_read(upload)
    name = default_storage.save(_random_name(), _jpeg(image, LARGE_SIZE))
    card_name = default_storage.save(_random_name(), _jpeg(image, CARD_SIZE))
    return StoredPicture(name=name, card_name=card_name)


def picture_discard(stored: StoredPicture | None) -> None:
    """Remove files just stored for a change that did not happen."""
    if stored is not None:
        for name in (stored.name, stored.card_name):
            default_storage.delete(name)


def picture_delete(*names: str, in_use=None) -> None:
    """Remove stored pictures once the change that drops them has committed. `in_use(names)`,
    when given, answers (after the commit) which of them something still shows: those stay
    (the dates of a repeating event share their series' files)."""

    def delete():
        dropped = {name for name in names if name}
        if in_use is not None and dropped:
            dropped -= set(in_use(dropped))
        for name in sorted(dropped):
            default_storage.delete(name)

    transaction.on_commit(delete)
