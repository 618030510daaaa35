"""PostgreSQL only: a partial index on the end of long events (events.models.LONG_EVENT), from
which "upcoming" lists read the few long events still on, and statistics on how long events
last, so that the planner knows they are few (without them it guesses a third of all events
and walks the start index instead); the index on how long events last (the old bound from the
longest event) goes. SQLite reads the plain condition. On both: an index on the coordinates
for the distance filter's bounding box."""

from django.db import migrations, models

LONG_EVENTS = (
    "CREATE INDEX IF NOT EXISTS event_long_ends_at ON events_event (ends_at) "
    "WHERE (ends_at - starts_at) > interval '1 day'"
)

DURATION_STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS event_duration_stats ON (ends_at - starts_at) FROM events_event"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(LONG_EVENTS)
    schema_editor.execute(DURATION_STATISTICS)
    schema_editor.execute("ANALYZE events_event")
    schema_editor.execute("DROP INDEX IF EXISTS event_duration")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS event_long_ends_at")
    schema_editor.execute("DROP STATISTICS IF EXISTS event_duration_stats")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS event_duration ON events_event ((ends_at - starts_at))"
    )


class Migration(migrations.Migration):
    dependencies = [("events", "0014_place_search_indexes_postgresql")]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["latitude", "longitude"], name="event_lat_lon"),
        ),
    ]
