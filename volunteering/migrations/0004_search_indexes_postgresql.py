"""PostgreSQL only: trigram indexes (pg_trgm, on UPPER() as Django's icontains compares) for the
volunteering search's `q` and `skills`, so that a word few projects have is found from the
indexes rather than by reading every project. SQLite matches by scanning."""

from django.db import migrations

INDEXES = {
    "volunteering_volunteerproject": {
        "project_title_trgm": "UPPER(title)",
        "project_description_trgm": "UPPER(description)",
        "project_skills_trgm": "UPPER(skills)",
        "project_venue_name_trgm": "UPPER(venue_name)",
        "project_city_trgm": "UPPER(city)",
    },
    "volunteering_role": {
        "role_name_trgm": "UPPER(name)",
        "role_skills_trgm": "UPPER(skills)",
    },
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, indexes in INDEXES.items():
        for name, expression in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for indexes in INDEXES.values():
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0003_typed_text_rules")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
