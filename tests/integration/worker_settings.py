"""Settings for a Celery worker started by the integration tests.

The real settings module (broker from REDIS_URL, or the filesystem broker under
CELERY_BROKER_DIR; DATABASE_URL's engine), pointed at the test run's database, queue and mail
folder, with a fast scan and a short lease so recovery can be watched in seconds.
"""

import os

os.environ.setdefault("DEBUG", "true")

from connect_site.settings import *  # noqa: F403
from connect_site.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["CONNECT_TEST_DATABASE_NAME"]
EMAIL_BACKEND = "tests.integration.mail.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["CONNECT_TEST_MAIL_DIR"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["CONNECT_TEST_QUEUE"]
CELERY_BEAT_SCHEDULE = {
    "notifications-dispatch-due": {
        "task": "notifications.tasks.notifications_dispatch_due_task",
        "schedule": float(os.environ.get("CONNECT_TEST_SCAN_SECONDS", "1")),
    }
}
NOTIFICATIONS_LEASE_SECONDS = int(os.environ.get("CONNECT_TEST_LEASE_SECONDS", "600"))
# The lease must outlast a send task that starts with half of it left (notifications.checks).
CELERY_TASK_TIME_LIMIT = NOTIFICATIONS_LEASE_SECONDS // 2
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 4 // 5
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("CONNECT_TEST_BATCH_SIZE", "500"))
