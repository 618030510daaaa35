"""Private and unlisted groups get unguessable addresses (their old ones were their names, or
revealed them with "-2"), and a half-given meeting point (latitude without longitude, possible
through the admin) is cleared before the next migration makes the pair a constraint."""

import secrets
import string

from django.db import migrations
from django.utils.text import slugify

SLUG_MAX_LENGTH = 140
SUFFIX_LENGTH = 12
ALPHABET = string.ascii_lowercase + string.digits


def _suffix():
    while True:
        suffix = "".join(secrets.choice(ALPHABET) for _ in range(SUFFIX_LENGTH))
        if any(char.isalpha() for char in suffix):
            return suffix


def _hidden_slug(name):
    base = slugify(name)[: SLUG_MAX_LENGTH - SUFFIX_LENGTH - 1].strip("-") or "group"
    return f"{base}-{_suffix()}"


def forwards(apps, schema_editor):
    Group = apps.get_model("groups", "Group")
    for group in Group.objects.filter(visibility__in=["private", "unlisted"]).only("pk", "name"):
        slug = _hidden_slug(group.name)
        while Group.objects.filter(slug=slug).exists():
            slug = _hidden_slug(group.name)
        Group.objects.filter(pk=group.pk).update(slug=slug)
    Group.objects.filter(latitude__isnull=True, longitude__isnull=False).update(longitude=None)
    Group.objects.filter(latitude__isnull=False, longitude__isnull=True).update(latitude=None)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0003_single_line_names"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
