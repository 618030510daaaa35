"""Events of private and unlisted groups get an unguessable web address (title, local date and
a random suffix), so the plain and numbered addresses ("-2") belong to public events only."""

import re
import secrets
import string
import zoneinfo

from django.db import migrations
from django.utils.text import slugify

ALPHABET = string.ascii_lowercase + string.digits
HIDDEN_SUFFIX = re.compile(r"-(?=[a-z0-9]*[a-z])[a-z0-9]{10,}$")


def _suffix() -> str:
    while True:
        suffix = "".join(secrets.choice(ALPHABET) for _i in range(12))
        if any(char in string.ascii_lowercase for char in suffix):
            return suffix


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def hide_slugs(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    hidden = Event.objects.exclude(group__visibility="public").only(
        "pk", "slug", "title", "starts_at", "timezone"
    )
    for event in hidden.iterator():
        if HIDDEN_SUFFIX.search(event.slug):
            continue
        base = slugify(event.title)[:180].strip("-") or "event"
        day = event.starts_at.astimezone(_zone(event.timezone)).date().isoformat()
        while True:
            slug = f"{base}-{day}-{_suffix()}"
            if not Event.objects.filter(slug=slug).exists():
                break
        Event.objects.filter(pk=event.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [("events", "0005_core_timezones")]

    operations = [migrations.RunPython(hide_slugs, migrations.RunPython.noop)]
