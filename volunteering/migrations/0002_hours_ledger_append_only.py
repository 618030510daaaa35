"""The hours ledger is append-only in the database too: an entry's ledger fields never change,
and its review (status, reviewer, time, note) changes once, from pending. Links to rows that
may be deleted (shift, sign-up, who logged or reviewed it) may only become NULL.

SQLite drops a table's triggers when a later migration rebuilds the table: such a migration
must create the trigger again (tests/volunteering/test_hours_ledger.py fails without it)."""

from django.db import migrations

LEDGER_COLUMNS = (
    "volunteer_id",
    "project_id",
    "worked_on",
    "minutes",
    "description",
    "source",
    "reverses_id",
    "corrects_id",
    "created_at",
)
# These may only become NULL (their rows deleted); the reviewer is also set once, from pending.
NULLABLE_COLUMNS = ("shift_id", "signup_id", "logged_by_id")
REVIEW_COLUMNS = ("status", "reviewed_at", "review_note")


def _changed(columns):
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _pg_changed(columns):
    return " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)


def _nulled_only(columns, distinct):
    return " OR ".join(f"(NEW.{c} IS NOT NULL AND NEW.{c} {distinct} OLD.{c})" for c in columns)


SQLITE_FORWARD = f"""
CREATE TRIGGER volunteering_hoursentry_append_only
BEFORE UPDATE ON volunteering_hoursentry
WHEN {_changed(LEDGER_COLUMNS)}
  OR {_nulled_only(NULLABLE_COLUMNS, "IS NOT")}
  OR (OLD.status <> 'pending' AND ({_changed(REVIEW_COLUMNS)}
       OR {_nulled_only(("reviewed_by_id",), "IS NOT")}))
BEGIN
  SELECT RAISE(ABORT, 'hours entries are a ledger: write a correction instead');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS volunteering_hoursentry_append_only;"

PG_FORWARD = f"""
CREATE FUNCTION volunteering_hoursentry_append_only() RETURNS trigger AS $$
BEGIN
  IF {_pg_changed(LEDGER_COLUMNS)}
     OR {_nulled_only(NULLABLE_COLUMNS, "IS DISTINCT FROM")}
     OR (OLD.status <> 'pending' AND ({_pg_changed(REVIEW_COLUMNS)}
         OR {_nulled_only(("reviewed_by_id",), "IS DISTINCT FROM")}))
  THEN
    RAISE EXCEPTION 'hours entries are a ledger: write a correction instead'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER volunteering_hoursentry_append_only
BEFORE UPDATE ON volunteering_hoursentry
FOR EACH ROW EXECUTE FUNCTION volunteering_hoursentry_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS volunteering_hoursentry_append_only ON volunteering_hoursentry;
DROP FUNCTION IF EXISTS volunteering_hoursentry_append_only();
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
    elif vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)
    elif vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
