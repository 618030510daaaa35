"""Benchmark: what the public pages cost at 1k and at 100k events, and under gunicorn.

    DEBUG=true .venv/bin/python bench/pages.py                 # seeds (once), times, ratios
    DEBUG=true .venv/bin/python bench/pages.py --sizes 1000    # one size only
    DEBUG=true .venv/bin/python bench/pages.py --pages events_q groups_q  # names starting so
    BENCH_PG=postgres://postgres@127.0.0.1:5432/ ... --no-gunicorn

Fills two PostgreSQL databases, `bench_1k` and `bench_100k` (created when missing, on the server
BENCH_PG names; BENCH_DB_PREFIX=x uses `x_1k` and `x_100k` instead), with
`manage.py seed_scale` (20 events a group, 10 RSVPs an event, one group in ten private; at
100k events that is 1M RSVPs; seeding again adds only what is missing), then
times each page in-process with Django's test client (median of 15, after two warm-up requests)
for a visitor (no session, page cache off: the rendering itself) and for a member of a few
groups (who organizes the first: their workspace pages are timed too; BENCH_PAGES=volunteer,ws_
times only the pages whose names start so), and prints one `name: value` line per figure:

- `<page>.<who>.ms_1k`, `.ms_100k`, `.growth` (100k / 1k), `.queries_1k`, `.queries_100k`
  (the best median of --rounds rounds, the sizes taking turns)
- `events_list.sql_ms_1k` / `_100k`: EXPLAIN ANALYZE execution time of the list's page query
- `gunicorn.bare_rps`, `gunicorn.<page>.<who>.rps` and `.ratio` (to the bare view, same run):
  one sync gunicorn worker pinned to core 0 on the 1k database, the load generator (two
  connections, raw sockets) in another process pinned to core 1. Visitors get the page cache
  as in production.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# BENCH_DB_PREFIX gives a run databases of its own
# (e.g. `CREATE DATABASE mine_1k TEMPLATE bench_1k`).
_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench")
DATABASES = {1000: f"{_PREFIX}_1k", 100_000: f"{_PREFIX}_100k"}
RUNS = 15
MEMBER_EMAIL = "person0@scale.example"


def pages() -> dict[str, str]:
    """The pages timed: name -> path (the event and group are public ones seed_scale made)."""
    from django.utils import timezone

    from events.models import Event
    from groups.models import Group
    from volunteering.models import VolunteerProject

    group = Group.objects.get(slug="scale-choir-0")
    project = VolunteerProject.objects.get(slug="scale-project-0")
    coming = Event.objects.filter(group=group, starts_at__gt=timezone.now())
    event = coming.order_by("starts_at").first()
    return {
        "home": "/",
        "events_list": "/events/",
        "events_list_page2": "/events/?page=2",
        "events_q": "/events/?q=choir",
        # A word no event, group or town holds, and a town's name (every event there matches
        # through its group's town): the search must not read every upcoming event for either.
        "events_q_rare": "/events/?q=zebra",
        "events_q_town": "/events/?q=leeds",
        "events_near": "/events/?lat=53.8&lon=-1.55&radius_km=10",
        "groups": "/groups/",
        "groups_q": "/groups/?q=choir",
        # The 1k database has ten choirs and the 100k one a thousand: ten a page at both sizes
        # compares the same page (at twenty, the 100k page shows twice as many groups).
        "groups_q_ten": "/groups/?q=choir&per_page=10",
        "event_page": event.get_absolute_url(),
        "group_page": group.get_absolute_url(),
        "my_events": "/events/mine/",
        "volunteer": "/volunteer/",
        "volunteer_page2": "/volunteer/?page=2",
        # Search: a word every seeded project has, one none has, and a skill none asks for.
        "volunteer_q": "/volunteer/?q=food",
        "volunteer_q_rare": "/volunteer/?q=zebra",
        "volunteer_skills": "/volunteer/?skills=welding",
        "project_page": project.get_absolute_url(),
        # a member's own pages, and the workspace of the group they organize
        "my_shifts": "/volunteer/mine/",
        "care_list": "/volunteer/care/",
        "ws_dashboard": f"/organize/{group.slug}/",
        "ws_events": f"/organize/{group.slug}/events/",
        "ws_members": f"/organize/{group.slug}/members/",
        "ws_volunteering": f"/organize/{group.slug}/volunteering/",
        "ws_project": f"/organize/{group.slug}/volunteering/{project.slug}/",
        "ws_reports": f"/organize/{group.slug}/reports/",
    }


MEMBERS_ONLY = {
    "my_events",
    "my_shifts",
    "care_list",
    "ws_dashboard",
    "ws_events",
    "ws_members",
    "ws_volunteering",
    "ws_project",
    "ws_reports",
}


def chosen(name: str) -> bool:
    """BENCH_PAGES=volunteer,ws_ times only the pages whose names start so (all by default)."""
    wanted = [p for p in os.environ.get("BENCH_PAGES", "").split(",") if p]
    return not wanted or any(name.startswith(p) for p in wanted)


def measure() -> dict:
    """Inside a process set up on one database: time every page for both kinds of viewer."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from events import selectors

    settings.PAGE_CACHE_SECONDS = 0  # the rendering itself; the cache is measured under gunicorn
    settings.ALLOWED_HOSTS = ["*"]
    member = User.objects.get(email=MEMBER_EMAIL)
    results = {}
    for who in ("visitor", "member"):
        client = Client()
        if who == "member":
            client.force_login(member)
        for name, path in pages().items():
            if (name in MEMBERS_ONLY and who == "visitor") or not chosen(name):
                continue
            for _ in range(2):
                assert client.get(path).status_code == 200, (name, path)
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            results[f"{name}.{who}"] = {
                "ms": statistics.median(times),
                "queries": len(queries),
            }
    if not chosen("events_list"):
        results["sql"] = {"events_list": None}
        return results
    events = selectors.event_list_visible(user=None, filters={})[:21]
    merged = events.merged_upcoming()
    plan = (merged if merged is not None else events).explain(analyze=True)
    sql_ms = [
        float(line.split(":")[1].split()[0])
        for line in plan.splitlines()
        if line.strip().startswith("Execution Time")
    ]
    results["sql"] = {"events_list": sql_ms[0] if sql_ms else None}
    return results


def database_url(name: str) -> str:
    return os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/") + name


def run_manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def ensure_database(name: str) -> None:
    import psycopg

    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(size: int) -> float:
    name = DATABASES[size]
    ensure_database(name)
    url = database_url(name)
    run_manage(url, "migrate", "-v0")
    started = time.perf_counter()
    # one volunteer project a group (ten shifts each)
    projects = str(size // 20)
    run_manage(url, "seed_scale", "--events", str(size), "--projects", projects)
    vacuum = "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
    run_manage(url, "shell", "-c", vacuum)
    return time.perf_counter() - started


def measure_in_subprocess(size: int, script: str = __file__) -> dict:
    """Run `script --measure` on the database of `size` and read the JSON it prints last."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(DATABASES[size]),
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "connect_site.settings",
    }
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [PYTHON, script, "--measure"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# The load generator: raw sockets, HTTP/1.0, a new connection per request (a sync worker
# closes it anyway), `connections` at once so the worker never waits for the next request.


def load(port: int, path: str, *, seconds: float, connections: int = 2) -> float:
    request = f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode()
    done = []
    deadline = time.perf_counter() + seconds

    def worker():
        count = 0
        while time.perf_counter() < deadline:
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(request)
                head = b""
                while chunk := sock.recv(65536):
                    head = head or chunk[:12]
                if b" 200" not in head:
                    raise RuntimeError(f"{path}: {head!r}")
            count += 1
        done.append(count)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def gunicorn_ratios(size: int, seconds: float) -> list[tuple[str, float]]:
    import django

    # BENCH_PORT: another port, when another run may be serving on the default one.
    port = int(os.environ.get("BENCH_PORT", "18700"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url(DATABASES[size]),
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SITE_URL": "http://localhost",
        "DJANGO_SETTINGS_MODULE": "bench.page_settings",
    }
    server = subprocess.Popen(  # noqa: S603 - taskset and our own interpreter
        ["/usr/bin/taskset", "-c", "0", PYTHON, "-m", "gunicorn", "--workers", "1",
         "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "connect_site.wsgi:application"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                time.sleep(0.1)
        # The same secret as the server's, or the member's session would not be valid there.
        keys = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY")
        os.environ.update({k: env[k] for k in keys})
        os.environ.setdefault("DEBUG", "true")
        django.setup()
        from django.test import Client

        from accounts.models import User

        member = Client()
        member.force_login(User.objects.get(email=MEMBER_EMAIL))
        session = member.cookies["sessionid"].value
        paths = pages()
        os.sched_setaffinity(0, {1})
        figures = []
        bare = load(port, "/bench/bare/", seconds=seconds)
        figures.append(("gunicorn.bare_rps", bare))
        visitor_pages = ["home", "events_list", "events_q", "groups", "event_page", "group_page"]
        for name in visitor_pages:
            for _ in range(3):
                load(port, paths[name], seconds=0.2, connections=1)  # warm the cache
            rps = load(port, paths[name], seconds=seconds)
            figures += [(f"gunicorn.{name}.visitor.rps", rps),
                        (f"gunicorn.{name}.visitor.ratio", rps / bare)]  # fmt: skip
        for name in ["events_list", "event_page", "my_events"]:
            rps = member_load(port, paths[name], session=session, seconds=seconds)
            figures += [(f"gunicorn.{name}.member.rps", rps),
                        (f"gunicorn.{name}.member.ratio", rps / bare)]  # fmt: skip
        bare_again = load(port, "/bench/bare/", seconds=seconds)
        figures.append(("gunicorn.bare_rps_at_end", bare_again))
        return figures
    finally:
        server.terminate()
        server.wait()


def member_load(port: int, path: str, *, session: str, seconds: float) -> float:
    request = (
        f"GET {path} HTTP/1.0\r\nHost: localhost\r\nCookie: sessionid={session}\r\n\r\n"
    ).encode()
    count = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(request)
            head = b""
            while chunk := sock.recv(65536):
                head = head or chunk[:12]
            if b" 200" not in head:
                raise RuntimeError(f"{path}: {head!r}")
        count += 1
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--no-seed", action="store_true", help="use the databases as they are")
    parser.add_argument("--no-gunicorn", action="store_true")
    parser.add_argument("--seconds", type=float, default=5.0, help="per gunicorn figure")
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds per size")
    parser.add_argument("--pages", nargs="+", help="time only these pages (names as printed)")
    args = parser.parse_args()
    if args.pages:
        os.environ["BENCH_PAGES"] = ",".join(args.pages)
    sys.path.insert(0, str(ROOT))
    if args.measure:
        print(json.dumps(measure()))
        return
    if any(size not in DATABASES for size in args.sizes):
        parser.error(f"--sizes: one of {sorted(DATABASES)}")
    results = {}
    for size in args.sizes:
        if not args.no_seed:
            print(f"seed_s_{size}: {seed(size):.1f}", flush=True)
    # Rounds alternate the sizes, and each page keeps its best median: a machine shared with
    # other work slows some rounds down, and the best round is the page's own cost.
    for _round in range(args.rounds):
        for size in args.sizes:
            found = measure_in_subprocess(size)
            best = results.setdefault(size, found)
            for key, value in found.items():
                if key != "sql" and value["ms"] < best[key]["ms"]:
                    best[key] = value
            if found["sql"]["events_list"] is not None:
                best["sql"]["events_list"] = min(
                    best["sql"]["events_list"], found["sql"]["events_list"]
                )
    small, large = results.get(1000), results.get(100_000)
    for key in small or large:
        if key == "sql":
            continue
        if small:
            print(f"{key}.ms_1k: {small[key]['ms']:.2f}")
        if large:
            print(f"{key}.ms_100k: {large[key]['ms']:.2f}")
        if small and large:
            print(f"{key}.growth: {large[key]['ms'] / small[key]['ms']:.2f}")
        if small:
            print(f"{key}.queries_1k: {small[key]['queries']}")
        if large:
            print(f"{key}.queries_100k: {large[key]['queries']}")
    for size, label in ((1000, "1k"), (100_000, "100k")):
        if size in results and results[size]["sql"]["events_list"] is not None:
            print(f"events_list.sql_ms_{label}: {results[size]['sql']['events_list']:.3f}")
    sys.stdout.flush()
    if not args.no_gunicorn:
        for name, value in gunicorn_ratios(min(args.sizes), args.seconds):
            print(f"{name}: {value:.3f}" if value < 10 else f"{name}: {value:.0f}")


if __name__ == "__main__":
    main()
