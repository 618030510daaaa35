"""PostgreSQL only: trigram indexes (pg_trgm, on UPPER() as Django's icontains compares) for the
event search's match on the venue and the town (events.selectors._text_match unites the ids
each index finds). SQLite matches text by scanning, and needs none."""

from django.db import migrations

INDEXES = {
    "event_venue_name_trgm": "USING gin (UPPER(venue_name) gin_trgm_ops)",
    "event_city_trgm": "USING gin (UPPER(city) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON events_event {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("events", "0013_picture")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
