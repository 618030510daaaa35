"""The read API: what a key sees, filters, cursor pages, ETags, counts and incremental sync."""

import datetime as dt

import pytest
from django.utils import timezone

from core.actors import Actor
from events.services import event_cancel, event_series_create, event_series_end
from groups.services import group_delete
from tests.factories import EventFactory, GroupFactory, RsvpFactory
from tests.partners.conftest import api

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["data"]]


def test_a_key_sees_public_events_and_its_own_private_ones_never_anothers(partner, other_partner):
    own = EventFactory(group=partner.group)
    theirs = EventFactory(group=other_partner.group)
    public = EventFactory()
    unlisted = EventFactory(group=GroupFactory(visibility="unlisted"))
    assert ids(api(partner.read_key).get("/api/v1/events")) == [own.pk, public.pk]
    assert ids(api(other_partner.read_key).get("/api/v1/events")) == [theirs.pk, public.pk]
    for event in (theirs, unlisted):
        response = api(partner.read_key).get(f"/api/v1/events/{event.pk}")
        assert response.status_code == 404
        assert response.json() == {
            "type": "about:blank",
            "title": "Not found",
            "status": 404,
            "detail": "Not found.",
        }
    assert api(partner.read_key).get(f"/api/v1/events/{own.pk}").json()["data"]["own"] is True


def test_groups_are_public_ones_and_the_partners_own(partner, other_partner):
    public = GroupFactory()
    GroupFactory(visibility="unlisted")
    GroupFactory(visibility="private", listed_when_private=True)
    assert ids(api(partner.read_key).get("/api/v1/groups")) == [partner.group.pk, public.pk]
    assert api(partner.read_key).get(f"/api/v1/groups/{other_partner.group.pk}").status_code == 404
    detail = api(partner.read_key).get(f"/api/v1/groups/{partner.group.pk}").json()["data"]
    assert detail["visibility"] == "private"
    assert detail["own"] is True


def test_address_and_online_link_only_for_the_partners_own_events(partner):
    own = EventFactory(group=partner.group, address="1 Own Street", latitude=53.8, longitude=-1.5)
    other = EventFactory(address="2 Secret Road", latitude=53.8, longitude=-1.5)
    body = api(partner.read_key).get("/api/v1/events").json()["data"]
    by_id = {row["id"]: row for row in body}
    assert by_id[own.pk]["address"] == "1 Own Street"
    assert by_id[other.pk]["address"] is None
    assert by_id[other.pk]["latitude"] is None
    assert "2 Secret Road" not in str(body)


def test_times_are_iso_8601_in_the_events_zone_with_its_offset_and_name(partner):
    starts = dt.datetime(2031, 7, 1, 17, 0, tzinfo=dt.UTC)
    EventFactory(group=partner.group, timezone="Europe/London", starts_at=starts)
    row = api(partner.read_key).get("/api/v1/events").json()["data"][0]
    assert row["starts_at"] == "2031-07-01T18:00:00+01:00"
    assert row["timezone"] == "Europe/London"


def test_rsvp_counts_come_with_each_event(partner):
    event = EventFactory(group=partner.group, capacity=2, seats_taken=2)
    RsvpFactory(event=event, status="waitlisted", waitlist_position=1)
    row = api(partner.read_key).get("/api/v1/events").json()["data"][0]
    assert (row["going_count"], row["waitlist_count"], row["seats_taken"]) == (2, 1, 2)


def test_tags_come_in_name_order_in_the_list_and_the_detail(partner):
    from events.models import Tag

    tagged = EventFactory(group=partner.group)
    names = ["choir", "Zumba", "Árbol", "Bach, J.S.", 'say "hi"']
    tagged.tags.set(Tag.objects.create(name=name, slug=f"tag-{n}") for n, name in enumerate(names))
    untagged = EventFactory(group=partner.group)
    client = api(partner.read_key)
    listed = {row["id"]: row["tags"] for row in client.get("/api/v1/events").json()["data"]}
    expected = list(tagged.tags.order_by("name").values_list("name", flat=True))
    assert sorted(expected) == sorted(names)
    assert listed == {tagged.pk: expected, untagged.pk: []}
    assert client.get(f"/api/v1/events/{tagged.pk}").json()["data"]["tags"] == expected


def test_a_group_the_partner_comes_to_own_is_seen_at_the_next_request(partner, other_partner):
    from partners.models import PartnerGroup
    from partners.services import partner_group_add

    private = GroupFactory(visibility="private")
    event = EventFactory(group=private)
    client = api(partner.read_key)
    assert client.get(f"/api/v1/events/{event.pk}").status_code == 404
    assert ids(client.get("/api/v1/events")) == []
    partner_group_add(partner=partner.organization, group=private)
    assert ids(client.get("/api/v1/events")) == [event.pk]
    assert client.get(f"/api/v1/events/{event.pk}").json()["data"]["own"] is True
    # The group goes to another partner: the first one's key loses it at once.
    PartnerGroup.objects.filter(group=private).delete()
    partner_group_add(partner=other_partner.organization, group=private)
    assert client.get(f"/api/v1/events/{event.pk}").status_code == 404
    assert ids(client.get("/api/v1/events")) == []
    assert ids(api(other_partner.read_key).get("/api/v1/events")) == [event.pk]


@pytest.mark.parametrize("rows", [1, 10, 100])
def test_event_list_queries_do_not_grow_with_the_page(partner, rows, django_assert_num_queries):
    for _n in range(rows):
        event = EventFactory()
        RsvpFactory(event=event)
    client = api(partner.read_key)
    # the key with its owned groups, the page with its tags
    with django_assert_num_queries(2):
        response = client.get("/api/v1/events?limit=100")
    assert len(response.json()["data"]) == rows


def test_the_event_list_reads_upcoming_events_as_the_website_does(partner):
    """Long events still on come in start order, ended ones never; on PostgreSQL the page is
    read in the website's two index-served parts (EventQuerySet.upcoming), so it never walks
    the site's history of ended events; cursor pages follow on across both parts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def at(days: float) -> dt.datetime:
        return timezone.now() + dt.timedelta(days=days)

    made = {
        "exhibition": EventFactory(starts_at=at(-90), ends_at=at(30)),
        "old_exhibition": EventFactory(starts_at=at(-400), ends_at=at(-200)),
        "festival": EventFactory(starts_at=at(-3), ends_at=at(1)),
        "ended_festival": EventFactory(starts_at=at(-5), ends_at=at(-2)),
        "tonight_over": EventFactory(starts_at=at(-0.5), ends_at=at(-0.4)),
        "on_now": EventFactory(group=partner.group, starts_at=at(-0.1), ends_at=at(0.1)),
        "camp": EventFactory(starts_at=at(2), ends_at=at(60)),
        **{f"day{d}": EventFactory(starts_at=at(d), ends_at=at(d + 0.1)) for d in range(1, 5)},
    }
    now = timezone.now()
    want = [
        e.pk for e in sorted(made.values(), key=lambda e: (e.starts_at, e.pk)) if e.ends_at > now
    ]
    assert want[:2] == [made["exhibition"].pk, made["festival"].pk]
    client = api(partner.read_key)
    for _round in range(7):  # past the prepared-statement threshold on PostgreSQL
        with CaptureQueriesContext(connection) as captured:
            assert ids(client.get("/api/v1/events")) == want
    if connection.vendor == "postgresql":  # the page's statement, prepared by now
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%events_event_tags%LIMIT 51"],
            )
            [(statement,)] = cursor.fetchall()
        assert "UNION ALL" in statement
    else:
        assert "UNION" not in captured.captured_queries[-1]["sql"]
    seen, url = [], "/api/v1/events?limit=3"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["data"]]
        url = body["next"]
    assert seen == want


@pytest.mark.parametrize("rows", [1, 10, 100])
def test_rsvp_list_queries_do_not_grow_with_the_page(partner, rows, django_assert_num_queries):
    event = EventFactory(group=partner.group)
    for _n in range(rows):
        RsvpFactory(event=event)
    client = api(partner.read_key)
    # the key with its owned groups, the event (the access check), the page
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/events/{event.pk}/rsvps?limit=100")
    assert len(response.json()["data"]) == rows


def test_cursor_pages_walk_every_event_once_in_a_stable_order(partner):
    start = timezone.now() + dt.timedelta(days=3)
    made = [EventFactory(starts_at=start + dt.timedelta(hours=n % 3)) for n in range(7)]
    client = api(partner.read_key)
    seen, url = [], "/api/v1/events?limit=3"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["data"]]
        url = body["next"]
    expected = sorted(made, key=lambda e: (e.starts_at, e.pk))
    assert seen == [e.pk for e in expected]


def test_page_size_is_capped_at_100_and_bad_cursors_are_400(partner):
    for _n in range(101):
        EventFactory()
    body = api(partner.read_key).get("/api/v1/events?limit=500").json()
    assert len(body["data"]) == 100
    assert body["next"]
    response = api(partner.read_key).get("/api/v1/events?cursor=forged")
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["This cursor is not valid for this list."]}


def test_filters(partner):
    now = timezone.now()
    leeds = EventFactory(
        title="Choir practice",
        category="music",
        latitude=53.80,
        longitude=-1.55,
        starts_at=now + dt.timedelta(days=2),
    )
    york = EventFactory(
        title="Walk",
        category="outdoors",
        latitude=53.96,
        longitude=-1.08,
        starts_at=now + dt.timedelta(days=10),
    )
    own = EventFactory(group=partner.group, title="Circle", starts_at=now + dt.timedelta(days=5))
    client = api(partner.read_key)
    assert ids(client.get("/api/v1/events?category=music")) == [leeds.pk]
    assert ids(client.get("/api/v1/events?q=choir")) == [leeds.pk]
    assert ids(client.get(f"/api/v1/events?group={partner.group.pk}")) == [own.pk]
    assert ids(client.get("/api/v1/events?near=53.80,-1.55&radius_km=10")) == [leeds.pk]
    assert ids(client.get("/api/v1/events?near=53.80,-1.55&radius_km=50")) == [leeds.pk, york.pk]
    after = (now + dt.timedelta(days=3)).isoformat()
    before = (now + dt.timedelta(days=6)).isoformat()
    response = client.get("/api/v1/events", {"starts_after": after, "starts_before": before})
    assert ids(response) == [own.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("near=north", "near"),
        ("near=91,0", "near"),
        ("radius_km=-3", "radius_km"),
        ("starts_after=yesterday", "starts_after"),
        ("category=nonsense", "category"),
        ("limit=abc", "limit"),
        ("color=red", "color"),
    ],
)
def test_bad_filters_are_problem_400s_naming_the_parameter(partner, query, field):
    response = api(partner.read_key).get(f"/api/v1/events?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [field]


def test_etag_and_if_none_match(partner):
    event = EventFactory(group=partner.group)
    client = api(partner.read_key)
    for url in ("/api/v1/events", f"/api/v1/events/{event.pk}"):
        first = client.get(url)
        etag = first["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag
    from events.services import event_update

    event_update(event=event, actor=SYSTEM, title="Renamed")
    assert client.get("/api/v1/events", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_updated_since_shows_cancelled_events_and_tombstones_of_deleted_ones(partner):
    since = timezone.now()
    kept = EventFactory(group=partner.group)
    cancelled = EventFactory(group=partner.group)
    event_cancel(event=cancelled, actor=SYSTEM)
    client = api(partner.read_key)
    body = client.get("/api/v1/events", {"updated_since": since.isoformat()}).json()
    statuses = {row["id"]: row["status"] for row in body["data"]}
    assert statuses == {kept.pk: "scheduled", cancelled.pk: "cancelled"}
    assert [(t["id"], t["reason"]) for t in body["deleted"]] == [(cancelled.pk, "cancelled")]

    group_delete(group=partner.group, actor=SYSTEM)
    body = client.get("/api/v1/events", {"updated_since": since.isoformat()}).json()
    assert body["data"] == []
    assert sorted((t["id"], t["reason"]) for t in body["deleted"]) == sorted(
        [
            (cancelled.pk, "cancelled"),
            (kept.pk, "cancelled"),
            (kept.pk, "deleted"),
            (cancelled.pk, "deleted"),
        ]
    )


def test_series_occurrences_come_with_their_series_and_deleted_dates_become_tombstones(partner):
    since = timezone.now()
    series = event_series_create(
        group=partner.group,
        actor=SYSTEM,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=1),
        title="Weekly",
        category="music",
        venue_name="Hall",
        timezone="Europe/London",
        horizon_days=21,
    )
    client = api(partner.read_key)
    rows = client.get("/api/v1/events").json()["data"]
    assert rows
    assert all(row["series"]["id"] == series.pk for row in rows)
    assert rows[0]["series"]["rrule"].startswith("FREQ=WEEKLY")
    event_series_end(series=series, actor=SYSTEM)
    body = client.get("/api/v1/events", {"updated_since": since.isoformat()}).json()
    assert {t["id"] for t in body["deleted"]} == {row["id"] for row in rows}


def test_tombstones_of_another_partners_private_events_are_not_shown(partner, other_partner):
    since = timezone.now()
    theirs = EventFactory(group=other_partner.group)
    event_cancel(event=theirs, actor=SYSTEM)
    body = api(partner.read_key).get("/api/v1/events", {"updated_since": since.isoformat()}).json()
    assert body == {"data": [], "next": None, "deleted": []}


def test_rsvps_only_for_the_partners_own_events(partner, other_partner):
    own = EventFactory(group=partner.group)
    RsvpFactory(event=own, user__display_name="Ada Lovelace", user__show_first_name_only=True)
    public = EventFactory()
    RsvpFactory(event=public)
    client = api(partner.read_key)
    body = client.get(f"/api/v1/events/{own.pk}/rsvps").json()
    assert [row["name"] for row in body["data"]] == ["Ada"]
    assert "email" not in str(body)
    assert client.get(f"/api/v1/events/{public.pk}/rsvps").status_code == 404
    theirs = EventFactory(group=other_partner.group)
    assert client.get(f"/api/v1/events/{theirs.pk}/rsvps").status_code == 404


def test_events_of_a_group_that_stops_being_public_become_tombstones_for_others(
    partner, other_partner
):
    from groups.services import group_update

    since = timezone.now()
    group = GroupFactory()
    event = EventFactory(group=group)
    group_update(group=group, actor=SYSTEM, visibility="private")
    body = api(partner.read_key).get("/api/v1/events", {"updated_since": since.isoformat()}).json()
    assert body["data"] == []
    assert [(t["id"], t["reason"]) for t in body["deleted"]] == [(event.pk, "hidden")]


def test_the_owner_still_sees_its_own_group_events_after_it_turns_private(partner):
    from groups.services import group_update

    since = timezone.now()
    group_update(group=partner.group, actor=SYSTEM, visibility="public")
    event = EventFactory(group=partner.group)
    group_update(group=partner.group, actor=SYSTEM, visibility="private")
    body = api(partner.read_key).get("/api/v1/events", {"updated_since": since.isoformat()}).json()
    assert [row["id"] for row in body["data"]] == [event.pk]
    assert body["deleted"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events/99999999999999999999999",
        "/api/v1/events/99999999999999999999999/rsvps",
        "/api/v1/groups/99999999999999999999999",
    ],
)
def test_ids_beyond_any_row_are_404_not_500(partner, url):
    assert api(partner.read_key).get(url).status_code == 404


def test_a_group_filter_beyond_any_row_is_a_400(partner):
    response = api(partner.read_key).get("/api/v1/events?group=99999999999999999999999")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["group"]


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_an_unknown_api_address_is_a_problem_404_for_any_method(partner, method):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {partner.write_key}")
    response = getattr(client, method)("/api/v1/events/null,null", {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "value",
    ["1336-08-13T05:31:02.75+16:27", "2031-03-01T09:00:00-23:59", "0001-01-01T00:00:00+05:00"],
)
def test_times_with_any_offset_python_reads_are_answered_never_a_500(partner, value):
    """Found by schemathesis on PostgreSQL, which refuses offsets beyond 15:59."""
    response = api(partner.read_key).get("/api/v1/events", {"updated_since": value})
    if value.startswith("0001"):
        assert response.status_code == 400
        assert "updated_since" in response.json()["errors"]
    else:
        assert response.status_code == 200, response.content
    groups = api(partner.read_key).get("/api/v1/groups", {"updated_since": value})
    assert groups.status_code == response.status_code
