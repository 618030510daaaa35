"""EXPLAIN ANALYZE of the public lists' queries, as Markdown (for docs/performance.md).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k \\
        .venv/bin/python bench/plans.py [--without-new-indexes]

--without-new-indexes drops the list and search indexes inside a transaction that is rolled
back (run it from a checkout of the old code to see the old plans).

--with-long-events adds, in the same rolled-back transaction, three public events lasting
months and still on (LONG_EVENTS), then shows the list's page as it is read now (two parts,
merged) and as it was read with the bound from the longest event (`starts_at >= now - longest
duration`, with the index on duration it had).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEW_INDEXES = [
    "event_starts_at_id",
    "event_starts_at_id_ends",
    "event_long_ends_at",
    "event_lat_lon",
    "event_title_trgm",
    "event_description_trgm",
    "event_venue_name_trgm",
    "event_city_trgm",
    "group_name_id",
    "group_name_trgm",
    "group_description_trgm",
    "group_city_trgm",
]


def as_read(page):
    """The page as the list reads it: the merged statement when it applies. (Not `merged or
    page`: that runs the merged query, and an empty page would show the plain one.)"""
    merged = page.merged_upcoming()
    return merged if merged is not None else page


def show(title: str, plan: str) -> None:
    print(f"#### {title}\n\n```\n{plan}\n```\n")


def explain_sql(connection, queryset) -> str:
    """EXPLAIN ANALYZE through the cursor (QuerySet.explain() cannot explain a query that
    filters on a window function: Django wraps it in a subquery after EXPLAIN)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        return "\n".join(row[0] for row in cursor)


def _or_match(word: str) -> str:
    """The plan of the search as it was: one OR of the columns' matches and the group's name."""
    from django.db.models import Exists, OuterRef, Q

    from events.models import Event
    from groups.models import Group

    named = Group.objects.filter(pk=OuterRef("group_id"), name__icontains=word)
    match = Q(title__icontains=word) | Q(description__icontains=word) | Exists(named)
    events = Event.objects.listed_for(None).upcoming().filter(match)
    return events.select_related("group").order_by("starts_at", "id")[:21].explain(analyze=True)


LONG_EVENTS = ((-120, 30), (-90, 60), (-60, 90))  # (start, end) in days from now


def add_long_events() -> None:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from events.models import Event

    now = timezone.now()
    model = Event.objects.filter(group__visibility="public").order_by("pk").first()
    for n, (start, end) in enumerate(LONG_EVENTS):
        model.pk = None
        model.slug = f"bench-long-event-{n}"
        model.title = f"Exhibition {n}"
        model.starts_at = now + dt.timedelta(days=start)
        model.ends_at = now + dt.timedelta(days=end)
        model.save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_event")


def old_bound_page(events):
    """The list's page with the bound the code had before: from the longest event ever."""
    from django.db import connection
    from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Subquery, Value
    from django.utils import timezone

    from events.models import Event

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS event_duration ON events_event ((ends_at - starts_at))"
        )
        cursor.execute("ANALYZE events_event")
    duration = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    longest = Subquery(
        Event.objects.order_by().annotate(duration=duration).order_by("-duration")
        .values("duration")[:1],
        output_field=DurationField(),
    )  # fmt: skip
    since = ExpressionWrapper(Value(timezone.now()) - longest, output_field=DateTimeField())
    return events.filter(starts_at__gte=since)[:21]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connect_site.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from events import selectors
    from groups import selectors as group_selectors

    with transaction.atomic():
        if "--without-new-indexes" in sys.argv:
            with connection.cursor() as cursor:
                for name in NEW_INDEXES:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
        if "--with-long-events" in sys.argv:
            add_long_events()
        events = selectors.event_list_visible(user=None, filters={})
        page = events[:21]
        show("/events/: the page (20 + 1 rows)", as_read(page).explain(analyze=True))
        if "--with-long-events" in sys.argv:
            show(
                "/events/: the page with the old bound (from the longest event)",
                old_bound_page(events).explain(analyze=True),
            )
        sql, params = events.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            count = f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({sql}) AS found"  # noqa: S608 - our SQL
            cursor.execute(count, params)
            show("/events/: counting every row (the old pager)", "\n".join(r[0] for r in cursor))
        grouped = selectors.event_list_results(user=None, filters={})
        show(
            "/events/: the page, each series once (20 + 1 rows)", grouped[:21].explain(analyze=True)
        )
        series_ids = {event.series_id for event in grouped[:21] if event.series_id}
        if series_ids:
            dates = selectors.series_dates(series_ids, user=None, filters={})
            show("/events/: the next dates of the series shown", explain_sql(connection, dates))
        grouped_q = selectors.event_list_results(user=None, filters={"text": "choir"})
        show("/events/?q=choir: each series once", grouped_q[:21].explain(analyze=True))
        search = selectors.event_list_visible(user=None, filters={"text": "choir"})
        search_page = search[:21]
        show(
            "/events/?q=choir: the page",
            as_read(search_page).explain(analyze=True),
        )
        for lat, lon in ((53.8, -1.55), (60.0, 10.0)):
            near = selectors.event_list_visible(
                user=None, filters={"lat": lat, "lon": lon, "radius_km": 10}
            )[:21]
            show(
                f"/events/?lat={lat}&lon={lon}&radius_km=10: the page",
                as_read(near).explain(analyze=True),
            )
        rare = selectors.event_list_visible(user=None, filters={"text": "zebra"})[:21]
        show(
            "/events/?q=zebra (a word no event has): the page",
            as_read(rare).explain(analyze=True),
        )
        town = selectors.event_list_visible(user=None, filters={"text": "leeds"})[:21]
        show("/events/?q=leeds (a town's name, found through the groups): the page", as_read(town)
             .explain(analyze=True))  # fmt: skip
        show("/events/?q=zebra as one OR across columns (before)", _or_match("zebra"))
        groups = group_selectors.group_list_visible(user=None, filters={})
        show("/groups/: the page", groups[:21].explain(analyze=True))
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
