"""Benchmark: care calendar slots taken through the service, and the calendar page with many
slots.

    DEBUG=true .venv/bin/python bench/care_slots.py --slots 200

Runs on a scratch SQLite database in a fresh folder under var/bench/ (never the developer's
db.sqlite3). Prints one `name: value` line per figure:

- takes_per_s: slots taken one after another through `care_slot_take` (lock, weekly cap,
  conditional UPDATE, signup, reminders, activity row)
- queries_per_take: SQL statements per take
- page_ms: median time to render the calendar page for its coordinator (N coming slots, half
  taken), over 5 requests
- page_queries: SQL statements of that page (the same for any N)
"""

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slots", type=int, default=200, help="slots on the calendar")
    parser.add_argument("--keep", action="store_true", help="keep the run folder afterwards")
    args = parser.parse_args()
    run_dir = ROOT / "var" / "bench" / f"care-{uuid.uuid4().hex[:8]}"
    (run_dir / "mail").mkdir(parents=True)
    os.environ.update(
        {
            "DEBUG": os.environ.get("DEBUG", "true"),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_RUN_DIR": str(run_dir),
            "BENCH_QUEUE": f"bench-{run_dir.name}",
            "CELERY_BROKER_DIR": str(run_dir / "broker"),
        }
    )
    sys.path.insert(0, str(ROOT))
    try:
        run(args)
    finally:
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)


def run(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from groups.models import Group, Membership
    from volunteering.care import services

    call_command("migrate", verbosity=0)
    group = Group.objects.create(name="Bench circle", slug="bench-circle", category="support")
    people = User.objects.bulk_create(
        User(email=f"care{i}@example.com", display_name=f"Helper {i}") for i in range(args.slots)
    )
    Membership.objects.bulk_create(
        Membership(group=group, user=user, role="organizer" if i == 0 else "member")
        for i, user in enumerate(people)
    )
    coordinator = people[0]
    calendar = services.care_calendar_create(
        actor=coordinator,
        group=group,
        title="Meals for bench",
        recipient_name="Bench",
        address="1 Bench Street",
        timezone="Europe/London",
    )
    start = timezone.now() + dt.timedelta(days=2)
    slots = [
        services.care_slot_create(
            calendar=calendar,
            actor=coordinator,
            kind="meal",
            starts_at=start + dt.timedelta(hours=i),
            ends_at=start + dt.timedelta(hours=i, minutes=45),
        )
        for i in range(args.slots)
    ]
    takes = slots[: args.slots // 2]
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        for slot, user in zip(takes, people[1:], strict=False):
            services.care_slot_take(slot=slot, user=user)
        took = time.perf_counter() - began
    print(f"takes_per_s: {len(takes) / took:.1f}")
    print(f"queries_per_take: {len(queries) / max(len(takes), 1):.1f}")

    client = Client(HTTP_HOST="localhost")
    client.force_login(coordinator)
    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as page_queries:
            began = time.perf_counter()
            response = client.get(calendar.get_absolute_url())
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    print(f"page_ms: {statistics.median(timings):.1f}")
    print(f"page_queries: {len(page_queries)}")


if __name__ == "__main__":
    main()
