"""PostgreSQL only: trigram indexes (pg_trgm, on UPPER() as Django's icontains compares) for
the directory's `q` and the event search's group-name match. SQLite matches by scanning."""

from django.db import migrations

INDEXES = {
    "group_name_trgm": "USING gin (UPPER(name) gin_trgm_ops)",
    "group_description_trgm": "USING gin (UPPER(description) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON groups_group {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("groups", "0008_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
