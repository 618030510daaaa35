"""`manage.py` run in a process of its own, for tests that need the real exit status, output
or settings as they are read from the environment at start-up."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    """`manage.py <args>` with exactly `env` as its environment: exit status and text output."""
    return subprocess.run(  # noqa: S603 - our own manage.py with the test's arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
