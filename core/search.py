"""SQL for text search that PostgreSQL can serve from its indexes."""

from django.db.models import BooleanField, Func


class EqualsAnyOf(Func):
    """`column = ANY(ARRAY(subquery))` (PostgreSQL): the subquery runs once, before the scan,
    and the column's index can serve the match, which `IN (subquery)` inside an OR cannot."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column_sql, column_params = compiler.compile(self.source_expressions[0])
        subquery_sql, subquery_params = compiler.compile(self.source_expressions[1])
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", (*column_params, *subquery_params)
