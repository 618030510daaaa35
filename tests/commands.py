"""`manage.py` (or another Python command of the project) run in a process of its own, for
tests that need the real exit status, output or settings as they are read from the environment
at start-up."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def python(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python <args>` in the project's folder with exactly `env` as its environment: exit
    status and text output."""
    return subprocess.run(  # noqa: S603 - the project's Python with the test's arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    """`manage.py <args>` with exactly `env` as its environment: exit status and text output."""
    return python("manage.py", *args, env=env)
