import pytest
from django.contrib.auth.models import AnonymousUser

from core.exceptions import NotFound
from core.moderation import current_session, moderation_session_start
from groups import permissions, selectors
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
    "banned",
    "staff",
    "superuser",
    "superuser_outside_session",
    "inactive_superuser",
    "banned_superuser",
]
# Superusers inside a moderation session.
MODERATORS = {"superuser", "banned_superuser"}
PREDICATES = [
    "is_active_member",
    "can_view_group",
    "can_view_group_content",
    "can_view_members",
    "can_manage_group",
    "can_manage_events",
]
# For each visibility, the roles for which each predicate says yes.
# Site moderators (superusers in a moderation session) get every answer but membership itself;
# a superuser outside a session, staff status alone and a deactivated superuser get nothing.
YES = {
    "public": {
        "is_active_member": {"member", "host", "organizer"},
        "can_view_group": set(ROLES),
        "can_view_group_content": set(ROLES),
        "can_view_members": {"member", "host", "organizer", *MODERATORS},
        "can_manage_group": {"organizer", *MODERATORS},
        "can_manage_events": {"host", "organizer", *MODERATORS},
    },
    "private": {
        "is_active_member": {"member", "host", "organizer"},
        "can_view_group": {"member", "host", "organizer", *MODERATORS},
        "can_view_group_content": {"member", "host", "organizer", *MODERATORS},
        "can_view_members": {"member", "host", "organizer", *MODERATORS},
        "can_manage_group": {"organizer", *MODERATORS},
        "can_manage_events": {"host", "organizer", *MODERATORS},
    },
}


def _in_session(user):
    moderation_session_start(actor=user, reason="Looking into a report")
    return user


def person(group, role):
    if role == "anonymous":
        return AnonymousUser()
    if role == "outsider":
        return UserFactory()
    if role == "staff":
        return UserFactory(is_staff=True)
    if role == "superuser":
        return _in_session(UserFactory(is_staff=True, is_superuser=True))
    if role == "superuser_outside_session":
        return UserFactory(is_staff=True, is_superuser=True)
    if role == "inactive_superuser":
        return UserFactory(is_staff=True, is_superuser=True, is_active=False)
    if role == "banned_superuser":
        return _in_session(
            MembershipFactory(
                group=group,
                status=Membership.Status.BANNED,
                user=UserFactory(is_staff=True, is_superuser=True),
            ).user
        )
    kwargs = {
        "pending": {"status": Membership.Status.PENDING},
        "member": {},
        "host": {"role": Membership.Role.HOST},
        "organizer": {"role": Membership.Role.ORGANIZER},
        "banned": {"status": Membership.Status.BANNED},
    }[role]
    return MembershipFactory(group=group, **kwargs).user


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_predicates_by_role(visibility, role):
    group = GroupFactory(visibility=visibility)
    user = person(group, role)
    for name in PREDICATES:
        assert getattr(permissions, name)(user, group) == (role in YES[visibility][name]), name


@pytest.mark.parametrize("role", ROLES)
def test_predicates_agree_with_the_visibility_querysets(role):
    for visibility, listed in [("public", False), ("unlisted", False), ("private", False),
                               ("private", True)]:  # fmt: skip
        group = GroupFactory(visibility=visibility, listed_when_private=listed)
        user = person(group, role)
        assert permissions.can_view_group(user, group) == (group in Group.objects.visible_to(user))
        assert permissions.can_view_group_content(user, group) == (
            group in Group.objects.content_visible_to(user)
        )


@pytest.mark.parametrize("role", ROLES)
def test_predicates_with_a_known_membership_run_no_queries(django_assert_num_queries, role):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    user = person(group, role)
    membership = permissions.membership_get(user, group)
    # A superuser's moderation session is looked up once per user object (once a request).
    current_session(user)
    with django_assert_num_queries(0):
        answers = {
            name: getattr(permissions, name)(user, group, membership=membership)
            for name in PREDICATES
        }
    assert answers == {name: role in YES["private"][name] for name in PREDICATES}


def test_organizers_only_member_list_hides_it_from_members_and_hosts():
    group = GroupFactory(member_list_visibility=Group.MemberListVisibility.ORGANIZERS)
    assert not permissions.can_view_members(person(group, "member"), group)
    assert not permissions.can_view_members(person(group, "host"), group)
    assert permissions.can_view_members(person(group, "organizer"), group)
    assert not permissions.can_remove_members(person(group, "host"), group)


def test_membership_of_another_group_gives_no_rights_here():
    group = GroupFactory()
    elsewhere = MembershipFactory(role=Membership.Role.ORGANIZER)
    assert not permissions.can_manage_group(elsewhere.user, group)
    assert not permissions.can_manage_events(elsewhere.user, group)
    assert not permissions.can_view_members(elsewhere.user, group)
    target = MembershipFactory(group=group)
    assert not permissions.can_remove_member(elsewhere.user, target, membership=elsewhere)


def test_site_moderator_may_remove_anyone_but_themselves():
    group = GroupFactory()
    moderator = _in_session(UserFactory(is_superuser=True))
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    own = MembershipFactory(group=group, user=moderator)
    assert permissions.can_remove_members(moderator, group)
    assert permissions.can_remove_member(moderator, organizer)
    assert not permissions.can_remove_member(moderator, own)
    staff = UserFactory(is_staff=True)
    assert not permissions.can_remove_members(staff, group)
    assert not permissions.can_remove_member(staff, organizer)


def test_membership_get_for_anonymous_is_none(django_assert_num_queries):
    group = GroupFactory()
    with django_assert_num_queries(0):
        assert permissions.membership_get(AnonymousUser(), group) is None


# Selectors


def test_access_group_raises_not_found_for_hidden_private_group():
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    with pytest.raises(NotFound):
        selectors.access_group(user=UserFactory(), slug=group.slug)
    banned = MembershipFactory(group=group, status=Membership.Status.BANNED).user
    with pytest.raises(NotFound):
        selectors.access_group(user=banned, slug=group.slug)
    with pytest.raises(NotFound):
        selectors.access_group(user=UserFactory(is_superuser=True), slug=group.slug)
    with pytest.raises(NotFound):
        selectors.access_group(user=UserFactory(), slug="no-such-group")
    member = MembershipFactory(group=group).user
    assert selectors.access_group(user=member, slug=group.slug) == group


def test_group_counts_count_only_active_members():
    group = GroupFactory()
    MembershipFactory.create_batch(2, group=group)  # with the organizer, three active members
    MembershipFactory(group=group, status=Membership.Status.PENDING)
    MembershipFactory(group=group, status=Membership.Status.BANNED)
    found = selectors.access_group(user=AnonymousUser(), slug=group.slug)
    assert (found.member_count, found.pending_count) == (3, 1)
    listed = selectors.group_list_visible(user=AnonymousUser(), filters={}).get()
    assert listed.member_count == 3


def test_member_list_is_not_found_for_people_who_may_not_see_it():
    group = GroupFactory()
    member = MembershipFactory(group=group)
    pending = MembershipFactory(group=group, status=Membership.Status.PENDING).user
    for user in [UserFactory(), AnonymousUser(), pending]:
        with pytest.raises(NotFound):
            selectors.member_list(group=group, user=user)
        with pytest.raises(NotFound):
            selectors.member_get(group=group, user=user, user_id=member.user_id)


def test_membership_for_management_shows_requests_and_bans_to_organizers_only():
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    member = MembershipFactory(group=group)
    pending = MembershipFactory(group=group, status=Membership.Status.PENDING)
    banned = MembershipFactory(group=group, status=Membership.Status.BANNED)
    for target in [member, pending, banned]:
        found = selectors.membership_for_management(
            group=group, user=organizer, user_id=target.user_id
        )
        assert found == target
    assert selectors.membership_for_management(group=group, user=host, user_id=member.user_id)
    for target in [pending, banned]:
        with pytest.raises(NotFound):
            selectors.membership_for_management(group=group, user=host, user_id=target.user_id)
    with pytest.raises(NotFound):
        selectors.membership_for_management(group=group, user=member.user, user_id=pending.user_id)


def test_member_list_puts_organizers_first_and_skips_requests_and_bans():
    group = GroupFactory()
    member = MembershipFactory(group=group)
    host = MembershipFactory(group=group, role=Membership.Role.HOST)
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    MembershipFactory(group=group, status=Membership.Status.PENDING)
    MembershipFactory(group=group, status=Membership.Status.BANNED)
    listed = list(selectors.member_list(group=group, user=member.user))
    assert listed == [organizer, host, member]


def test_join_requests_only_for_organizers():
    group = GroupFactory()
    pending = MembershipFactory(group=group, status=Membership.Status.PENDING)
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    assert list(selectors.join_request_list(group=group, user=organizer)) == [pending]
    with pytest.raises(NotFound):
        selectors.join_request_list(group=group, user=host)


def test_bans_are_listed_only_for_organizers():
    group = GroupFactory()
    banned = MembershipFactory(group=group, status=Membership.Status.BANNED)
    MembershipFactory(group=group)
    MembershipFactory(group=group, status=Membership.Status.PENDING)
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    assert list(selectors.banned_list(group=group, user=organizer)) == [banned]
    for user in [host, banned.user]:
        with pytest.raises(NotFound):
            selectors.banned_list(group=group, user=user)
