"""The PostgreSQL connection's settings from the environment: JIT off and one generic plan per
prepared statement, asked for at connection time, unless the operator says the pooler in front
refuses startup options (PgBouncer)."""

import json
import os

from tests.commands import manage

SHOW = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
)


def _options(**env) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "DATABASE_JIT_OFF",
            "DATABASE_GENERIC_PLANS",
            "DATABASE_PREPARED_STATEMENTS",
        }
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "connect_site.settings",
            "DATABASE_URL": "postgres://connect@db.internal:5432/connect",
            **env,
        }
    )
    done = manage("shell", "-c", SHOW, env=environment)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_jit_is_off_and_plans_generic_for_every_connection_by_default():
    options = _options()
    assert options["options"] == "-c jit=off -c plan_cache_mode=force_generic_plan"
    assert options["prepare_threshold"] == 5


def test_behind_a_pooler_that_refuses_startup_options_none_is_sent():
    """PgBouncer refuses a connection whose startup packet carries `options` it does not track:
    the operator makes both settings on the server instead."""
    options = _options(DATABASE_JIT_OFF="false", DATABASE_GENERIC_PLANS="false")
    assert "options" not in options
    assert options["prepare_threshold"] == 5


def test_a_site_that_turned_startup_options_off_keeps_them_off():
    """A site behind PgBouncer set DATABASE_JIT_OFF=false before generic plans were asked for
    at connection time: it sends no startup option after the upgrade either."""
    assert "options" not in _options(DATABASE_JIT_OFF="false")


def test_each_startup_option_has_its_own_switch():
    both = {"DATABASE_JIT_OFF": "false", "DATABASE_GENERIC_PLANS": "true"}
    assert _options(**both)["options"] == "-c plan_cache_mode=force_generic_plan"
    assert _options(DATABASE_GENERIC_PLANS="false")["options"] == "-c jit=off"


def test_options_the_database_url_gives_are_kept():
    url = "postgres://connect@db.internal:5432/connect?options=-c%20statement_timeout%3D5000"
    assert _options(DATABASE_URL=url)["options"] == (
        "-c statement_timeout=5000 -c jit=off -c plan_cache_mode=force_generic_plan"
    )


def test_without_prepared_statements_no_plan_is_asked_for():
    options = _options(DATABASE_PREPARED_STATEMENTS="false")
    assert options["options"] == "-c jit=off"
    assert options["prepare_threshold"] is None
