"""The Celery app for the benchmark's worker: the project's app, plus counters.

Each worker process counts the SQL statements it runs and the task messages it publishes, and
writes its totals to BENCH_RUN_DIR/stats/<pid>.json after every task.
"""

import json
import os
from pathlib import Path

from celery.signals import before_task_publish, task_postrun, task_prerun, worker_ready
from django.db import connections

from connect_site.celery import app

__all__ = ["app"]

counts = {"queries": 0, "published": 0}


def _count_query(execute, sql, params, many, context):
    counts["queries"] += 1
    return execute(sql, params, many, context)


@task_prerun.connect
def _install_counter(**kwargs):
    for connection in connections.all():
        if _count_query not in connection.execute_wrappers:
            connection.execute_wrappers.append(_count_query)


@before_task_publish.connect
def _count_publish(**kwargs):
    counts["published"] += 1


@task_postrun.connect
def _write_counts(**kwargs):
    folder = Path(os.environ["BENCH_RUN_DIR"]) / "stats"
    folder.mkdir(exist_ok=True)
    (folder / f"{os.getpid()}.json").write_text(json.dumps(counts))


@worker_ready.connect
def _announce_ready(**kwargs):
    (Path(os.environ["BENCH_RUN_DIR"]) / "worker-ready").touch()
