"""The notifications code stays as CI's tools want it: django-upgrade has nothing to rewrite
(e.g. `choices=Channel`, not `Channel.choices`) and the models match their migrations."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
OWNED = ["notifications", "events/notifications.py", "groups/notifications.py", "bench"]


def test_django_upgrade_has_nothing_to_rewrite():
    files = sorted(
        str(path.relative_to(ROOT))
        for owned in OWNED
        for path in ([ROOT / owned] if owned.endswith(".py") else (ROOT / owned).rglob("*.py"))
    )
    assert "notifications/models.py" in files
    result = subprocess.run(  # noqa: S603 - the project's own tool on its own files
        [
            str(Path(sys.executable).with_name("django-upgrade")),
            "--target-version",
            "5.2",
            "--check",
            *files,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_models_match_their_migrations():
    call_command("makemigrations", "notifications", check=True, dry_run=True, verbosity=0)
