"""The workspace's volunteering section: who may open it, creating and editing projects, roles
and shifts (once and repeating), cancelling and stopping, check-in at a shift, hours reviewed in
bulk, the hours CSV, and constant query counts."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Activity
from groups.models import Membership
from notifications.models import Notification
from tests.factories import (
    MembershipFactory,
    RoleFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from tests.volunteering.hours_setup import sign_up
from volunteering.models import HoursEntry, Shift, ShiftSeries, ShiftSignup, VolunteerProject
from volunteering.services import signup_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(group):
    return VolunteerProjectFactory(group=group, title="Soup kitchen", slug="soup-kitchen-x1")


@pytest.fixture
def role(project):
    return RoleFactory(project=project, name="Cook")


@pytest.fixture
def shift(role):
    return ShiftFactory(role=role, capacity=2, starts_at=timezone.now() + dt.timedelta(minutes=30))


def _url(name, group, *args):
    return reverse(f"workspace:{name}", args=[group.slug, *args])


def _entry(project, volunteer, *, minutes=120, description="Stirred soup", shift=None):
    return HoursEntry.objects.create(
        volunteer=volunteer,
        project=project,
        shift=shift,
        worked_on=timezone.localdate() - dt.timedelta(days=1),
        minutes=minutes,
        description=description,
        source=HoursEntry.Source.LOGGED,
        logged_by=volunteer,
    )


# --- who may open it -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider"])
def test_volunteering_pages_are_closed_to_anyone_but_organizers_and_hosts(
    client, group, project, shift, member, who
):
    if who == "member":
        client.force_login(member)
    elif who == "outsider":
        client.force_login(UserFactory())
    for url in (
        _url("volunteering", group),
        _url("volunteering_project", group, project.slug),
        _url("volunteering_shift", group, project.slug, shift.pk),
        _url("volunteering_project_new", group),
    ):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert reverse("account_login") in response["Location"]
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("who", ["organizer", "host"])
def test_organizers_and_hosts_run_volunteering(client, group, project, shift, who, host, organizer):
    client.force_login(organizer if who == "organizer" else host)
    text = client.get(_url("volunteering", group)).content.decode()
    assert "Soup kitchen" in text
    text = client.get(_url("volunteering_project", group, project.slug)).content.decode()
    assert "Cook" in text
    assert client.get(_url("volunteering_shift", group, project.slug, shift.pk)).status_code == 200
    dashboard = client.get(_url("dashboard", group)).content.decode()
    assert _url("volunteering", group) in dashboard


def test_projects_show_fill_waiting_and_hours_to_verify(client, group, organizer, project, shift):
    volunteers = [MembershipFactory(group=group).user for _ in range(3)]
    for volunteer in volunteers:
        signup_create(shift=shift, user=volunteer)
    _entry(project, volunteers[0])
    client.force_login(organizer)
    text = client.get(_url("volunteering", group)).content.decode()
    assert "2 of 2 places filled (100%)" in text
    assert "1 person waiting for a place" in text
    assert "1 hours entry to verify" in text


# --- projects and roles ----------------------------------------------------------------------


def test_organizer_creates_a_project_with_every_field(client, group, organizer, host):
    client.force_login(organizer)
    response = client.post(
        _url("volunteering_project_new", group),
        {
            "title": "River clean-up",
            "description": "We pick litter.",
            "cause": "environment",
            "remote": "",
            "timezone": "Europe/London",
            "venue_name": "Boathouse",
            "address": "1 River Road",
            "city": "Leeds",
            "starts_on": "2027-03-01",
            "ends_on": "2027-09-30",
            "contact": host.pk,
            "minimum_age": "16",
            "skills": "lifting, boats",
            "waiver_text": "I wear gloves.",
        },
    )
    project = VolunteerProject.objects.get(title="River clean-up")
    assert response.status_code == 302
    assert response["Location"] == _url("volunteering_project", group, project.slug)
    assert project.group == group
    assert project.contact == host
    assert project.minimum_age == 16
    assert project.waiver_version == 1
    assert project.skill_list == ["lifting", "boats"]
    assert project.ends_on == dt.date(2027, 9, 30)
    assert Activity.objects.filter(verb="project.created").count() == 1
    # The point comes from the town typed (the offline gazetteer), never asked of the organizer.
    assert project.latitude == pytest.approx(53.8, abs=0.1)
    assert project.longitude == pytest.approx(-1.55, abs=0.1)


def test_the_project_form_never_asks_for_coordinates(client, group, organizer, project):
    client.force_login(organizer)
    for url in (
        _url("volunteering_project_new", group),
        _url("volunteering_project_edit", group, project.slug),
    ):
        page = client.get(url).content.decode()
        assert 'name="latitude"' not in page
        assert 'name="longitude"' not in page


def test_project_rules_come_back_as_form_errors(client, group, organizer):
    client.force_login(organizer)
    response = client.post(
        _url("volunteering_project_new", group),
        {
            "title": "Nowhere",
            "cause": "food",
            "timezone": "UTC",
            "starts_on": "2027-03-02",
            "ends_on": "2027-03-01",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give a venue or an address, or mark it remote." in text
    assert not VolunteerProject.objects.filter(title="Nowhere").exists()


def test_contact_person_must_be_a_coordinator_of_the_group(client, group, organizer, member):
    client.force_login(organizer)
    response = client.post(
        _url("volunteering_project_new", group),
        {"title": "X", "cause": "food", "timezone": "UTC", "remote": "on", "contact": member.pk},
    )
    assert response.status_code == 400
    assert not VolunteerProject.objects.filter(title="X").exists()


def test_editing_the_agreement_makes_a_new_version(client, group, organizer, project):
    client.force_login(organizer)
    page = client.get(_url("volunteering_project_edit", group, project.slug))
    assert "Soup kitchen" in page.content.decode()
    data = {
        "title": "Soup kitchen",
        "cause": "food",
        "timezone": "Europe/London",
        "venue_name": "Community pantry",
        "waiver_text": "New rules.",
    }
    response = client.post(_url("volunteering_project_edit", group, project.slug), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.waiver_text == "New rules."
    assert project.waiver_version == 1


def test_roles_are_added_and_edited(client, group, organizer, project, role):
    client.force_login(organizer)
    response = client.post(
        _url("volunteering_role_new", group, project.slug),
        {"name": "Driver", "description": "Vans", "skills": "driving"},
    )
    assert response.status_code == 302
    assert project.roles.filter(name="Driver").exists()
    duplicate = client.post(_url("volunteering_role_new", group, project.slug), {"name": "cook"})
    assert duplicate.status_code == 400
    assert "already has a role by this name" in duplicate.content.decode()
    response = client.post(
        _url("volunteering_role_edit", group, project.slug, role.pk),
        {"name": "Head cook", "description": "", "skills": ""},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.name == "Head cook"


# --- shifts ----------------------------------------------------------------------------------


def _shift_data(shift_role, **extra):
    start = (timezone.now() + dt.timedelta(days=10)).replace(second=0, microsecond=0)
    data = {
        "role": shift_role.pk,
        "starts_at": f"{start:%Y-%m-%d}T09:00",
        "ends_at": f"{start:%Y-%m-%d}T12:00",
        "timezone": "Europe/London",
        "capacity": "4",
        "notes": "Bring an apron",
    }
    data.update(extra)
    return data, start.date()


def test_a_one_off_shift_is_created_in_its_own_time_zone(client, group, organizer, project, role):
    client.force_login(organizer)
    data, day = _shift_data(role)
    response = client.post(_url("volunteering_shift_new", group, project.slug), data)
    shift = Shift.objects.get(role=role)
    assert response.status_code == 302
    assert shift.capacity == 4
    assert shift.notes == "Bring an apron"
    local = shift.starts_at.astimezone(dt.timezone(dt.timedelta(0)))
    assert shift.timezone == "Europe/London"
    assert local.date() == day
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=3)


@pytest.mark.parametrize(
    ("choice", "extra", "expected"),
    [
        ("weekly", {"count": "6"}, "FREQ=WEEKLY;BYDAY={wd};COUNT=6"),
        ("every_other_week", {}, "FREQ=WEEKLY;INTERVAL=2;BYDAY={wd}"),
        ("monthly_weekday", {"until": "2030-01-01"}, "FREQ=MONTHLY;BYDAY={pos}{wd};UNTIL="),
    ],
)
def test_repeating_shifts_are_built_from_plain_choices(
    client, group, organizer, project, role, choice, extra, expected
):
    from core.repeat import weekday_position

    client.force_login(organizer)
    data, day = _shift_data(role, repeat=choice, **extra)
    response = client.post(_url("volunteering_shift_new", group, project.slug), data)
    assert response.status_code == 302
    series = ShiftSeries.objects.get(role=role)
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()]
    assert series.rrule.startswith(expected.format(wd=weekday, pos=weekday_position(day)))
    assert series.duration == dt.timedelta(hours=3)
    assert series.shifts.exists()


def test_a_repeating_shift_skips_a_date(client, group, organizer, project, role):
    client.force_login(organizer)
    data, day = _shift_data(role, repeat="weekly", count="3")
    data["skip_date"] = (day + dt.timedelta(weeks=1)).isoformat()
    response = client.post(_url("volunteering_shift_new", group, project.slug), data)
    assert response.status_code == 302
    statuses = list(
        ShiftSeries.objects.get(role=role)
        .shifts.order_by("starts_at")
        .values_list("status", flat=True)
    )
    assert statuses == ["scheduled", "cancelled", "scheduled"]


@pytest.mark.parametrize(
    ("extra", "field_error"),
    [
        ({"repeat": "", "count": "3"}, "Choose how the shift repeats first."),
        ({"repeat": "weekly", "count": "3", "until": "2030-01-01"}, "not both"),
        ({"repeat": "weekly", "skip_date": "2020-01-01"}, "is not one of the first dates"),
        ({"starts_at": "9999-12-31T09:00", "ends_at": "9999-12-31T10:00"}, "between"),
        ({"ends_at": "2020-01-01T09:00"}, "must end after it starts"),
        ({"capacity": "-1"}, "greater than or equal to 0"),
        ({"repeat": "weekly", "until": "9999-12-31", "timezone": "America/New_York"}, "UNTIL"),
        ({"repeat": "monthly_weekday", "count": "1001"}, "less than or equal to 1000"),
        ({"repeat": "weekly", "until": "2001-01-01"}, "on or after the first shift"),
        ({"repeat": "fortnightly"}, "Select a valid choice"),
        ({"role": "999999"}, "Select a valid choice"),
        ({"timezone": "Mars/Base"}, "Select a valid choice"),
        ({"starts_at": "2027-03-28T01:30", "timezone": "Europe/London"}, "clocks change"),
    ],
)
def test_bad_shift_input_is_a_form_error_never_a_500(
    client, group, organizer, project, role, extra, field_error
):
    client.force_login(organizer)
    data, _day = _shift_data(role, **extra)
    response = client.post(_url("volunteering_shift_new", group, project.slug), data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Shift.objects.filter(role=role, status="scheduled").exists()


def test_a_shift_is_edited_cancelled_with_a_message_and_a_series_stopped(
    client, group, organizer, project, role, shift
):
    client.force_login(organizer)
    volunteer = MembershipFactory(group=group).user
    signup_create(shift=shift, user=volunteer)
    data, _day = _shift_data(role, capacity="6")
    response = client.post(_url("volunteering_shift_edit", group, project.slug, shift.pk), data)
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.capacity == 6

    page = client.get(_url("volunteering_shift_cancel", group, project.slug, shift.pk))
    assert "1 volunteer signed up will be told" in page.content.decode()
    response = client.post(
        _url("volunteering_shift_cancel", group, project.slug, shift.pk),
        {"message": "The hall flooded."},
    )
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.is_cancelled
    assert shift.cancellation_message == "The hall flooded."
    assert Notification.objects.filter(recipient=volunteer, kind__contains="cancelled").exists()

    series = ShiftSeries.objects.create(
        role=role,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=2),
        duration=dt.timedelta(hours=1),
    )
    from volunteering.services import shift_series_materialize

    shift_series_materialize(series=series)
    response = client.post(
        _url("volunteering_series_stop", group, project.slug, series.pk), {"message": ""}
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.ended_at is not None
    assert not series.shifts.filter(status="scheduled").exists()


# --- check-in --------------------------------------------------------------------------------


def test_one_tap_checks_a_volunteer_in_and_writes_their_hours(client, group, host, project, shift):
    volunteer = MembershipFactory(group=group).user
    signup = sign_up(shift, volunteer)
    client.force_login(host)
    url = _url("volunteering_check_in", group, project.slug, shift.pk, signup.pk)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    entry = HoursEntry.objects.get(volunteer=volunteer, shift=shift)
    assert entry.source == HoursEntry.Source.CHECK_IN
    assert entry.minutes == 180
    assert entry.status == HoursEntry.Status.PENDING
    client.post(url)  # a second tap changes nothing
    assert HoursEntry.objects.filter(volunteer=volunteer, shift=shift).count() == 1
    text = client.get(_url("volunteering_shift", group, project.slug, shift.pk)).content.decode()
    assert "Checked in" in text


def test_check_in_before_it_opens_says_so(client, group, organizer, project, role):
    later = ShiftFactory(role=role, starts_at=timezone.now() + dt.timedelta(days=2))
    signup = sign_up(later, MembershipFactory(group=group).user)
    client.force_login(organizer)
    response = client.post(
        _url("volunteering_check_in", group, project.slug, later.pk, signup.pk), follow=True
    )
    assert "Check-in opens an hour before the shift starts." in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_only_volunteers_signed_up_are_checked_in(client, group, organizer, project, shift):
    waiting = ShiftSignup.objects.create(
        shift=shift,
        user=MembershipFactory(group=group).user,
        status=ShiftSignup.Status.WAITLISTED,
        waitlist_position=1,
    )
    other_shift = ShiftFactory(role=shift.role, starts_at=shift.starts_at)
    elsewhere = sign_up(other_shift, MembershipFactory(group=group).user)
    client.force_login(organizer)
    for signup in (waiting, elsewhere):
        url = _url("volunteering_check_in", group, project.slug, shift.pk, signup.pk)
        assert client.post(url).status_code == 404
    assert not HoursEntry.objects.exists()


# --- hours -----------------------------------------------------------------------------------


def test_hours_are_verified_in_bulk(client, group, organizer, project):
    volunteers = [MembershipFactory(group=group).user for _ in range(3)]
    entries = [_entry(project, v) for v in volunteers]
    client.force_login(organizer)
    response = client.post(
        _url("volunteering_hours_review", group, project.slug),
        {"entries": [entries[0].pk, entries[1].pk], "decision": "verify"},
    )
    assert response.status_code == 302
    statuses = [HoursEntry.objects.get(pk=e.pk).status for e in entries]
    assert statuses == ["verified", "verified", "pending"]


def test_rejecting_in_bulk_needs_a_note(client, group, organizer, project):
    entry = _entry(project, MembershipFactory(group=group).user)
    client.force_login(organizer)
    url = _url("volunteering_hours_review", group, project.slug)
    response = client.post(url, {"entries": [entry.pk], "decision": "reject"})
    assert response.status_code == 400
    assert "Say why the hours are rejected." in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "pending"
    client.post(url, {"entries": [entry.pk], "decision": "reject", "note": "Not on the rota"})
    entry.refresh_from_db()
    assert entry.status == "rejected"
    assert entry.review_note == "Not on the rota"


def test_own_hours_are_reported_while_the_others_are_verified(client, group, host, project):
    own = _entry(project, host)
    other = _entry(project, MembershipFactory(group=group).user)
    client.force_login(host)
    response = client.post(
        _url("volunteering_hours_review", group, project.slug),
        {"entries": [own.pk, other.pk], "decision": "verify"},
        follow=True,
    )
    assert "Someone else reviews your own hours." in response.content.decode()
    assert HoursEntry.objects.get(pk=own.pk).status == "pending"
    assert HoursEntry.objects.get(pk=other.pk).status == "verified"


def test_hours_csv_has_a_header_and_neutralized_formulas(client, group, organizer, project):
    _entry(project, MembershipFactory(group=group, user__display_name="=cmd|x").user, minutes=90)
    client.force_login(organizer)
    response = client.get(_url("volunteering_hours_csv", group, project.slug))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["entry", "date worked", "volunteer"]
    assert rows[1][2] == "'=cmd|x"
    assert len(rows) == 2
    bad = client.get(
        _url("volunteering_hours_csv", group, project.slug),
        {"date_from": "2027-02-01", "date_to": "2027-01-01"},
    )
    assert bad.status_code == 400
    empty = client.get(
        _url("volunteering_hours_csv", group, project.slug),
        {"date_from": "2001-01-01", "date_to": "2001-12-31"},
    )
    assert len(list(csv.reader(io.StringIO(empty.content.decode())))) == 1


def test_header_counts_hours_waiting_for_a_coordinator(client, group, host, project):
    _entry(project, MembershipFactory(group=group).user)
    _entry(project, host)  # their own: someone else reviews it
    client.force_login(host)
    text = client.get(reverse("workspace:index")).content.decode()
    assert "1 needs you" in text
    assert "1 hours entry to verify" in text
    Membership.objects.filter(group=group, user=host).update(role=Membership.Role.MEMBER)
    assert "needs you" not in client.get(reverse("groups:mine")).content.decode()


# --- query counts ----------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_project_list_queries_do_not_grow_with_projects(client, group, organizer):
    client.force_login(organizer)
    url = _url("volunteering", group)

    def count_for(n):
        for _i in range(n):
            role = RoleFactory(project=VolunteerProjectFactory(group=group))
            shift = ShiftFactory(role=role, capacity=1)
            signup_create(shift=shift, user=MembershipFactory(group=group).user)
            signup_create(shift=shift, user=MembershipFactory(group=group).user)
            _entry(role.project, MembershipFactory(group=group).user)
        return _queries(client, url)

    assert count_for(1) == count_for(9) == count_for(90)


def test_project_page_queries_do_not_grow_with_shifts_or_hours(
    client, group, organizer, project, role
):
    client.force_login(organizer)
    url = _url("volunteering_project", group, project.slug)

    def count_for(n):
        for _i in range(n):
            shift = ShiftFactory(role=role, capacity=3)
            volunteer = MembershipFactory(group=group).user
            sign_up(shift, volunteer)
            _entry(project, volunteer, shift=shift)
        ShiftSeries.objects.create(
            role=RoleFactory(project=project),
            rrule="FREQ=WEEKLY",
            first_starts_at=timezone.now() + dt.timedelta(days=400),
            duration=dt.timedelta(hours=1),
        )
        return _queries(client, url)

    assert count_for(1) == count_for(9) == count_for(90)


def test_shift_page_queries_do_not_grow_with_volunteers(client, group, organizer, project, shift):
    client.force_login(organizer)
    Shift.objects.filter(pk=shift.pk).update(capacity=None)
    url = _url("volunteering_shift", group, project.slug, shift.pk)

    def count_for(n):
        for _i in range(n):
            signup = sign_up(shift, MembershipFactory(group=group).user)
            HoursEntry.objects.create(
                volunteer=signup.user,
                project=project,
                shift=shift,
                signup=signup,
                worked_on=timezone.localdate(),
                minutes=60,
                source=HoursEntry.Source.CHECK_IN,
                logged_by=organizer,
            )
            sign_up(shift, MembershipFactory(group=group).user)
        return _queries(client, url)

    assert count_for(1) == count_for(9) == count_for(90)


def test_a_project_is_cancelled_with_a_message(client, group, organizer, project, shift):
    volunteer = MembershipFactory(group=group).user
    signup_create(shift=shift, user=volunteer)
    client.force_login(organizer)
    url = _url("volunteering_project_cancel", group, project.slug)
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "We lost the hall."})
    assert response.status_code == 302
    project.refresh_from_db()
    shift.refresh_from_db()
    assert project.is_cancelled
    assert shift.is_cancelled
    assert shift.cancellation_message == "We lost the hall."


def test_the_public_project_page_links_coordinators_to_the_workspace(
    client, group, organizer, member, project
):
    link = _url("volunteering_project", group, project.slug)
    client.force_login(member)
    assert link not in client.get(project.get_absolute_url()).content.decode()
    client.force_login(organizer)
    assert link in client.get(project.get_absolute_url()).content.decode()


def test_fill_rate_counts_only_shifts_with_a_limit(client, group, organizer, project, shift):
    open_ended = ShiftFactory(role=shift.role, capacity=None)
    for _i in range(3):
        signup_create(shift=open_ended, user=MembershipFactory(group=group).user)
    signup_create(shift=shift, user=MembershipFactory(group=group).user)
    client.force_login(organizer)
    text = client.get(_url("volunteering", group)).content.decode()
    assert "1 of 2 places filled (50%)" in text
    assert "3 places taken on 1 shift without a limit" in text


def test_dashboard_tells_hosts_and_organizers_of_hours_to_verify(
    client, group, organizer, host, project
):
    for person in (organizer, host):
        client.force_login(person)
        assert "to verify" not in client.get(_url("dashboard", group)).content.decode()
    _entry(project, MembershipFactory(group=group).user)
    for person in (organizer, host):
        client.force_login(person)
        assert "1 hours entry to verify" in client.get(_url("dashboard", group)).content.decode()
