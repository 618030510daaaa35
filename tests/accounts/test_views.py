"""Profile, data download and deletion pages: who may open them, and what they do."""

import json

import pytest
from django.urls import reverse

from accounts.models import User
from events.models import Rsvp
from events.services import rsvp_create
from groups.models import Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"

PAGES = [
    "accounts:profile",
    "accounts:profile_edit",
    "accounts:data",
    "accounts:delete",
    "account_email",
    "account_change_password",
]
POST_ONLY = ["accounts:calendar_token_reset"]


ALLOWED = [
    *((name, "get") for name in PAGES),
    *((name, "post") for name in PAGES if name != "accounts:profile"),
    *((name, "post") for name in POST_ONLY),
]


@pytest.mark.parametrize(("url_name", "method"), ALLOWED)
def test_anonymous_is_sent_to_log_in(client, url_name, method):
    response = getattr(client, method)(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url_name", PAGES)
def test_pages_render_for_a_member(client, member, url_name):
    client.force_login(member)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="site-header"' in content
    assert 'aria-label="Account settings"' in content
    assert "<script" not in content


@pytest.mark.parametrize("url_name", POST_ONLY)
def test_post_only_actions_refuse_get(client, member, url_name):
    client.force_login(member)
    assert client.get(reverse(url_name)).status_code == 405


@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:profile",
        "accounts:profile_edit",
        "accounts:data",
        "accounts:delete",
        "accounts:calendar_token_reset",
    ],
)
def test_other_methods_are_refused(client, member, url_name):
    client.force_login(member)
    assert client.put(reverse(url_name)).status_code == 405
    assert client.patch(reverse(url_name)).status_code == 405
    assert client.delete(reverse(url_name)).status_code == 405


def test_profile_page_refuses_post(client, member):
    client.force_login(member)
    assert client.post(reverse("accounts:profile")).status_code == 405


def test_profile_shows_own_details_and_settings_links(client, member):
    client.force_login(member)
    content = client.get(reverse("accounts:profile")).content.decode()
    assert "Ann Example" in content
    assert "ann@example.com" in content
    for url_name in ("account_email", "account_change_password", "accounts:data"):
        assert f'href="{reverse(url_name)}"' in content
    assert f'href="{reverse("accounts:delete")}"' in content


def _profile_data(**changes):
    data = {
        "display_name": "Ann E.",
        "pronouns": "she/her",
        "bio": "Alto in the choir.",
        "city": "Leeds",
        "timezone": "Europe/London",
        "interests": "singing, walking",
    }
    data.update(changes)
    return data


def test_profile_edit_saves(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile_edit"), _profile_data(show_first_name_only="on")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    member.refresh_from_db()
    assert member.display_name == "Ann E."
    assert member.show_first_name_only
    assert member.public_name == "Ann"
    # The town's point, for "near you": never typed as coordinates.
    assert (member.latitude, member.longitude) == pytest.approx((53.796, -1.548), abs=0.01)
    assert member.interest_list == ["singing", "walking"]


def test_profile_edit_offers_iana_time_zones(client, member):
    client.force_login(member)
    content = client.get(reverse("accounts:profile_edit")).content.decode()
    assert '<label for="id_timezone">' in content
    assert '<option value="America/Argentina/Buenos_Aires">' in content
    assert '<option value="Europe/London">' in content
    assert 'name="latitude"' not in content


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"display_name": "x" * 81}, "display_name"),
    ],
)
def test_profile_edit_rejects_bad_input_with_form_errors(client, member, changes, field):
    client.force_login(member)
    response = client.post(reverse("accounts:profile_edit"), _profile_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert 'aria-invalid="true"' in content
    member.refresh_from_db()
    assert member.display_name == "Ann Example"
    assert member.latitude is None


def test_a_town_the_gazetteer_does_not_know_is_kept_without_a_point(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile_edit"), _profile_data(city="Little Snoring", latitude="53")
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.city, member.latitude, member.longitude) == ("Little Snoring", None, None)


def test_data_page_explains_and_post_downloads_json(client, member, make_user):
    other = make_user(email="zed@example.com", display_name="Zed Other")
    group = GroupFactory(name="Walkers")
    MembershipFactory(group=group, user=member)
    MembershipFactory(group=group, user=other)
    client.force_login(member)

    page = client.get(reverse("accounts:data"))
    assert page.status_code == 200
    assert b'<form method="post"' in page.content

    response = client.post(reverse("accounts:data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="connect-data-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == "ann@example.com"
    assert [m["group"] for m in data["groups"]["memberships"]] == ["Walkers"]
    assert b"zed@example.com" not in response.content
    assert b"Zed Other" not in response.content


def test_delete_needs_the_right_password(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    member.refresh_from_db()
    assert member.deleted_at is None

    response = client.post(reverse("accounts:delete"), {})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors


def test_delete_anonymizes_logs_out_and_frees_the_seat(client, member, make_user):
    waiting_user = make_user(email="wait@example.com")
    group = GroupFactory()
    MembershipFactory(group=group, user=member)
    MembershipFactory(group=group, user=waiting_user)
    event = EventFactory(group=group, capacity=1)
    rsvp_create(event=event, user=member)
    waiting = rsvp_create(event=event, user=waiting_user)
    client.force_login(member)

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account has been deleted" in response.content.decode()
    assert "_auth_user_id" not in client.session
    member = User.objects.get(pk=member.pk)
    assert member.deleted_at is not None
    assert member.email == f"deleted-{member.pk}@invalid.example"
    waiting.refresh_from_db()
    assert waiting.status == Rsvp.Status.GOING

    response = client.post(
        reverse("account_login"), {"login": "ann@example.com", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_delete_is_blocked_for_the_last_organizer(client, member):
    group = GroupFactory(name="Night Walkers")
    MembershipFactory(group=group, user=member, role=Membership.Role.ORGANIZER)
    client.force_login(member)

    page = client.get(reverse("accounts:delete"))
    assert "Night Walkers" in page.content.decode()
    assert 'name="password"' not in page.content.decode()

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "Night Walkers" in response.content.decode()
    member.refresh_from_db()
    assert member.deleted_at is None
    assert int(client.session["_auth_user_id"]) == member.pk


def test_calendar_link_reset_replaces_the_token(client, member):
    old = member.calendar_token
    client.force_login(member)
    response = client.post(reverse("accounts:calendar_token_reset"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.calendar_token != old
