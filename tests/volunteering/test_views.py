"""The volunteering pages: what each viewer sees, the sign-up step, 404 for hidden things, and
a constant number of queries for 1, 10 and 100 shifts and sign-ups."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Membership
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    RoleFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from volunteering.models import Shift, ShiftSignup
from volunteering.services import signup_create

pytestmark = pytest.mark.django_db
SIZES = [1, 10, 100]


def _signup_url(shift):
    return reverse("volunteering:signup", kwargs={"slug": shift.role.project.slug, "pk": shift.pk})


def test_browse_finds_projects_by_text_cause_skill_and_remote(client):
    VolunteerProjectFactory(title="Food bank", skills="driving", cause="food")
    VolunteerProjectFactory(
        title="Phone friends", cause="elderly", remote=True, venue_name="", address=""
    )
    url = reverse("volunteering:list")
    assert "Food bank" in client.get(url, {"q": "bank"}).text
    assert "Phone friends" not in client.get(url, {"q": "bank"}).text
    assert "Phone friends" in client.get(url, {"cause": "elderly"}).text
    assert "Food bank" in client.get(url, {"skills": "driv"}).text
    remote = client.get(url, {"remote": "remote"}).text
    assert "Phone friends" in remote
    assert "Food bank" not in remote


def test_browse_by_distance_and_date(client):
    near = VolunteerProjectFactory(title="Leeds pantry", latitude=53.8, longitude=-1.55)
    VolunteerProjectFactory(title="London pantry", latitude=51.5, longitude=-0.12)
    shift = ShiftFactory(role__project=near)
    url = reverse("volunteering:list")
    page = client.get(url, {"lat": 53.8, "lon": -1.5, "radius_km": 20}).text
    assert "Leeds pantry" in page
    assert "London pantry" not in page
    day = timezone.localdate(shift.starts_at).isoformat()
    page = client.get(url, {"date_from": day, "date_to": day}).text
    assert "Leeds pantry" in page
    assert "London pantry" not in page


def test_bad_search_input_is_a_form_error(client):
    response = client.get(reverse("volunteering:list"), {"lat": "91", "lon": "x"})
    assert response.status_code == 200
    assert response.context["page"] is None


def test_private_groups_projects_are_hidden_from_outsiders(client):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    project = VolunteerProjectFactory(group=group, title="Secret circle helpers")
    shift = ShiftFactory(role__project=project)
    assert "Secret circle" not in client.get(reverse("volunteering:list")).text
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.get(shift.get_absolute_url()).status_code == 404
    ics = reverse("volunteering:shift_ics", kwargs={"slug": project.slug, "pk": shift.pk})
    assert client.get(ics).status_code == 404
    client.force_login(UserFactory())
    assert client.post(_signup_url(shift)).status_code == 404
    member = MembershipFactory(group=group).user
    client.force_login(member)
    assert client.get(shift.get_absolute_url()).status_code == 200


def test_views_declare_their_methods(client):
    shift = ShiftFactory()
    assert client.post(reverse("volunteering:list")).status_code == 405
    assert client.post(shift.get_absolute_url()).status_code == 405
    assert client.get(_signup_url(shift)).status_code == 405
    withdraw = reverse(
        "volunteering:withdraw", kwargs={"slug": shift.role.project.slug, "pk": shift.pk}
    )
    assert client.get(withdraw).status_code == 405


def test_anonymous_signup_goes_to_login(client):
    shift = ShiftFactory()
    response = client.post(_signup_url(shift))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_signup_with_waiver_and_age_then_withdraw(client):
    project = VolunteerProjectFactory(
        waiver_text="Wear closed shoes.", waiver_version=1, minimum_age=16
    )
    shift = ShiftFactory(role__project=project)
    person = UserFactory()
    client.force_login(person)
    page = client.get(shift.get_absolute_url()).text
    assert "Wear closed shoes." in page
    assert "at least 16" in page

    refused = client.post(_signup_url(shift), {"age_confirmed": "on"})
    assert refused.status_code == 400
    assert "accept the agreement" in refused.text

    done = client.post(_signup_url(shift), {"accept_waiver": "on", "age_confirmed": "on"})
    assert done.status_code == 302
    signup = ShiftSignup.objects.get(user=person)
    assert signup.status == ShiftSignup.Status.SIGNED_UP
    page = client.get(shift.get_absolute_url()).text
    assert "You&#x27;re signed up" in page or "You're signed up" in page
    assert "2 Mill Lane" in page  # the address, now that they are signed up

    withdraw = reverse("volunteering:withdraw", kwargs={"slug": project.slug, "pk": shift.pk})
    assert client.post(withdraw).status_code == 302
    signup.refresh_from_db()
    assert signup.status == ShiftSignup.Status.WITHDRAWN


def test_address_is_for_volunteers_signed_up(client):
    shift = ShiftFactory()
    page = client.get(shift.get_absolute_url()).text
    assert "2 Mill Lane" not in page
    ics = reverse(
        "volunteering:shift_ics", kwargs={"slug": shift.role.project.slug, "pk": shift.pk}
    )
    assert b"2 Mill Lane" not in client.get(ics).content
    person = UserFactory()
    signup_create(shift=shift, user=person)
    client.force_login(person)
    assert b"2 Mill Lane" in client.get(ics).content


def test_team_signup_from_the_page(client):
    shift = ShiftFactory(capacity=3)
    person = UserFactory()
    client.force_login(person)
    client.post(_signup_url(shift), {"team": "Sam\nAlex\n"})
    shift.refresh_from_db()
    assert shift.seats_taken == 3
    assert ShiftSignup.objects.get(user=person).team == ["Sam", "Alex"]


def test_signups_are_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "shift_signup": (1, 3600)}
    client.force_login(UserFactory())
    first, second = ShiftFactory(), ShiftFactory()
    assert client.post(_signup_url(first)).status_code == 302
    assert client.post(_signup_url(second)).status_code == 429
    assert not ShiftSignup.objects.filter(shift=second).exists()


def test_my_shifts_lists_coming_and_waitlisted_shifts(client):
    person = UserFactory()
    full = ShiftFactory(capacity=1)
    signup_create(shift=full, user=UserFactory())
    mine = ShiftFactory()
    signup_create(shift=mine, user=person)
    signup_create(shift=full, user=person)
    client.force_login(person)
    page = client.get(reverse("volunteering:mine")).text
    assert mine.role.name in page
    assert "On the waitlist" in page


def test_shifts_are_in_the_private_calendar_feed(client):
    person = UserFactory()
    shift = ShiftFactory()
    signup_create(shift=shift, user=person)
    hidden = ShiftFactory(role__project__group__visibility=Group.Visibility.PRIVATE)
    feed = client.get(reverse("calendar_feed", kwargs={"token": person.calendar_token}))
    assert f"shift-{shift.pk}@".encode() in feed.content
    assert f"shift-{hidden.pk}@".encode() not in feed.content


# --- constant query counts ---------------------------------------------------------------------


def _project_with_shifts(n, *, volunteer=None):
    project = VolunteerProjectFactory()
    role = RoleFactory(project=project)
    start = timezone.now() + dt.timedelta(days=2)
    shifts = [
        ShiftFactory(role=role, starts_at=start + dt.timedelta(days=i), capacity=3)
        for i in range(n)
    ]
    if volunteer is not None:
        for shift in shifts:
            signup_create(shift=shift, user=volunteer)
    return project, shifts


@pytest.mark.parametrize("n", SIZES)
def test_browse_queries_do_not_grow(client, django_assert_num_queries, n):
    for _ in range(n):
        ShiftFactory()
    # the page of projects (one row more: is there a next page? no count) with their groups
    # and open shift counts
    with django_assert_num_queries(1):
        response = client.get(reverse("volunteering:list"))
    assert len(response.context["page"].object_list) == min(n, 20)
    assert response.context["page"].has_next == (n > 20)


@pytest.mark.parametrize("n", SIZES)
def test_project_page_queries_do_not_grow(client, django_assert_num_queries, n):
    person = UserFactory()
    project, _shifts = _project_with_shifts(n, volunteer=person)
    client.force_login(person)
    # user (the session comes from the cache), project, shifts with roles, the viewer's
    # sign-ups, membership (manage?), the header's counts
    with django_assert_num_queries(6):
        response = client.get(project.get_absolute_url())
    assert len(response.context["rows"]) == min(n, 50)
    assert response.context["page"].has_next == (n > 50)


@pytest.mark.parametrize("n", SIZES)
def test_project_page_queries_do_not_grow_for_a_visitor(client, django_assert_num_queries, n):
    project, _shifts = _project_with_shifts(n)
    # project, a page of shifts with roles (one more row: is there a next one?)
    with django_assert_num_queries(2):
        response = client.get(project.get_absolute_url())
    assert len(response.context["rows"]) == min(n, 50)


@pytest.mark.parametrize("n", SIZES)
def test_my_shifts_and_feed_queries_do_not_grow(client, django_assert_num_queries, n):
    person = UserFactory()
    _project_with_shifts(n, volunteer=person)
    client.force_login(person)
    # user (the session comes from the cache), a page of past sign-ups (none), coming sign-ups
    # with shift, role, project and group, the header's counts
    with django_assert_num_queries(4):
        response = client.get(reverse("volunteering:mine"))
    assert len(response.context["rows"]) == n
    client.logout()
    # user by token, events (none), shifts with role, project and group
    with django_assert_num_queries(3):
        client.get(reverse("calendar_feed", kwargs={"token": person.calendar_token}))


@pytest.mark.parametrize("n", SIZES)
def test_my_shifts_queries_do_not_grow_with_past_shifts(client, django_assert_num_queries, n):
    person = UserFactory()
    _project_with_shifts(n, volunteer=person)
    role = RoleFactory()
    for i in range(n):
        starts = timezone.now() - dt.timedelta(days=2 + i)
        shift = ShiftFactory(role=role, starts_at=starts, seats_taken=1)
        ShiftSignup.objects.create(shift=shift, user=person, status=ShiftSignup.Status.SIGNED_UP)
    client.force_login(person)
    # user, a page of past sign-ups (one row more: no count), coming sign-ups, the header's
    # counts
    with django_assert_num_queries(4):
        response = client.get(reverse("volunteering:mine"))
    assert len(response.context["rows"]) == n
    assert len(response.context["past"].object_list) == min(n, 20)
    assert response.context["past"].has_next == (n > 20)
    if n > 20:
        later = client.get(reverse("volunteering:mine"), {"page": 9}).context["past"]
        assert later.number == (n - 1) // 20 + 1  # past the end: the last page
        assert later.object_list[-1].shift.starts_at < later.object_list[0].shift.starts_at


@pytest.mark.parametrize("n", SIZES)
def test_shift_page_queries_do_not_grow_with_signups(client, django_assert_num_queries, n):
    _project, (shift,) = _project_with_shifts(1)

    Shift.objects.filter(pk=shift.pk).update(capacity=n + 5)
    for _ in range(n):
        signup_create(shift=shift, user=UserFactory())
    person = UserFactory()
    client.force_login(person)
    # user (the session comes from the cache), shift with role, project and group, the
    # viewer's sign-up, membership, the header's counts: the same whatever the sign-ups
    with django_assert_num_queries(5):
        client.get(shift.get_absolute_url())


def test_group_page_lists_projects(client):
    group = GroupFactory()
    VolunteerProjectFactory(group=group, title="River clean-up")
    assert "River clean-up" in client.get(group.get_absolute_url()).text


def test_banned_person_cannot_sign_up_from_the_page(client):
    group = GroupFactory()
    shift = ShiftFactory(role__project__group=group)
    banned = MembershipFactory(group=group, status=Membership.Status.BANNED).user
    client.force_login(banned)
    response = client.post(_signup_url(shift))
    assert response.status_code in (400, 404)
    assert not ShiftSignup.objects.filter(user=banned).exists()


def _team_url(shift):
    return reverse("volunteering:team", kwargs={"slug": shift.role.project.slug, "pk": shift.pk})


def test_changing_the_team_from_the_shift_page(client):
    shift = ShiftFactory(capacity=3)
    person = UserFactory()
    signup_create(shift=shift, user=person, team=["Ann"])
    assert client.post(_team_url(shift)).status_code == 302  # anonymous: log in first
    client.force_login(person)
    page = client.get(shift.get_absolute_url()).text
    assert "Change my team" in page
    response = client.post(_team_url(shift), {"team": "Ann\nBo"})
    assert response.status_code == 302
    signup = ShiftSignup.objects.get(user=person)
    assert signup.team == ["Ann", "Bo"]
    too_many = client.post(_team_url(shift), {"team": "Ann\nBo\nCy"})
    assert too_many.status_code == 400
    assert "more place(s) are free" in too_many.text
    signup.refresh_from_db()
    assert signup.team == ["Ann", "Bo"]


def test_someone_not_signed_up_changes_no_team(client):
    shift = ShiftFactory(capacity=3)
    signup_create(shift=shift, user=UserFactory(), team=["Ann"])
    client.force_login(UserFactory())
    response = client.post(_team_url(shift), {"team": ""}, follow=True)
    assert "You are not signed up for this shift." in response.text
    assert ShiftSignup.objects.get().team == ["Ann"]


def test_withdrawing_after_the_start_says_why_not(client):
    import time_machine

    from volunteering.services.signups import WITHDRAW_AFTER_START

    shift = ShiftFactory()
    person = UserFactory()
    signup_create(shift=shift, user=person)
    client.force_login(person)
    withdraw = reverse(
        "volunteering:withdraw", kwargs={"slug": shift.role.project.slug, "pk": shift.pk}
    )
    with time_machine.travel(shift.starts_at + dt.timedelta(minutes=10)):
        response = client.post(withdraw, follow=True)
    assert "tell the coordinator" in response.text
    assert "tell the coordinator" in str(WITHDRAW_AFTER_START)
    assert ShiftSignup.objects.get(user=person).status == ShiftSignup.Status.SIGNED_UP


def test_a_projects_shifts_come_in_pages(client):
    project, shifts = _project_with_shifts(52)
    first = client.get(project.get_absolute_url())
    assert len(first.context["rows"]) == 50
    assert 'rel="next"' in first.content.decode()
    second = client.get(project.get_absolute_url(), {"page": 2})
    assert [row["shift"] for row in second.context["rows"]] == shifts[50:]
    assert 'rel="prev"' in second.content.decode()
    assert 'rel="next"' not in second.content.decode()
    # not a number: the first page; past the end: the last
    assert client.get(project.get_absolute_url(), {"page": "x"}).context["page"].number == 1
    assert client.get(project.get_absolute_url(), {"page": 9}).context["page"].number == 2


def test_browse_comes_in_pages_without_a_count(client):
    for _ in range(21):
        ShiftFactory()
    first = client.get(reverse("volunteering:list"))
    assert "found" not in first.content.decode()
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("volunteering:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert 'rel="prev"' in second.content.decode()
