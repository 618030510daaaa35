import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

TESTS_DIR = Path(__file__).parent
# Folders whose files take long (real Celery workers and their waits, Chromium, pytest run in a
# subprocess): collected first, so that `make test` (pytest-xdist, --dist loadfile, files handed
# out in collection order) starts them early and the many short files even out the end, rather
# than one worker running a long file alone while the other has nothing left.
LONG_FIRST = ("integration", "browser")


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        if not item.path.is_relative_to(TESTS_DIR):
            return len(LONG_FIRST)
        folder = item.path.relative_to(TESTS_DIR).parts[0]
        return LONG_FIRST.index(folder) if folder in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)  # stable: each file's tests keep their order


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix():
    """Under pytest-xdist the test settings already name each worker's database (gw0, gw1, ...
    after TEST_DB_SUFFIX, before .sqlite3): pytest-django's own suffix would add the worker again
    after the file's extension."""


@pytest.fixture(scope="session", autouse=True)
def _database_features_known(django_db_setup, django_db_blocker):
    """Whether SQLite has its JSON functions is asked once per process (one query, the first
    time a page builds a JSON object, as the event page does): asked before the tests, so that
    no test's pinned query count depends on whether it ran first."""
    from django.db import connection

    with django_db_blocker.unblock():
        assert connection.features.supports_json_field


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test counts its own attempts: rate-limit counters do not carry over (without
    flushing the cache, which in the Redis pass is the broker's server too)."""
    settings.RATE_LIMIT_KEY_PREFIX = uuid.uuid4().hex


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request in Spanish leaves Spanish active in
    the thread (LocaleMiddleware activates, nothing deactivates), which would leak into the next
    test's own gettext calls."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def seat_mismatches() -> list[tuple[int, int, int]]:
    """(event id, seats_taken, seats of its going RSVPs) for every event where they differ."""
    from django.db.models import F, Q, Sum, Value
    from django.db.models.functions import Coalesce

    from events.models import Event, Rsvp

    going = Q(rsvps__status=Rsvp.Status.GOING)
    return list(
        Event.objects.annotate(
            going_seats=Coalesce(Sum(F("rsvps__guests") + 1, filter=going), Value(0))
        )
        .exclude(seats_taken=F("going_seats"))
        .values_list("pk", "seats_taken", "going_seats")
    )


def shift_place_mismatches() -> list[tuple[int, int, int]]:
    """(shift id, seats_taken, places of its signed-up volunteers and their teams) for every
    shift where they differ (teams are JSON lists: counted here rather than in SQL)."""
    from collections import Counter

    from volunteering.models import Shift, ShiftSignup

    places: Counter[int] = Counter()
    signed_up = ShiftSignup.objects.filter(status=ShiftSignup.Status.SIGNED_UP)
    for shift_id, team in signed_up.values_list("shift_id", "team"):
        places[shift_id] += 1 + len(team or [])
    return [
        (pk, taken, places[pk])
        for pk, taken in Shift.objects.values_list("pk", "seats_taken")
        if taken != places[pk]
    ]


@pytest.fixture(autouse=True)
def _seats_match_going_rsvps(request):
    """After every test that used the database, each event's seats_taken is the seats (1 +
    guests) of its going RSVPs, and each shift's the places (1 + team) of its volunteers signed
    up: what the services keep true, checked in one query each (two for shifts)."""
    uses_db = request.node.get_closest_marker("django_db") or (
        "_django_db_helper" in request.fixturenames
    )
    if not uses_db or request.node.get_closest_marker("seats_by_hand"):
        yield
        return
    # Set the database up before this fixture, so that it is still there when this one ends.
    request.getfixturevalue("_django_db_helper")
    yield
    mismatches = seat_mismatches()
    assert not mismatches, f"seats_taken differs from the going RSVPs' seats: {mismatches}"
    shifts = shift_place_mismatches()
    assert not shifts, f"a shift's seats_taken differs from its sign-ups' places: {shifts}"
