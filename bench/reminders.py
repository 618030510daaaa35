"""Benchmark: write N due reminders and dispatch them with a real Celery worker.

    DEBUG=true .venv/bin/python bench/reminders.py --count 2000

Runs on a scratch SQLite database in a fresh folder under var/bench/ (never the developer's
db.sqlite3), with the broker the settings choose (Redis when REDIS_URL is set, else the
filesystem transport in the run folder) and the file email backend. Prints one `name: value`
line per figure:

- reminders_per_s: reminders delivered per second of dispatch
- queries_per_reminder: SQL statements the worker ran (scan, claims, loads, renders, marks) / N
- baseline_bulk_insert_s: the same run's bare bulk insert of the N outbox rows
- dispatch_s: from queueing the scan until every row is marked sent
- ratio_to_baseline: dispatch_s / baseline_bulk_insert_s
- broker_messages_per_reminder: task messages published (the scan and one per batch) / N
"""

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="reminders to dispatch")
    parser.add_argument("--batch-size", type=int, default=500, help="rows per batch")
    parser.add_argument(
        "--concurrency", type=int, default=os.cpu_count() or 2, help="worker processes"
    )
    parser.add_argument("--keep", action="store_true", help="keep the run folder afterwards")
    return parser.parse_args()


def prepare_environment(args) -> Path:
    run_dir = ROOT / "var" / "bench" / f"reminders-{uuid.uuid4().hex[:8]}"
    (run_dir / "mail").mkdir(parents=True)
    os.environ.update(
        {
            "DEBUG": os.environ.get("DEBUG", "true"),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_RUN_DIR": str(run_dir),
            "BENCH_QUEUE": f"bench-{run_dir.name}",
            "BENCH_BATCH_SIZE": str(args.batch_size),
            "CELERY_BROKER_DIR": str(run_dir / "broker"),
        }
    )
    sys.path.insert(0, str(ROOT))
    return run_dir


def create_people_and_events(count: int):
    """N members going to events of a public group (a thousand RSVPs per event)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from events.models import Event, Rsvp
    from groups.models import Group

    group = Group.objects.create(name="Bench choir", slug="bench-choir", category="music")
    starts = timezone.now() + dt.timedelta(hours=2)
    events = Event.objects.bulk_create(
        Event(
            group=group,
            title=f"Rehearsal {i}",
            slug=f"rehearsal-{i}",
            timezone="Europe/Berlin",
            venue_name="Hall",
            address="1 Bench Street",
            category="music",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
        )
        for i in range(max(1, count // 1000))
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        (
            User(email=f"bench{i}@example.com", display_name=f"Member {i}", password=password)
            for i in range(count)
        ),
        batch_size=2000,
    )
    pairs = [(events[i % len(events)], user) for i, user in enumerate(users)]
    Rsvp.objects.bulk_create(
        (Rsvp(event=event, user=user, status=Rsvp.Status.GOING) for event, user in pairs),
        batch_size=2000,
    )
    return pairs


def write_reminders(pairs) -> float:
    """The baseline: a bare bulk insert of one due outbox row per RSVP. Returns seconds."""
    from django.utils import timezone

    from events.notifications import REMINDER
    from notifications.models import Channel, Notification

    due = timezone.now() - dt.timedelta(seconds=1)
    rows = [
        Notification(
            recipient=user,
            kind=REMINDER,
            channel=Channel.EMAIL,
            subject=f"events.event:{event.pk}",
            send_at=due,
            lead_time=dt.timedelta(hours=2),
            context={"lead_minutes": 120},
            dedupe_key=f"{REMINDER}:events.event:{event.pk}:{user.pk}:120:email",
        )
        for event, user in pairs
    ]
    started = time.perf_counter()
    Notification.objects.bulk_create(rows, batch_size=2000)
    return time.perf_counter() - started


def start_worker(run_dir: Path, concurrency: int) -> subprocess.Popen:
    log = run_dir / "worker.log"
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bench.worker",
            "worker",
            f"--queues={os.environ['BENCH_QUEUE']}",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            f"--hostname=bench-{run_dir.name}@%h",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The worker stopped:\n{log.read_text()[-3000:]}")
        if (run_dir / "worker-ready").exists():
            return process
        time.sleep(0.1)
    raise SystemExit(f"The worker did not start:\n{log.read_text()[-3000:]}")


def stop_worker(process: subprocess.Popen) -> None:
    """Warm shutdown of the main process (it stops its pool); SIGKILL the group if stuck."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def wait_until_sent(count: int, process: subprocess.Popen, run_dir: Path) -> None:
    from notifications.models import Notification

    sent = Notification.objects.filter(status=Notification.Status.SENT)
    while sent.count() < count:
        if process.poll() is not None:
            raise SystemExit(f"The worker stopped:\n{(run_dir / 'worker.log').read_text()[-3000:]}")
        time.sleep(0.05)


def worker_counts(run_dir: Path) -> dict[str, int]:
    totals = {"queries": 0, "published": 0}
    for path in (run_dir / "stats").glob("*.json"):
        for key, value in json.loads(path.read_text()).items():
            totals[key] += value
    return totals


def main() -> None:
    args = parse_args()
    run_dir = prepare_environment(args)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    worker = None
    try:
        call_command("migrate", verbosity=0)
        pairs = create_people_and_events(args.count)
        baseline = write_reminders(pairs)

        from notifications.tasks import notifications_dispatch_due_task

        worker = start_worker(run_dir, args.concurrency)
        started = time.perf_counter()
        notifications_dispatch_due_task.delay()  # what beat sends every minute
        wait_until_sent(args.count, worker, run_dir)
        dispatch = time.perf_counter() - started
        time.sleep(0.5)  # the last task's counts are written just after it marks its rows
        counts = worker_counts(run_dir)
    finally:
        if worker is not None:
            stop_worker(worker)
        if settings.REDIS_URL:
            import redis

            redis.Redis.from_url(settings.REDIS_URL).delete(os.environ["BENCH_QUEUE"])
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)

    n = args.count
    print(f"count: {n}")
    print(f"reminders_per_s: {n / dispatch:.1f}")
    print(f"queries_per_reminder: {counts['queries'] / n:.4f}")
    print(f"baseline_bulk_insert_s: {baseline:.3f}")
    print(f"dispatch_s: {dispatch:.3f}")
    print(f"ratio_to_baseline: {dispatch / baseline:.2f}")
    print(f"broker_messages_per_reminder: {(1 + counts['published']) / n:.4f}")


if __name__ == "__main__":
    main()
