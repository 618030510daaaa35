"""The read API for volunteering: projects, shifts with their counts, a partner's own shifts'
sign-ups and its own verified hours; what a key sees, filters, pages, ETags and sync."""

import datetime as dt

import pytest
from django.utils import timezone

from core.actors import Actor
from groups.services import group_delete
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    RoleFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from tests.partners.conftest import api
from volunteering.hours.services import hours_entry_correct, hours_entry_log, hours_entry_verify
from volunteering.models import ShiftSignup
from volunteering.services import project_cancel, shift_cancel, signup_create

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["data"]]


def shift_in(group, **kwargs):
    return ShiftFactory(role=RoleFactory(project=VolunteerProjectFactory(group=group)), **kwargs)


def sign_up(shift, **user):
    person = UserFactory(**user)
    MembershipFactory(group=shift.role.project.group, user=person)
    return signup_create(shift=shift, user=person)


def test_a_key_sees_public_projects_and_its_own_never_anothers(partner, other_partner):
    own = VolunteerProjectFactory(group=partner.group)
    theirs = VolunteerProjectFactory(group=other_partner.group)
    public = VolunteerProjectFactory()
    VolunteerProjectFactory(group=GroupFactory(visibility="unlisted"))
    RoleFactory(project=own, name="Driver")
    client = api(partner.read_key)
    assert ids(client.get("/api/v1/volunteer-projects")) == [own.pk, public.pk]
    assert client.get(f"/api/v1/volunteer-projects/{theirs.pk}").status_code == 404
    row = client.get(f"/api/v1/volunteer-projects/{own.pk}").json()["data"]
    assert row["own"] is True
    assert row["address"] == own.address
    assert [role["name"] for role in row["roles"]] == ["Driver"]
    public_row = client.get(f"/api/v1/volunteer-projects/{public.pk}").json()["data"]
    assert public_row["address"] is None
    assert public.address not in str(public_row)


def test_shifts_come_with_signed_up_and_waitlist_counts(partner):
    shift = shift_in(partner.group, capacity=1)
    sign_up(shift)
    waiting = sign_up(shift)
    assert waiting.status == ShiftSignup.Status.WAITLISTED
    row = api(partner.read_key).get("/api/v1/shifts").json()["data"][0]
    assert (row["signed_up_count"], row["waitlist_count"], row["seats_taken"]) == (1, 1, 1)
    assert row["project"]["id"] == shift.role.project_id
    assert row["venue_name"] == "Community pantry"  # the project's place: the shift has none
    assert row["address"] == "2 Mill Lane, Leeds"


def test_shifts_of_another_partners_private_group_are_not_seen(partner, other_partner):
    theirs = shift_in(other_partner.group)
    public = shift_in(GroupFactory())
    client = api(partner.read_key)
    assert ids(client.get("/api/v1/shifts")) == [public.pk]
    assert client.get(f"/api/v1/shifts/{theirs.pk}").status_code == 404
    assert client.get(f"/api/v1/shifts/{theirs.pk}/signups").status_code == 404
    assert client.get(f"/api/v1/shifts/{public.pk}/signups").status_code == 404  # not its own
    assert client.get(f"/api/v1/shifts/{public.pk}").json()["data"]["address"] is None


def test_signups_of_an_own_shift_name_people_as_they_show_themselves(partner):
    shift = shift_in(partner.group)
    sign_up(shift, display_name="Ada Lovelace", show_first_name_only=True)
    body = api(partner.read_key).get(f"/api/v1/shifts/{shift.pk}/signups").json()
    assert [(row["name"], row["status"], row["places"]) for row in body["data"]] == [
        ("Ada", "signed_up", 1)
    ]
    assert "@" not in str(body)


@pytest.mark.parametrize("rows", [1, 10, 100])
def test_project_list_queries_do_not_grow_with_the_page(partner, rows, django_assert_num_queries):
    for _n in range(rows):
        RoleFactory(project=VolunteerProjectFactory())
    client = api(partner.read_key)
    # the key with its owned groups, the page, its roles
    with django_assert_num_queries(3):
        response = client.get("/api/v1/volunteer-projects?limit=100")
    assert len(response.json()["data"]) == rows


@pytest.mark.parametrize("rows", [1, 10, 100])
def test_shift_list_queries_do_not_grow_with_the_page(partner, rows, django_assert_num_queries):
    role = RoleFactory(project=VolunteerProjectFactory(group=partner.group))
    people = [UserFactory() for _n in range(2)]
    for person in people:
        MembershipFactory(group=partner.group, user=person)
    for _n in range(rows):
        shift = ShiftFactory(role=role)
        for person in people:
            signup_create(shift=shift, user=person)
    client = api(partner.read_key)
    # the key with its owned groups, the page with its counts
    with django_assert_num_queries(2):
        response = client.get("/api/v1/shifts?limit=100")
    data = response.json()["data"]
    assert len(data) == rows
    assert {row["signed_up_count"] for row in data} == {2}


@pytest.mark.parametrize("rows", [1, 10, 100])
def test_signup_list_queries_do_not_grow_with_the_page(partner, rows, django_assert_num_queries):
    shift = shift_in(partner.group, capacity=None)
    for _n in range(rows):
        sign_up(shift)
    client = api(partner.read_key)
    # the key with its owned groups, the shift, the page
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/shifts/{shift.pk}/signups?limit=100")
    assert len(response.json()["data"]) == rows


def _verified_hours(project, minutes=90, days_ago=2):
    volunteer = UserFactory()
    MembershipFactory(group=project.group, user=volunteer)
    entry = hours_entry_log(
        volunteer=volunteer,
        project=project,
        worked_on=timezone.localdate() - dt.timedelta(days=days_ago),
        minutes=minutes,
        actor=volunteer,
    )
    return hours_entry_verify(entry=entry, actor=SYSTEM)


@pytest.mark.parametrize("rows", [1, 10, 100])
def test_hours_list_queries_do_not_grow_with_the_page(partner, rows, django_assert_num_queries):
    project = VolunteerProjectFactory(group=partner.group)
    for _n in range(rows):
        _verified_hours(project)
    client = api(partner.read_key)
    # the key with its owned groups, the total, the page
    with django_assert_num_queries(3):
        response = client.get("/api/v1/hours?limit=100")
    body = response.json()
    assert len(body["data"]) == rows
    assert body["total_minutes"] == 90 * rows


def test_hours_are_the_partners_own_verified_ones_with_filters(partner, other_partner):
    project = VolunteerProjectFactory(group=partner.group)
    other_project = VolunteerProjectFactory(group=partner.group)
    old = _verified_hours(project, minutes=60, days_ago=40)
    recent = _verified_hours(project, minutes=120, days_ago=2)
    elsewhere = _verified_hours(other_project, minutes=30)
    _verified_hours(VolunteerProjectFactory(group=other_partner.group))
    _verified_hours(VolunteerProjectFactory())  # a public group's: not the partner's hours
    volunteer = UserFactory()
    MembershipFactory(group=partner.group, user=volunteer)
    hours_entry_log(  # pending: does not count
        volunteer=volunteer,
        project=project,
        worked_on=timezone.localdate(),
        minutes=45,
        actor=volunteer,
    )
    client = api(partner.read_key)
    body = client.get("/api/v1/hours").json()
    assert sorted(row["id"] for row in body["data"]) == sorted([old.pk, recent.pk, elsewhere.pk])
    assert body["total_minutes"] == 210
    body = client.get("/api/v1/hours", {"project": project.pk}).json()
    assert body["total_minutes"] == 180
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    body = client.get("/api/v1/hours", {"project": project.pk, "worked_from": since}).json()
    assert [row["id"] for row in body["data"]] == [recent.pk]
    assert body["data"][0]["hours"] == "2.00"
    hours_entry_correct(entry=recent, minutes=100, note="Left early", actor=SYSTEM)
    body = client.get("/api/v1/hours", {"project": project.pk, "worked_from": since}).json()
    assert body["total_minutes"] == 100
    assert sorted(row["source"] for row in body["data"]) == ["correction", "logged", "reversal"]
    response = client.get("/api/v1/hours", {"worked_from": "last week"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["worked_from"]


def test_shift_filters(partner):
    now = timezone.now()
    soon = shift_in(partner.group, starts_at=now + dt.timedelta(days=2))
    later = ShiftFactory(role=soon.role, starts_at=now + dt.timedelta(days=9))
    york = VolunteerProjectFactory(latitude=53.96, longitude=-1.08, title="York pantry")
    far = ShiftFactory(role=RoleFactory(project=york), starts_at=now + dt.timedelta(days=4))
    client = api(partner.read_key)
    assert ids(client.get("/api/v1/shifts", {"project": soon.role.project_id})) == [
        soon.pk,
        later.pk,
    ]
    assert ids(client.get("/api/v1/shifts", {"group": partner.group.pk})) == [soon.pk, later.pk]
    assert ids(client.get("/api/v1/shifts", {"q": "york"})) == [far.pk]
    assert ids(client.get("/api/v1/shifts", {"near": "53.96,-1.08", "radius_km": 5})) == [far.pk]
    after = (now + dt.timedelta(days=3)).isoformat()
    before = (now + dt.timedelta(days=5)).isoformat()
    assert ids(client.get("/api/v1/shifts", {"starts_after": after, "starts_before": before})) == [
        far.pk
    ]
    response = client.get("/api/v1/shifts", {"colour": "red"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_project_filters(partner):
    now = timezone.now()
    pantry = VolunteerProjectFactory(cause="food", latitude=53.80, longitude=-1.55)
    ShiftFactory(role=RoleFactory(project=pantry), starts_at=now + dt.timedelta(days=2))
    garden = VolunteerProjectFactory(cause="environment", title="Community garden")
    ShiftFactory(role=RoleFactory(project=garden), starts_at=now + dt.timedelta(days=9))
    client = api(partner.read_key)
    assert ids(client.get("/api/v1/volunteer-projects", {"cause": "environment"})) == [garden.pk]
    assert ids(client.get("/api/v1/volunteer-projects", {"q": "garden"})) == [garden.pk]
    assert ids(client.get("/api/v1/volunteer-projects", {"near": "53.80,-1.55"})) == [pantry.pk]
    after = (now + dt.timedelta(days=5)).isoformat()
    assert ids(client.get("/api/v1/volunteer-projects", {"starts_after": after})) == [garden.pk]
    assert client.get("/api/v1/volunteer-projects", {"near": "91,0"}).status_code == 400


def test_etags_on_volunteering_lists_and_details(partner):
    shift = shift_in(partner.group)
    client = api(partner.read_key)
    for url in (
        "/api/v1/shifts",
        f"/api/v1/shifts/{shift.pk}",
        "/api/v1/volunteer-projects",
        f"/api/v1/volunteer-projects/{shift.role.project_id}",
        f"/api/v1/shifts/{shift.pk}/signups",
        "/api/v1/hours",
    ):
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
    etag = client.get("/api/v1/shifts")["ETag"]
    sign_up(shift)
    assert client.get("/api/v1/shifts", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_cursor_pages_walk_every_shift_once(partner):
    start = timezone.now() + dt.timedelta(days=3)
    role = RoleFactory(project=VolunteerProjectFactory(group=partner.group))
    made = [ShiftFactory(role=role, starts_at=start + dt.timedelta(hours=n % 3)) for n in range(7)]
    client = api(partner.read_key)
    seen, url = [], "/api/v1/shifts?limit=3"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["data"]]
        url = body["next"]
    assert seen == [s.pk for s in sorted(made, key=lambda s: (s.starts_at, s.pk))]


def test_updated_since_shows_cancelled_shifts_and_projects_with_tombstones(partner):
    since = timezone.now()
    kept = shift_in(partner.group)
    cancelled = shift_in(partner.group)
    shift_cancel(shift=cancelled, actor=SYSTEM)
    project = VolunteerProjectFactory(group=partner.group)
    project_cancel(project=project, actor=SYSTEM)
    client = api(partner.read_key)
    body = client.get("/api/v1/shifts", {"updated_since": since.isoformat()}).json()
    assert {row["id"]: row["status"] for row in body["data"]} == {
        kept.pk: "scheduled",
        cancelled.pk: "cancelled",
    }
    assert [(t["id"], t["reason"]) for t in body["deleted"]] == [(cancelled.pk, "cancelled")]
    body = client.get("/api/v1/volunteer-projects", {"updated_since": since.isoformat()}).json()
    assert [(t["id"], t["reason"]) for t in body["deleted"]] == [(project.pk, "cancelled")]
    assert project.pk not in ids(client.get("/api/v1/volunteer-projects"))

    group_delete(group=partner.group, actor=SYSTEM)
    body = client.get("/api/v1/shifts", {"updated_since": since.isoformat()}).json()
    assert body["data"] == []
    assert {(t["id"], t["reason"]) for t in body["deleted"]} >= {
        (kept.pk, "deleted"),
        (cancelled.pk, "deleted"),
    }


def test_volunteering_tombstones_of_another_partners_private_group_are_not_shown(
    partner, other_partner
):
    since = timezone.now()
    shift_cancel(shift=shift_in(other_partner.group), actor=SYSTEM)
    project_cancel(project=VolunteerProjectFactory(group=other_partner.group), actor=SYSTEM)
    client = api(partner.read_key)
    for url in ("/api/v1/shifts", "/api/v1/volunteer-projects"):
        body = client.get(url, {"updated_since": since.isoformat()}).json()
        assert body == {"data": [], "next": None, "deleted": []}


def test_a_public_group_turning_private_hides_its_shifts_from_others(partner):
    from groups.services import group_update

    since = timezone.now()
    group = GroupFactory()
    shift = shift_in(group)
    group_update(group=group, actor=SYSTEM, visibility="private")
    body = api(partner.read_key).get("/api/v1/shifts", {"updated_since": since.isoformat()}).json()
    assert body["data"] == []
    assert [(t["id"], t["reason"]) for t in body["deleted"]] == [(shift.pk, "hidden")]
