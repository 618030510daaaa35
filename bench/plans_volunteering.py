"""EXPLAIN ANALYZE of /volunteer/'s page query, as Markdown (for docs/performance.md).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k \\
        .venv/bin/python bench/plans_volunteering.py

Shows the browse page (first and second page, a visitor) as it is read now, and as it was read
before (every listed project's next open shift and open-shift count, aggregated, then sorted),
built here from the same listed projects. Prints the planning and execution times of each,
best of five, as `name: value` lines first.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5


def aggregated(projects, now):
    """The page query as it was: an aggregate over every listed project's shifts."""
    from django.db.models import Count, Min, Q

    from volunteering.models import Shift

    open_shifts = Q(roles__shifts__status=Shift.Status.SCHEDULED, roles__shifts__starts_at__gt=now)
    return (
        projects.select_related("group")
        .annotate(
            open_shift_count=Count("roles__shifts", filter=open_shifts),
            next_shift_at=Min("roles__shifts__starts_at", filter=open_shifts),
        )
        .order_by("next_shift_at", "title", "pk")
    )


def explain(connection, queryset) -> tuple[str, float, float]:
    """The plan of the best of ROUNDS runs, with its planning and execution times (ms)."""
    sql, params = queryset.query.sql_with_params()
    best = None
    with connection.cursor() as cursor:
        for _ in range(ROUNDS):
            cursor.execute(f"EXPLAIN (ANALYZE, SUMMARY) {sql}", params)
            lines = [row[0] for row in cursor]
            times = {
                line.split(":")[0]: float(line.split(":")[1].split()[0])
                for line in lines
                if line.startswith(("Planning Time", "Execution Time"))
            }
            found = ("\n".join(lines), times["Planning Time"], times["Execution Time"])
            if best is None or found[1] + found[2] < best[1] + best[2]:
                best = found
    return best


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connect_site.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from volunteering import selectors
    from volunteering.models import VolunteerProject

    now = timezone.now()
    listed = VolunteerProject.objects.listed_for(None).active()
    browse = selectors.project_list_visible(user=None)
    queries = {
        "now_page1": browse._merged(21)[0:21],
        "now_page2": browse._merged(41)[20:41],
        "before_page1": aggregated(listed, now)[0:21],
        "before_page2": aggregated(listed, now)[20:41],
    }
    plans = {}
    for name, queryset in queries.items():
        plan, planning, execution = explain(connection, queryset)
        plans[name] = plan
        print(f"volunteer_browse.{name}.planning_ms: {planning:.3f}")
        print(f"volunteer_browse.{name}.execution_ms: {execution:.3f}")
    print()
    for name, plan in plans.items():
        print(f"#### /volunteer/, {name.replace('_', ', ')}\n\n```\n{plan}\n```\n")


if __name__ == "__main__":
    main()
