"""PostgreSQL only: statistics on latitude and longitude together, for the distance filter's
bounding box (core.geo.filter_near). Without them the planner multiplies the two ranges'
shares as if a place's latitude said nothing of its longitude, expects a box around a busy
town to hold a few rows, and reads every event in it from the coordinates' index (10,000 rows
around Leeds at 100k events) instead of walking upcoming events in start order until the page
is full. With them it knows how full the box is: the coordinates' index for a quiet place,
start order for a busy one. SQLite has no such statistics and needs none."""

from django.db import migrations

STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS event_lat_lon_stats (mcv, dependencies) "
    "ON latitude, longitude FROM events_event"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(STATISTICS)
    schema_editor.execute("ANALYZE events_event")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP STATISTICS IF EXISTS event_lat_lon_stats")


class Migration(migrations.Migration):
    dependencies = [("events", "0016_series_picture")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
