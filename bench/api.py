"""Benchmark: the partner API's list and detail against a reference view in the same process.

    DEBUG=true .venv/bin/python bench/api.py --events 500 --requests 300

A scratch SQLite database under var/bench/; requests go through Django's whole handler and
middleware (the test client's WSGI handler, in this process: no network, no gunicorn). The
reference view returns the same 50 rows with `.values()` and `JsonResponse`. Prints one
`name: value` line per figure: list_rps, detail_rps, reference_rps, list_ratio
(list_rps / reference_rps), p99_ms (list).
"""

import argparse
import datetime as dt
import os
import shutil
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    run_dir = ROOT / "var" / "bench" / f"api-{uuid.uuid4().hex[:8]}"
    run_dir.mkdir(parents=True)
    os.environ.update(
        {
            "DEBUG": os.environ.get("DEBUG", "true"),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_RUN_DIR": str(run_dir),
            "BENCH_QUEUE": f"bench-{run_dir.name}",
            "BENCH_ROOT_URLCONF": "bench.api_urls",
            "PARTNER_API_RATE_PER_MINUTE": "100000000",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    try:
        call_command("migrate", verbosity=0)
        key, event_id = seed(args.events)
        run(key, event_id, args.requests)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def seed(count: int):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from events.models import Event, Rsvp, Tag
    from groups.models import Group
    from partners import services

    group = Group.objects.create(name="Bench choir", slug="bench-choir", category="music")
    start = timezone.now() + dt.timedelta(days=1)
    events = Event.objects.bulk_create(
        Event(
            group=group,
            title=f"Rehearsal {i}",
            slug=f"rehearsal-{i}",
            timezone="Europe/London",
            venue_name="Hall",
            category="music",
            starts_at=start + dt.timedelta(hours=i),
            ends_at=start + dt.timedelta(hours=i + 2),
            description="Sing with us. " * 20,
        )
        for i in range(count)
    )
    tag = Tag.objects.create(name="Singing", slug="singing")
    for event in events:
        event.tags.add(tag)
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"b{i}@example.com", display_name=f"B {i}", password=unusable) for i in range(20)
    )
    Rsvp.objects.bulk_create(
        Rsvp(event=event, user=user, status="going") for event in events[:100] for user in users
    )
    Event.objects.filter(pk__in=[e.pk for e in events[:100]]).update(seats_taken=len(users))
    partner = services.partner_create(name="Bench", slug="bench")
    client = services.api_client_create(partner=partner, name="bench", scopes=["read"])
    _api_key, key = services.api_key_create(client=client)
    return key, events[0].pk


def timed(client, url, n, **headers):
    durations = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, **headers)
        durations.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    return durations


def run(key: str, event_id: int, n: int):
    from django.test import Client

    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    for url in ("/api/v1/events?limit=50", "/bench/reference"):
        timed(client, url, 20, **auth)  # warm up
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx(
            "timed(client, '/api/v1/events?limit=50', 20, **auth)",
            globals(),
            {"client": client, "auth": auth, "timed": timed},
            sort="cumulative",
        )
    listing = timed(client, "/api/v1/events?limit=50", n, **auth)
    detail = timed(client, f"/api/v1/events/{event_id}", n, **auth)
    reference = timed(client, "/bench/reference", n)
    list_rps = n / sum(listing)
    reference_rps = n / sum(reference)
    p99 = sorted(listing)[int(0.99 * (n - 1))] * 1000
    print(f"list_rps: {list_rps:.1f}")
    print(f"detail_rps: {n / sum(detail):.1f}")
    print(f"reference_rps: {reference_rps:.1f}")
    print(f"list_ratio: {list_rps / reference_rps:.2f}")
    print(f"p99_ms: {p99:.1f}")


if __name__ == "__main__":
    main()
