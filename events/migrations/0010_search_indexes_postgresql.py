"""PostgreSQL only: trigram indexes for the event search's `q` (pg_trgm, on UPPER() as Django's
icontains compares), and an index on how long an event lasts, which bounds "upcoming" scans
(events.models.longest_duration). SQLite matches text by scanning, and needs neither."""

from django.db import migrations

INDEXES = {
    "event_title_trgm": "USING gin (UPPER(title) gin_trgm_ops)",
    "event_description_trgm": "USING gin (UPPER(description) gin_trgm_ops)",
    "event_duration": "((ends_at - starts_at))",
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
    dependencies = [("events", "0009_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
