"""PostgreSQL as the site uses it, with one difference for the test suite: emptying the tables
after a test that commits (pytest-django's transactional tests: the browser, concurrency and
integration tests) deletes their rows rather than truncating them.

TRUNCATE gives every table and index new files: about 1.6 s for the project's sixty tables, after
each such test, where deleting the few rows a test leaves takes under 0.1 s. The deletes run in
one transaction and the foreign keys are checked at its commit (Django makes them DEFERRABLE
INITIALLY DEFERRED), when every table is empty. Sequences are not reset either way."""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
