"""core.pictures.picture_delete: files go after commit, except those still in use."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.pictures import picture_delete

pytestmark = pytest.mark.django_db


def test_files_still_in_use_are_kept(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    kept = default_storage.save("pictures/kept.jpg", ContentFile(b"a"))
    gone = default_storage.save("pictures/gone.jpg", ContentFile(b"b"))
    asked = []

    def in_use(names):
        asked.append(set(names))
        return {kept}

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        picture_delete(kept, gone, "", in_use=in_use)
    assert asked == []
    assert default_storage.exists(gone)
    for callback in callbacks:
        callback()
    assert asked == [{kept, gone}]
    assert default_storage.exists(kept)
    assert not default_storage.exists(gone)
