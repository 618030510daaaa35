"""Real Celery workers for the integration tests.

Each worker is a `celery worker --beat` subprocess in its own process group, using the test
database and Redis database (under pytest-xdist, those of the xdist worker; passed through the
environment), a queue of its own (so workers of other test runs sharing the Redis server never
take its messages) and a mail folder the test reads.
Without REDIS_URL the broker is kombu's filesystem transport in a temporary folder.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process = process
        self.log = log

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"The worker did not start:\n{self.log.read_text()[-4000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process, its pool and the beat."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def database_name() -> str:
    """The test database as the worker must name it (an absolute path for SQLite)."""
    name = str(connection.settings_dict["NAME"])
    return str(Path(name).resolve()) if connection.vendor == "sqlite" else name


@pytest.fixture
def mail_dir(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def celery_worker(tmp_path, mail_dir):
    """Start real workers: `celery_worker(**env)` returns a ready Worker."""
    queue = f"connect-test-{uuid.uuid4().hex[:12]}"
    broker_dir = tmp_path / "broker"
    started: list[Worker] = []

    def start(**extra_env) -> Worker:
        env = {
            **os.environ,
            "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
            "CONNECT_TEST_DATABASE_NAME": database_name(),
            "CONNECT_TEST_MAIL_DIR": str(mail_dir),
            "CONNECT_TEST_QUEUE": queue,
            "CELERY_BROKER_DIR": str(broker_dir),
            # The test run's Redis database (under pytest-xdist, the worker's own).
            "REDIS_URL": settings.REDIS_URL,
            "PYTHONPATH": str(ROOT),
            **{key: str(value) for key, value in extra_env.items()},
        }
        log = tmp_path / f"worker-{len(started)}.log"
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "connect_site",
                "worker",
                "--beat",
                f"--schedule={tmp_path / f'beat-{len(started)}'}",
                f"--queues={queue}",
                "--concurrency=2",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = Worker(process, log)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    # Nothing is left to finish once a test is over; the database is emptied next.
    for worker in started:
        worker.kill()
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        # The queue and kombu's bindings of it (keys named after the queue).
        client.delete(queue, *client.scan_iter(match=f"*{queue}*"))
