"""Benchmark: "my events" for the bench member against the event list, in the same process.

    BENCH_DB_PREFIX=mine DEBUG=true .venv/bin/python bench/my_events.py [--rounds 3]

Uses the databases bench/pages.py fills (`<prefix>_1k`, `<prefix>_100k`; run it first). For
each size, rounds taking turns, it times `/events/mine/` and `/events/` for the member
(Django's test client, median of 15 after two warm-up requests) and prints:

- `my_events.ms_1k`, `.ms_100k`, `events_list.ms_1k`, `.ms_100k`: the best round's median
- `my_events.ratio_1k`, `.ratio_100k`: "my events" over the event list in the same round
  (the median over rounds), the figure to read on a busy machine
- `my_events.queries_1k`, `.queries_100k`
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import DATABASES, MEMBER_EMAIL, RUNS, measure_in_subprocess

PAGES = {"my_events": "/events/mine/", "events_list": "/events/"}


def measure() -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(User.objects.get(email=MEMBER_EMAIL))
    results = {}
    for name, path in PAGES.items():
        for _ in range(2):
            assert client.get(path).status_code == 200, path
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        results[name] = {"ms": statistics.median(times), "queries": len(queries)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return
    rounds: dict[int, list[dict]] = {size: [] for size in DATABASES}
    for _ in range(args.rounds):
        for size in DATABASES:
            rounds[size].append(measure_in_subprocess(size, __file__))
    for size, label in ((1000, "1k"), (100_000, "100k")):
        found = rounds[size]
        for name in PAGES:
            print(f"{name}.ms_{label}: {min(r[name]['ms'] for r in found):.1f}")
        ratios = [r["my_events"]["ms"] / r["events_list"]["ms"] for r in found]
        print(f"my_events.ratio_{label}: {statistics.median(ratios):.2f}")
        print(f"my_events.queries_{label}: {found[0]['my_events']['queries']}")


if __name__ == "__main__":
    main()
