from django.db import migrations
from django.db.models import Q


def clear_half_given_coordinates(apps, schema_editor):
    """A latitude without a longitude (or the other way round) places no one: cleared, so the
    constraint of the next migration holds."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(
        Q(latitude__isnull=True, longitude__isnull=False)
        | Q(latitude__isnull=False, longitude__isnull=True)
    ).update(latitude=None, longitude=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_plain_text_and_one_zone_list"),
    ]

    operations = [
        migrations.RunPython(clear_half_given_coordinates, migrations.RunPython.noop),
    ]
