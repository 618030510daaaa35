"""The rule for a machine without Chromium: skipped and said so in the summary, or a failed run
on CI. Runs pytest on the browser tests in a subprocess with Chromium looked for elsewhere."""

import os
import subprocess

import pytest

from tests.commands import python

NOWHERE = "/nonexistent/chromium"


def run_browser_tests(**env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    environment.update(CHROMIUM_PATH=NOWHERE, TEST_DB_SUFFIX="_chromium_rule", **env)
    # No browser test gets as far as the database (skipped, or failed by the `browser`
    # fixture), so its tables are made straight from the models, not by the migrations.
    return python(
        *("-m", "pytest", "tests/browser", "-q", "-k", "not without_chromium", "--no-migrations"),
        env=environment,
        timeout=300,
    )


def test_without_chromium_browser_tests_are_skipped_and_the_summary_says_so():
    result = run_browser_tests()
    assert result.returncode == 0, result.stdout
    assert f"browser tests SKIPPED: no Chromium found at {NOWHERE}" in result.stdout
    assert " skipped" in result.stdout
    assert " passed" not in result.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_without_chromium_on_ci_the_run_fails(ci):
    result = run_browser_tests(CI=ci)
    assert result.returncode != 0, result.stdout
    assert f"browser tests FAILED: no Chromium found at {NOWHERE}" in result.stdout
    assert " skipped" not in result.stdout
