"""PostgreSQL only: a trigram index (pg_trgm, on UPPER() as Django's icontains compares) on the
group's town, for the event search's "in the group's town" match (events.selectors._text_match).
SQLite matches by scanning."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS group_city_trgm ON groups_group "
        "USING gin (UPPER(city) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS group_city_trgm")


class Migration(migrations.Migration):
    dependencies = [("groups", "0011_picture")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
