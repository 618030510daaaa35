"""Benchmark: the organizer workspace's door list, people page and attendees CSV for an event
with N people going (and N walk-ins), on a scratch SQLite database under var/bench/.

    DEBUG=true .venv/bin/python bench/workspace.py --count 500

Prints one `name: value` line per figure: for each page the median time of five requests
(milliseconds), measured with Django's test client (no network). Query counts are held
constant by tests/workspace.
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
    parser.add_argument("--count", type=int, default=500, help="people going")
    parser.add_argument("--keep", action="store_true", help="keep the run folder afterwards")
    args = parser.parse_args()
    run_dir = ROOT / "var" / "bench" / f"workspace-{uuid.uuid4().hex[:8]}"
    run_dir.mkdir(parents=True)
    os.environ["BENCH_RUN_DIR"] = str(run_dir)
    os.environ.setdefault("BENCH_QUEUE", f"bench-{run_dir.name}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    try:
        run(args.count)
    finally:
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)


def run(count: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)

    from accounts.models import User
    from events.models import Event, Rsvp, WalkIn
    from groups.models import Group, Membership

    now = timezone.now()
    organizer = User.objects.create_user(email="organizer@bench.test", password="x" * 12)
    group = Group.objects.create(name="Bench circle", slug="bench-circle", category="social")
    Membership.objects.create(
        group=group, user=organizer, role="organizer", status="active", joined_at=now
    )
    event = Event.objects.create(
        group=group,
        title="Bench night",
        slug="bench-night",
        category="social",
        venue_name="Hall",
        starts_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=3),
        seats_taken=count,
    )
    people = User.objects.bulk_create(
        User(email=f"p{i}@bench.test", display_name=f"Person {i}") for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(group=group, user=u, status="active", joined_at=now) for u in people
    )
    Rsvp.objects.bulk_create(Rsvp(event=event, user=u, status="going") for u in people)
    WalkIn.objects.bulk_create(WalkIn(event=event, name=f"Walk-in {i}") for i in range(count))

    client = Client()
    client.force_login(organizer)
    pages = {
        "check_in": reverse("workspace:check_in", args=[group.slug, event.slug]),
        "event_people": reverse("workspace:event", args=[group.slug, event.slug]),
        "attendees_csv": reverse("workspace:event_attendees_csv", args=[group.slug, event.slug]),
        "dashboard": reverse("workspace:dashboard", args=[group.slug]),
    }
    print(f"people_going: {count}")
    for name, url in pages.items():
        assert client.get(url).status_code == 200
        times = []
        for _i in range(5):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name}_ms: {statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
