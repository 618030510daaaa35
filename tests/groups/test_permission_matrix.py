"""Who gets what from every groups page and action: role, endpoint and method → status.

"login" means a redirect to the login page; 302 any other redirect (done, or refused with a
message); 404 "you may not see this"; 405 wrong method.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from core.moderation import moderation_session_start
from groups.models import Group, Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "pending",
    "member",
    "host",
    "organizer",
    "other_organizer",
    "banned",
    "staff",
    "superuser",
    "moderator",
]
VISIBILITIES = ["public", "unlisted", "private", "private_listed"]


def world_for(visibility: str) -> dict:
    group = GroupFactory(
        visibility=Group.Visibility.PRIVATE
        if visibility.startswith("private")
        else Group.Visibility(visibility),
        listed_when_private=visibility == "private_listed",
        join_question="",
    )
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "staff": UserFactory(is_staff=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "moderator": UserFactory(is_staff=True, is_superuser=True),
    }
    moderation_session_start(actor=people["moderator"], reason="Looking into a report")
    for role, kwargs in {
        "pending": {"status": Membership.Status.PENDING, "joined_at": None},
        "member": {},
        "host": {"role": Membership.Role.HOST},
        "organizer": {"role": Membership.Role.ORGANIZER},
        "banned": {"status": Membership.Status.BANNED},
    }.items():
        people[role] = MembershipFactory(group=group, **kwargs).user
    people["other_organizer"] = MembershipFactory(role=Membership.Role.ORGANIZER).user
    target = MembershipFactory(group=group).user
    applicant = MembershipFactory(
        group=group, status=Membership.Status.PENDING, joined_at=None
    ).user
    banned_target = MembershipFactory(group=group, status=Membership.Status.BANNED).user
    return {
        "group": group,
        "people": people,
        "target": target,
        "applicant": applicant,
        "banned_target": banned_target,
    }


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """A world per visibility, made once for this module (the matrix has a thousand cases)
    inside a transaction that is rolled back at its end; each test runs in a savepoint within
    it (pytest-django nests them), so whatever a test's request changes is undone before the
    next test. The worlds are kept as ids: each test loads its own copies of the rows."""
    with django_db_blocker.unblock(), transaction.atomic():
        made = {visibility: world_for(visibility) for visibility in VISIBILITIES}
        yield {
            visibility: {
                "group": world["group"].pk,
                "people": {role: user and user.pk for role, user in world["people"].items()},
                **{who: world[who].pk for who in ("target", "applicant", "banned_target")},
            }
            for visibility, world in made.items()
        }
        transaction.set_rollback(True)


def shared_world(worlds: dict, visibility: str) -> dict:
    """The module's world for `visibility`, as world_for returns it, loaded fresh."""
    ids = worlds[visibility]
    users = User.objects.in_bulk(
        [pk for pk in ids["people"].values() if pk is not None]
        + [ids[who] for who in ("target", "applicant", "banned_target")]
    )
    return {
        "group": Group.objects.get(pk=ids["group"]),
        "people": {role: pk and users[pk] for role, pk in ids["people"].items()},
        **{who: users[ids[who]] for who in ("target", "applicant", "banned_target")},
    }


def edit_data(group: Group) -> dict:
    data = {
        "name": group.name + " (edited)",
        "description": group.description,
        "category": group.category,
        "city": group.city,
        "visibility": group.visibility,
        "join_policy": group.join_policy,
        "join_question": group.join_question,
        "member_list_visibility": group.member_list_visibility,
        "code_of_conduct": group.code_of_conduct,
    }
    if group.listed_when_private:
        data["listed_when_private"] = "on"
    return data


HIDDEN_PRIVATE_OUTSIDERS = {
    "anonymous",
    "outsider",
    "pending",
    "other_organizer",
    "banned",
    "staff",
    "superuser",
}
# Superusers in a moderation session are the site's moderators: every organizer's page and
# action is open to them. Outside a session a superuser is anyone.
MEMBER_LIST = {"member", "host", "organizer", "moderator"}
ORGANIZERS = {"organizer", "moderator"}


def expect_detail(role, visibility):
    if visibility == "private" and role in HIDDEN_PRIVATE_OUTSIDERS:
        return 404
    return 200


def expect_join(method):
    def rule(role, visibility):
        if role == "anonymous":
            return "login"
        if visibility == "private" and role in HIDDEN_PRIVATE_OUTSIDERS:
            return 404
        if role in {"outsider", "other_organizer", "staff", "superuser", "moderator"}:
            return 200 if method == "get" else 302
        return 302  # already a member, already asked, or banned: back to the group page

    return rule


def expect_leave(role, visibility):
    if role == "anonymous":
        return "login"
    # Someone who asked to join may always withdraw the request, even once the group is hidden.
    if visibility == "private" and role in HIDDEN_PRIVATE_OUTSIDERS - {"pending"}:
        return 404
    return 302


def expect_leave_page(role, visibility):
    """The confirmation page: for people in the group or asking to join; anyone else is sent
    back to the group's page (or gets the 404 the group gives them)."""
    if role in {"pending", "member", "host", "organizer"} and expect_leave(role, visibility) != 404:
        return 200
    return expect_leave(role, visibility)


def only(allowed: set, ok_status):
    def rule(role, visibility):
        if role == "anonymous":
            return "login"
        return ok_status if role in allowed else 404

    return rule


# (endpoint, method, url name, whose user id goes in the url, expected-status rule)
CASES = [
    ("detail", "get", "groups:detail", None, expect_detail),
    ("edit", "get", "groups:edit", None, only(ORGANIZERS, 200)),
    ("edit", "post", "groups:edit", None, only(ORGANIZERS, 302)),
    ("join", "get", "groups:join", None, expect_join("get")),
    ("join", "post", "groups:join", None, expect_join("post")),
    ("leave", "get", "groups:leave", None, expect_leave_page),
    ("leave", "post", "groups:leave", None, expect_leave),
    ("members", "get", "groups:members", None, only(MEMBER_LIST, 200)),
    ("member", "get", "groups:member", "target", only(MEMBER_LIST, 200)),
    ("requests", "get", "groups:requests", None, only(ORGANIZERS, 200)),
    ("approve", "get", "groups:request_approve", "applicant", lambda role, visibility: 405),
    ("approve", "post", "groups:request_approve", "applicant", only(ORGANIZERS, 302)),
    ("decline", "post", "groups:request_decline", "applicant", only(ORGANIZERS, 302)),
    ("role", "get", "groups:member_role", "target", lambda role, visibility: 405),
    ("role", "post", "groups:member_role", "target", only(ORGANIZERS, 302)),
    ("remove", "post", "groups:member_remove", "target", only({*ORGANIZERS, "host"}, 302)),
    ("ban", "get", "groups:member_ban", "target", lambda role, visibility: 405),
    ("ban", "post", "groups:member_ban", "target", only(ORGANIZERS, 302)),
    ("unban", "get", "groups:member_unban", "banned_target", lambda role, visibility: 405),
    ("unban", "post", "groups:member_unban", "banned_target", only(ORGANIZERS, 302)),
    ("delete", "get", "groups:delete", None, only(ORGANIZERS, 200)),
    ("delete", "post", "groups:delete", None, only(ORGANIZERS, 302)),
]


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("endpoint", "method", "url_name", "who", "rule"),
    CASES,
    ids=[f"{case[0]}-{case[1]}" for case in CASES],
)
def test_group_pages_answer_each_role(
    client, worlds, visibility, role, endpoint, method, url_name, who, rule
):
    world = shared_world(worlds, visibility)
    group = world["group"]
    user = world["people"][role]
    if user is not None:
        client.force_login(user)
    kwargs = {"slug": group.slug}
    if who:
        kwargs["user_id"] = world[who].pk
    url = reverse(url_name, kwargs=kwargs)
    data = {}
    if endpoint == "edit":
        data = edit_data(group)
    elif endpoint == "role":
        data = {"role": Membership.Role.HOST}
    response = getattr(client, method)(url, data)
    expected = rule(role, visibility)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected
        if expected == 302:
            assert not response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url_name", "method", "logged_in_status"),
    [
        ("groups:list", "get", 200),
        ("groups:mine", "get", 200),
        ("groups:create", "get", 200),
        ("groups:create", "post", 302),
    ],
)
def test_directory_pages_answer_each_role(client, worlds, role, url_name, method, logged_in_status):
    world = shared_world(worlds, "public")
    user = world["people"][role]
    if user is not None:
        client.force_login(user)
    data = {
        "name": "Board games",
        "category": "games",
        "visibility": "public",
        "join_policy": "open",
        "member_list_visibility": "members",
    }
    response = getattr(client, method)(reverse(url_name), data if method == "post" else {})
    if user is None and url_name != "groups:list":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not Group.objects.filter(name="Board games").exists()
    else:
        assert response.status_code == logged_in_status
        if method == "post":
            assert Group.objects.filter(name="Board games").exists()


@pytest.mark.parametrize("role", ["member", "host", "organizer"])
def test_member_list_for_organizers_only_hides_it_from_members_and_hosts(client, role):
    world = world_for("public")
    group = world["group"]
    group.member_list_visibility = Group.MemberListVisibility.ORGANIZERS
    group.save()
    client.force_login(world["people"][role])
    expected = 200 if role == "organizer" else 404
    members = client.get(reverse("groups:members", kwargs={"slug": group.slug}))
    profile = client.get(
        reverse("groups:member", kwargs={"slug": group.slug, "user_id": world["target"].pk})
    )
    remove = client.post(
        reverse("groups:member_remove", kwargs={"slug": group.slug, "user_id": world["target"].pk})
    )
    assert (members.status_code, profile.status_code) == (expected, expected)
    assert remove.status_code == (302 if role == "organizer" else 404)


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_unknown_group_and_unknown_member_answer_404(client, visibility):
    world = world_for(visibility)
    group = world["group"]
    client.force_login(world["people"]["organizer"])
    stranger = UserFactory()
    assert client.get(reverse("groups:detail", kwargs={"slug": "no-such-group"})).status_code == 404
    for name in ("groups:member", "groups:member_remove", "groups:member_ban"):
        method = client.get if name == "groups:member" else client.post
        url = reverse(name, kwargs={"slug": group.slug, "user_id": stranger.pk})
        assert method(url).status_code == 404


def test_host_removing_an_organizer_is_refused_with_a_message_and_changes_nothing(client):
    world = world_for("public")
    group = world["group"]
    client.force_login(world["people"]["host"])
    organizer = world["people"]["organizer"]
    response = client.post(
        reverse("groups:member_remove", kwargs={"slug": group.slug, "user_id": organizer.pk}),
        follow=True,
    )
    assert response.status_code == 200
    assert "Only the group&#x27;s organizers can do that." in response.content.decode()
    assert Membership.objects.filter(
        group=group, user=organizer, status=Membership.Status.ACTIVE
    ).exists()


@pytest.mark.parametrize("status", [Membership.Status.PENDING, Membership.Status.BANNED])
def test_host_cannot_tell_pending_or_banned_people_from_strangers(client, status):
    world = world_for("public")
    group = world["group"]
    client.force_login(world["people"]["host"])
    hidden = UserFactory()
    Membership.objects.create(group=group, user=hidden, status=status)
    stranger = UserFactory()
    for name in ("groups:member_remove", "groups:member_ban"):
        for person in (hidden, stranger):
            url = reverse(name, kwargs={"slug": group.slug, "user_id": person.pk})
            assert client.post(url).status_code == 404
    assert Membership.objects.get(group=group, user=hidden).status == status
