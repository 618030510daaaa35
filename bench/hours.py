"""Benchmark: hours statements and the coordinators' CSV over a ledger of N entries.

    DEBUG=true .venv/bin/python bench/hours.py --count 5000

Runs on a scratch SQLite database in a fresh folder under var/bench/. Prints one `name: value`
line per figure:

- ledger_entries: verified entries of one volunteer in one project (N)
- statement_issue_ms: `hours_statement_issue` over all N (reads, hash, row, entry links)
- statement_pdf_ms / statement_pdf_bytes: rendering its PDF
- verify_page_ms / verify_page_queries: the public check page, through the test client
- csv_export_ms / csv_rows_per_s: the project's CSV through the test client
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
    parser.add_argument("--count", type=int, default=2000, help="ledger entries")
    args = parser.parse_args()
    run_dir = ROOT / "var" / "bench" / f"hours-{uuid.uuid4().hex[:8]}"
    (run_dir / "mail").mkdir(parents=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_RUN_DIR": str(run_dir),
            "BENCH_QUEUE": f"bench-{run_dir.name}",
            "CELERY_BROKER_DIR": str(run_dir / "broker"),
        }
    )
    sys.path.insert(0, str(ROOT))
    try:
        run(args.count)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def run(count: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)

    from accounts.models import User
    from core.actors import Actor
    from groups.models import Group, Membership
    from volunteering.hours import services
    from volunteering.hours.pdf import render_statement_pdf
    from volunteering.models import HoursEntry, VolunteerProject

    organizer = User.objects.create_user(email="o@example.com", display_name="Olu Organizer")
    volunteer = User.objects.create_user(email="v@example.com", display_name="Val Volunteer")
    group = Group.objects.create(name="Food Bank", slug="food-bank", category="social")
    for user, role in ((organizer, "organizer"), (volunteer, "member")):
        Membership.objects.create(
            group=group, user=user, role=role, status="active", joined_at=timezone.now()
        )
    project = VolunteerProject.objects.create(
        group=group, title="Pantry", slug="pantry", cause="food", remote=True
    )
    today = timezone.localdate()
    now = timezone.now()
    HoursEntry.objects.bulk_create(
        HoursEntry(
            volunteer=volunteer,
            project=project,
            worked_on=today - dt.timedelta(days=i % 3000),
            minutes=60 + i % 120,
            source="logged",
            logged_by=volunteer,
            status="verified",
            reviewed_by=organizer,
            reviewed_at=now,
        )
        for i in range(count)
    )
    system = Actor.system("benchmark")
    started = time.perf_counter()
    statement = services.hours_statement_issue(
        volunteer=volunteer,
        group=group,
        period_from=today - dt.timedelta(days=3650),
        period_to=today,
        actor=system,
    )
    issue_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    pdf = render_statement_pdf(
        content=statement.content,
        code=statement.code,
        digest=statement.content_hash,
        verify_url=services.statement_verify_url(statement),
    )
    pdf_ms = (time.perf_counter() - started) * 1000
    client = Client()
    url = reverse("volunteering:statement_verify", kwargs={"code": statement.code})
    queries = []

    def count_query(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    client.get(url)  # load templates and URLs once; the figure is a warm page
    with connection.execute_wrapper(count_query):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        verify_ms = (time.perf_counter() - started) * 1000
    client.force_login(organizer)
    started = time.perf_counter()
    response = client.get(reverse("volunteering:project_hours_export", kwargs={"slug": "pantry"}))
    body = response.content
    csv_s = time.perf_counter() - started
    print(f"ledger_entries: {count}")
    print(f"statement_issue_ms: {issue_ms:.1f}")
    print(f"statement_pdf_ms: {pdf_ms:.1f}")
    print(f"statement_pdf_bytes: {len(pdf)}")
    print(f"verify_page_ms: {verify_ms:.1f}")
    print(f"verify_page_queries: {len(queries)}")
    print(f"csv_export_ms: {csv_s * 1000:.1f}")
    rows = body.count(b"\n") - 1
    print(f"csv_rows_per_s: {rows / csv_s:.0f}")


if __name__ == "__main__":
    main()
