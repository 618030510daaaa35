"""Benchmark: the partner API's list and detail under gunicorn, against a reference view.

    .venv/bin/python bench/api.py                                        # SQLite, 3 rounds of 2 s
    .venv/bin/python bench/api.py --pg postgres://postgres@127.0.0.1:5432/   # PostgreSQL
    BENCH_PROFILE=1 .venv/bin/python bench/api.py     # also a cProfile of the list, in-process

Seeds a scratch database (SQLite under var/bench/, or with --pg a `bench_api_<id>` database on
that server, analyzed as autovacuum would, dropped at the end): 500 events, 100 of them with
20 RSVPs, one tag each. Then
starts gunicorn (one sync worker, DEBUG off, pinned to core 0) on it with bench.api_urls: the
site's URLs plus a reference view at /bench/reference that returns the same 50 rows with
`.values()` and `JsonResponse`, registered only there (never in connect_site.urls). The load
comes from this process, pinned to core 1: two connections at once over raw sockets (HTTP/1.0,
a connection per request, as a sync worker closes it anyway), so the worker never waits for the
next request. The three figures take turns over --rounds rounds; each keeps its best round.
Prints one `name: value` line per figure: list_rps (/api/v1/events?limit=50), detail_rps,
reference_rps, list_ratio (list_rps / reference_rps, same run), p99_ms (the list's 99th
percentile latency as the client sees it, with the other connection's request ahead of it).
"""

import argparse
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 18711


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=6.0, help="per figure, all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument(
        "--pg",
        metavar="URL",
        help="a PostgreSQL server (postgres://user@host:port/) to seed a "
        "scratch database on (dropped at the end), instead of SQLite",
    )
    args = parser.parse_args()
    run_dir = ROOT / "var" / "bench" / f"api-{uuid.uuid4().hex[:8]}"
    run_dir.mkdir(parents=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_RUN_DIR": str(run_dir),
        "BENCH_QUEUE": f"bench-{run_dir.name}",
        "BENCH_ROOT_URLCONF": "bench.api_urls",
        "PARTNER_API_RATE_PER_MINUTE": "100000000",
    }
    if args.pg:
        env["BENCH_DATABASE_URL"] = args.pg.rstrip("/") + f"/bench_api_{run_dir.name[4:]}"
        postgres(args.pg, f"CREATE DATABASE bench_api_{run_dir.name[4:]}")
    os.environ.update({"DEBUG": os.environ.get("DEBUG", "true"), **env})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    try:
        call_command("migrate", verbosity=0)
        key, event_id = seed(args.events)
        if args.pg:
            # What autovacuum does within a minute of the seeding, before the run instead of
            # during it: without statistics the planner takes every table for one row.
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if os.environ.get("BENCH_PROFILE"):
            profile(key)
        server = start_gunicorn(env, args.port)
        try:
            run(args.port, key, event_id, args.seconds, args.rounds)
        finally:
            server.terminate()
            server.wait()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
        if args.pg:
            from django.db import connections

            connections.close_all()
            postgres(args.pg, f"DROP DATABASE IF EXISTS bench_api_{run_dir.name[4:]}")


def postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(statement)


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    server_env = {
        **os.environ,
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SITE_URL": "http://localhost",
        "SECURE_SSL_REDIRECT": "false",
    }
    server = subprocess.Popen(  # noqa: S603 - taskset and our own interpreter
        ["/usr/bin/taskset", "-c", "0", sys.executable, "-m", "gunicorn", "--workers", "1",
         "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "connect_site.wsgi:application"],
        cwd=ROOT, env=server_env,
    )  # fmt: skip
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


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


def load(port: int, path: str, *, seconds: float, key: str = "", connections: int = 2):
    """Requests per second over `seconds`, and each request's duration in seconds."""
    auth = f"Authorization: Api-Key {key}\r\n" if key else ""
    request = f"GET {path} HTTP/1.0\r\nHost: localhost\r\n{auth}\r\n".encode()
    durations: list[float] = []
    deadline = time.perf_counter() + seconds

    def worker():
        mine = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(request)
                head = b""
                while chunk := sock.recv(65536):
                    head = head or chunk[:12]
            mine.append(time.perf_counter() - started)
            if b" 200" not in head:
                raise RuntimeError(f"{path}: {head!r}")
        durations.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(durations) / (time.perf_counter() - started), durations


def run(port: int, key: str, event_id: int, seconds: float, rounds: int = 3):
    """The figures take turns over `rounds` rounds and each keeps its best round: the machine
    is shared, and a slow moment should not fall on one figure only."""
    os.sched_setaffinity(0, {1})
    paths = {
        "reference": ("/bench/reference", ""),
        "list": ("/api/v1/events?limit=50", key),
        "detail": (f"/api/v1/events/{event_id}", key),
    }
    for path, auth in paths.values():
        load(port, path, seconds=0.5, key=auth, connections=1)  # warm up
    best = dict.fromkeys(paths, 0.0)
    listing = []
    for _round in range(rounds):
        for name, (path, auth) in paths.items():
            rps, durations = load(port, path, seconds=seconds / rounds, key=auth)
            best[name] = max(best[name], rps)
            if name == "list":
                listing += durations
    p99 = sorted(listing)[int(0.99 * (len(listing) - 1))] * 1000
    print(f"list_rps: {best['list']:.1f}")
    print(f"detail_rps: {best['detail']:.1f}")
    print(f"reference_rps: {best['reference']:.1f}")
    print(f"list_ratio: {best['list'] / best['reference']:.2f}")
    print(f"p99_ms: {p99:.1f}")


def profile(key: str):
    """The list's read path in this process (test client, DEBUG as set), under cProfile."""
    import cProfile

    from django.test import Client

    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    for _ in range(20):
        client.get("/api/v1/events?limit=50", **auth)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(50):
        client.get("/api/v1/events?limit=50", **auth)
    profiler.disable()
    profiler.print_stats(sort="cumulative")


if __name__ == "__main__":
    main()
