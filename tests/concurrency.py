"""The thread harness the concurrency tests share (RSVPs, shift sign-ups): many threads, each
with its own database connection, released together by a barrier.

It runs against whichever database DATABASE_URL names (a SQLite file in WAL mode with IMMEDIATE
transactions, or PostgreSQL); tests using it need `django_db(transaction=True)`.
"""

import threading
from collections.abc import Callable

from django.db import connection

from groups.models import Membership
from tests.factories import UserFactory

# PostgreSQL's connection limit is shared with everything else on the machine: let at most this
# many threads hold a connection at once. SQLite has no such limit.
POSTGRES_CONNECTIONS = 20


def members(group, count: int) -> list:
    """`count` new people, active members of the group."""
    users = [UserFactory() for _ in range(count)]
    Membership.objects.bulk_create(
        Membership(group=group, user=user, status=Membership.Status.ACTIVE) for user in users
    )
    return users


def run_together(calls: list[Callable[[], object]]) -> tuple[list, list[BaseException]]:
    """Run every call in its own thread, all released at once by a barrier."""
    barrier = threading.Barrier(len(calls), timeout=60)
    limit = (
        threading.BoundedSemaphore(POSTGRES_CONNECTIONS)
        if connection.vendor == "postgresql"
        else threading.BoundedSemaphore(len(calls))
    )
    results, errors = [], []
    lock = threading.Lock()

    def worker(call):
        try:
            barrier.wait()
            with limit:
                try:
                    result = call()
                finally:
                    connection.close()
            with lock:
                results.append(result)
        except BaseException as error:  # the test reports it
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors
