"""core.compiled.rows: a query is built and compiled once per shape, then only its values are
bound; anything the stand-ins cannot explain is built each time; nobody gets another's rows."""

import contextlib
import datetime as dt

import pytest
from django.db import DataError, connections, transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Prefetch, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone

from core import compiled
from events.models import Event, Rsvp, Tag
from tests.factories import EventFactory, GroupFactory, RsvpFactory

pytestmark = pytest.mark.django_db


class Counting:
    """A build function that counts how often it is called."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, **args):
        self.calls += 1
        return self.build(**args)


def _of_groups(*, group_ids: tuple, since: dt.datetime):
    return (
        Event.objects.filter(group_id__in=group_ids, starts_at__gte=since)
        .order_by("starts_at", "pk")
        .values("id", "title", "starts_at", "group__name")
    )


def test_rows_are_those_of_the_queryset_and_the_query_is_built_only_to_compile_it():
    first, second = GroupFactory(), GroupFactory()
    soon = timezone.now() + dt.timedelta(days=1)
    events = [EventFactory(group=g, starts_at=soon + dt.timedelta(hours=n)) for n, g in
              enumerate([first, second, first])]  # fmt: skip
    build = Counting(_of_groups)
    for group_ids, since in [
        ((first.pk,), timezone.now()),
        ((second.pk,), timezone.now()),
        ((first.pk,), soon + dt.timedelta(minutes=30)),
        ((first.pk,), soon + dt.timedelta(minutes=30)),
    ]:
        args = {"group_ids": group_ids, "since": since}
        got = compiled.rows(build, key=("test.of_groups",), args=args)
        assert got == list(_of_groups(**args))
        assert got  # never vacuous
        assert type(got[0]["starts_at"]) is dt.datetime
        assert got[0]["starts_at"].tzinfo is not None
    assert build.calls == 2  # the two stand-in builds, nothing after
    # Another number of ids is another shape: compiled for itself, right as well.
    both = {"group_ids": (first.pk, second.pk), "since": timezone.now()}
    assert [r["id"] for r in compiled.rows(build, key=("test.of_groups",), args=both)] == [
        e.pk for e in events
    ]
    assert build.calls == 4


def test_one_callers_values_never_reach_anothers_rows():
    mine, theirs = GroupFactory(), GroupFactory()
    EventFactory(group=mine, title="Mine")
    EventFactory(group=theirs, title="Theirs")
    since = timezone.now() - dt.timedelta(days=1)
    for _round in range(2):
        for group, title in ((mine, "Mine"), (theirs, "Theirs")):
            args = {"group_ids": (group.pk,), "since": since}
            got = compiled.rows(_of_groups, key=("test.privacy",), args=args)
            assert [row["title"] for row in got] == [title]


def test_a_query_reading_the_clock_inside_is_built_every_time():
    EventFactory(starts_at=timezone.now() + dt.timedelta(days=2))

    def coming(*, group_ids: tuple):
        return Event.objects.filter(starts_at__gte=timezone.now()).values("id")

    build = Counting(coming)
    for _n in range(3):
        assert len(compiled.rows(build, key=("test.clock",), args={"group_ids": ()})) == 1
    assert build.calls == 2 + 3  # the two compiles disagreed on "now": never reused
    connection = connections["default"]
    per_connection = compiled._compiled[connection]
    assert per_connection[(connection.vendor, "test.clock", ("group_ids", ("tuple", 0)))] is (
        compiled._FALLBACK
    )


def test_values_without_stand_ins_are_built_each_time():
    event = EventFactory(capacity=3)
    build = Counting(lambda *, capacity: Event.objects.filter(capacity=capacity).values("id"))
    for _n in range(2):
        got = compiled.rows(build, key=("test.float",), args={"capacity": 3.0})
        assert got == [{"id": event.pk}]
    assert build.calls == 2


def test_a_query_that_can_match_nothing_is_answered_without_the_database():
    EventFactory()
    build = Counting(lambda *, group_ids: Event.objects.filter(group_id__in=group_ids).values("id"))
    assert compiled.rows(build, key=("test.empty",), args={"group_ids": ()}) == []
    assert compiled.rows(build, key=("test.empty",), args={"group_ids": ()}) == []


def _prepared(connection, marker: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            [f"%{marker}%"],
        )
        return cursor.fetchall()


def _titled(*, group_ids: tuple, since: dt.datetime):
    return (
        Event.objects.filter(group_id__in=group_ids, starts_at__gte=since, title__startswith="G")
        .order_by("starts_at", "pk")
        .values("id", "title", "starts_at", "group__name")
    )


def test_a_generic_plan_is_kept_once_per_connection_on_postgresql_and_nothing_else_changes():
    first, second = GroupFactory(), GroupFactory()
    soon = timezone.now() + dt.timedelta(days=1)
    EventFactory(group=first, title="Gig", starts_at=soon)
    EventFactory(group=second, title="Gala", starts_at=soon)
    EventFactory(group=first, title="Walk", starts_at=soon)
    connection = connections["default"]
    for n in range(8):
        group = (first, second)[n % 2]
        args = {"group_ids": (group.pk,), "since": timezone.now()}
        got = compiled.rows(_titled, key=("test.generic",), args=args, generic_plan=True)
        assert got == list(_titled(**args))
        assert [row["title"] for row in got] == [["Gig"], ["Gala"]][n % 2]
    if connection.vendor != "postgresql":
        return  # SQLite: nothing to prepare, the rows are all there is.
    # Prepared once psycopg's threshold is passed, then run with its generic plan every time
    # (never a custom plan); the constant ('G%') is in the statement, the args are parameters.
    threshold = connection.connection.prepare_threshold
    assert threshold < 8
    assert _prepared(connection, "LIKE 'G%%'") == [(8 - threshold, 0)]
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")  # asked for when the connection opened
        assert cursor.fetchone() == ("force_generic_plan",)
    # Django's own queries are bound on the client: never prepared, planned at each run as ever.
    for _n in range(8):
        assert Event.objects.filter(title="Walk", group=first).count() == 1
    assert _prepared(connection, '"title" = ') == []


def test_without_prepared_statements_a_generic_plan_is_asked_for_in_vain():
    """DATABASE_PREPARED_STATEMENTS=false (psycopg's prepare_threshold None): the ordinary way."""
    EventFactory(title="Gig", starts_at=timezone.now() + dt.timedelta(days=1))
    connection = connections["default"]
    connection.ensure_connection()
    postgresql = connection.vendor == "postgresql"  # SQLite: the rows alone, as ever
    if postgresql:
        threshold = connection.connection.prepare_threshold
        connection.connection.prepare_threshold = None
    try:
        for _n in range(8):
            args = {"group_ids": (Event.objects.get().group_id,), "since": timezone.now()}
            got = compiled.rows(_titled, key=("test.unprepared",), args=args, generic_plan=True)
            assert [row["title"] for row in got] == ["Gig"]
    finally:
        if postgresql:
            connection.connection.prepare_threshold = threshold
    if postgresql:
        assert _prepared(connection, "events_event") == []


def _divided(*, group_ids: tuple):
    # capacity / 0: an error the database raises while running the statement.
    return Event.objects.filter(group_id__in=group_ids).values(
        "id", ratio=ExpressionWrapper(F("capacity") / Value(0), output_field=IntegerField())
    )


def test_a_statement_that_fails_leaves_the_connection_answering():
    event = EventFactory(capacity=10)
    connection = connections["default"]
    args = {"group_ids": (event.group_id,)}
    if connection.vendor != "postgresql":  # SQLite: x / 0 is NULL, nothing fails
        got = compiled.rows(_divided, key=("test.failing",), args=args, generic_plan=True)
        assert got == [{"id": event.pk, "ratio": None}]
        return
    for _n in range(7):
        with pytest.raises(DataError), transaction.atomic():
            compiled.rows(_divided, key=("test.failing",), args=args, generic_plan=True)
    # The connection goes on answering, its statements as they were.
    got = compiled.rows(_of_groups, key=("test.after",), args={**args, "since": event.starts_at})
    assert [row["id"] for row in got] == [event.pk]


def _titled_like(*, group_ids: tuple, title: str):
    return Event.objects.filter(group_id__in=group_ids, title=title).values("id")


@pytest.mark.parametrize("atomic", [False, True])
def test_a_value_the_adapter_refuses_is_a_data_error(atomic):
    """A value psycopg cannot send (a NUL in a string) is a DataError, in a transaction or not,
    and the statement answers as before afterwards."""
    event = EventFactory(title="Gig")
    connection = connections["default"]
    args = {"group_ids": (event.group_id,), "title": "Gig"}
    got = compiled.rows(_titled_like, key=("test.refused",), args=args, generic_plan=True)
    assert got == [{"id": event.pk}]
    if connection.vendor != "postgresql":
        return  # SQLite keeps no plans
    bad = {**args, "title": "G\x00ig"}
    block = transaction.atomic if atomic else contextlib.nullcontext
    for _n in range(2):
        with pytest.raises(DataError), block():
            compiled.rows(_titled_like, key=("test.refused",), args=bad, generic_plan=True)
    got = compiled.rows(_titled_like, key=("test.refused",), args=args, generic_plan=True)
    assert got == [{"id": event.pk}]


# --- instances: model rows, with what they select related, annotate and prefetch ----------


def _events_of_group(*, group_id: int):
    return (
        Event.objects.filter(group_id=group_id)
        .select_related("group", "series")
        .prefetch_related("tags")
        .annotate(
            going=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING)),
            lowered=Lower("title"),
        )
        .order_by("starts_at", "pk")
    )


def _fields(event) -> tuple:
    return (
        event.pk,
        event.title,
        event.starts_at,
        event.going,
        event.lowered,
        event.group.name,
        event.series,
        sorted(tag.name for tag in event.tags.all()),
    )


def test_instances_are_those_the_queryset_gives_and_built_only_to_compile(
    django_assert_num_queries,
):
    first, second = GroupFactory(name="First"), GroupFactory(name="Second")
    walk = EventFactory(group=first, title="Walk")
    walk.tags.add(Tag.objects.create(name="Outdoors", slug="outdoors"))
    RsvpFactory(event=walk)
    EventFactory(group=first, title="Talk")
    EventFactory(group=second, title="Swim")
    build = Counting(_events_of_group)
    for group in (first, second, first):
        got = compiled.instances(build, key=("test.events",), args={"group_id": group.pk})
        expected = _events_of_group(group_id=group.pk)
        assert [_fields(e) for e in got] == [_fields(e) for e in expected]
        assert got  # never vacuous
    assert build.calls == 2  # the two stand-in builds, nothing after
    got = compiled.instances(build, key=("test.events",), args={"group_id": first.pk})
    assert got[0].going == 1
    assert got[0].group.name == "First"
    assert got[0].lowered == "walk"
    assert type(got[0].starts_at) is dt.datetime
    assert got[0].starts_at.tzinfo is not None
    # The row and its group in one query, its tags in a second, as for the queryset itself.
    with django_assert_num_queries(2):
        compiled.instances(build, key=("test.events",), args={"group_id": first.pk})


def test_one_callers_values_never_reach_anothers_instances():
    mine, theirs = GroupFactory(), GroupFactory()
    EventFactory(group=mine, title="Mine")
    EventFactory(group=theirs, title="Theirs")
    for _round in range(2):
        for group, title in ((mine, "Mine"), (theirs, "Theirs")):
            got = compiled.instances(
                _events_of_group, key=("test.events_privacy",), args={"group_id": group.pk}
            )
            assert [event.title for event in got] == [title]


def test_instances_with_a_generic_plan_are_those_the_queryset_gives_for_each_caller():
    first, second = GroupFactory(name="First"), GroupFactory(name="Second")
    walk = EventFactory(group=first, title="Walk")
    walk.tags.add(Tag.objects.create(name="Outdoors", slug="outdoors"))
    RsvpFactory(event=walk)
    EventFactory(group=second, title="Swim")
    connection = connections["default"]
    for n in range(8):
        group = (first, second)[n % 2]
        got = compiled.instances(
            _events_of_group,
            key=("test.events_generic",),
            args={"group_id": group.pk},
            generic_plan=True,
        )
        expected = _events_of_group(group_id=group.pk)
        assert [_fields(e) for e in got] == [_fields(e) for e in expected]
        assert [e.title for e in got] == [["Walk"], ["Swim"]][n % 2]
        assert type(got[0].starts_at) is dt.datetime
        assert got[0].starts_at.tzinfo is not None
    if connection.vendor != "postgresql":
        return  # SQLite: nothing to prepare, the instances are all there is.
    threshold = connection.connection.prepare_threshold
    assert _prepared(connection, "events_event") == [(8 - threshold, 0)]


def test_instances_with_a_prefetch_of_its_own_query_are_built_each_time():
    group = GroupFactory()
    EventFactory(group=group)

    def with_own_prefetch(*, group_id: int):
        tags = Prefetch("tags", queryset=Tag.objects.filter(name__startswith="a"))
        return Event.objects.filter(group_id=group_id).prefetch_related(tags)

    build = Counting(with_own_prefetch)
    for _n in range(2):
        got = compiled.instances(build, key=("test.prefetch",), args={"group_id": group.pk})
        assert len(got) == 1
    assert build.calls == 2 + 2  # compiled twice, found not to fit, then built each time


def test_what_is_kept_per_connection_is_bounded_whatever_the_keys_asked_for():
    """A key may carry what a request asks for (the member list's page position and size):
    the oldest kept queries make way, and each still answers as its queryset."""
    event = EventFactory(capacity=4)
    connection = connections["default"]

    def build(*, capacity):
        return Event.objects.filter(capacity=capacity).values("id")

    for n in range(compiled.KEPT_PER_CONNECTION + 50):
        got = compiled.rows(build, key=("test.bounded", n), args={"capacity": 4})
        assert got == [{"id": event.pk}]
        got = compiled.rows(
            build, key=("test.bounded.generic", n), args={"capacity": 4}, generic_plan=True
        )
        assert got == [{"id": event.pk}]
    assert len(compiled._compiled[connection]) <= compiled.KEPT_PER_CONNECTION
    assert compiled.rows(build, key=("test.bounded", 0), args={"capacity": 4}) == [{"id": event.pk}]


def _times(*, group_ids: tuple):
    return (
        Event.objects.filter(group_id__in=group_ids)
        .order_by("pk")
        .values("id", "starts_at", "ends_at", "rsvp_opens_at", "created_at")
    )


def test_times_read_with_a_generic_plan_are_those_django_reads():
    """On PostgreSQL the statement's times are read by psycopg's own loader, not Django's: the
    same moments, in UTC as Django gives them, to the microsecond, a missing one None."""
    group = GroupFactory()
    starts = dt.datetime(2031, 3, 30, 0, 59, 59, 999_999, tzinfo=dt.UTC)
    EventFactory(group=group, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    EventFactory(
        group=group,
        starts_at=dt.datetime(1999, 12, 31, 23, 0, 0, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2000, 1, 1, 1, 0, tzinfo=dt.UTC),
        rsvp_opens_at=dt.datetime(1999, 12, 1, 12, 0, tzinfo=dt.UTC),
    )
    args = {"group_ids": (group.pk,)}
    for _run in range(8):  # past psycopg's prepare_threshold: prepared on the server too
        got = compiled.rows(_times, key=("test.times",), args=args, generic_plan=True)
        assert got == list(_times(**args))
        assert got[0]["starts_at"] == starts
        for row in got:
            for name in ("starts_at", "ends_at", "created_at"):
                assert row[name].tzinfo is dt.UTC
                assert row[name].utcoffset() == dt.timedelta(0)
        assert got[0]["rsvp_opens_at"] is None
    # The connection's ordinary queries read times as before.
    plain = Event.objects.filter(group=group).order_by("pk").values_list("starts_at", flat=True)
    assert plain[0] == starts
    assert plain[0].tzinfo is dt.UTC
