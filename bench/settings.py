"""Settings for the benchmarks (bench/reminders.py, bench/api.py): the real settings on a
scratch database under var/bench.

Everything comes from connect_site.settings (broker: Redis when REDIS_URL is set, else the
filesystem transport), pointed at the scratch run folder the benchmark names in BENCH_RUN_DIR.
"""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "true")

from connect_site.settings import *  # noqa: F403
from connect_site.settings import (
    DATABASE_PREPARE_THRESHOLD,
    DATABASE_STARTUP_OPTIONS,
    DATABASES,
)

RUN_DIR = Path(os.environ["BENCH_RUN_DIR"])
if os.environ.get("BENCH_DATABASE_URL"):  # a scratch PostgreSQL database (bench/api.py --pg)
    DATABASES["default"] = {
        **env.db_url_config(os.environ["BENCH_DATABASE_URL"]),  # noqa: F405
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # As the site runs on PostgreSQL: prepared statements unless DATABASE_PREPARED_STATEMENTS
        # is false (Django's default is none), and the same startup options (JIT off, generic
        # plans).
        "OPTIONS": {
            "prepare_threshold": DATABASE_PREPARE_THRESHOLD,
            **({"options": DATABASE_STARTUP_OPTIONS} if DATABASE_STARTUP_OPTIONS else {}),
        },
    }
else:
    DATABASES["default"] = {
        **DATABASES["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(RUN_DIR / "bench.sqlite3"),
    }
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(RUN_DIR / "mail")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_QUEUE"]
CELERY_BEAT_SCHEDULE = {}
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("BENCH_BATCH_SIZE", "500"))
LOGGING = {"version": 1, "disable_existing_loggers": False}
ROOT_URLCONF = os.environ.get("BENCH_ROOT_URLCONF", ROOT_URLCONF)  # noqa: F405
