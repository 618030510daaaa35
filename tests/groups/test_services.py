import pytest
from django.contrib.auth.models import AnonymousUser

from core import bus as core_events
from core.exceptions import NotAllowed, ServiceError
from core.moderation import moderation_session_start
from events.models import Event
from groups import notifications, services
from groups.models import Group, Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGANIZER = Membership.Role.ORGANIZER
HOST = Membership.Role.HOST
MEMBER = Membership.Role.MEMBER
ACTIVE = Membership.Status.ACTIVE
PENDING = Membership.Status.PENDING
BANNED = Membership.Status.BANNED


@pytest.fixture
def ended(monkeypatch):
    """Every membership.ended announcement, as (membership pk, user id, status when announced)."""
    seen = []

    def handler(*, topic, membership, **kwargs):
        seen.append((membership.pk, membership.user_id, membership.status))

    monkeypatch.setitem(core_events._subscribers, "membership.ended", [handler])
    return seen


@pytest.fixture
def approved(monkeypatch):
    calls = []
    monkeypatch.setattr(
        notifications,
        "on_join_request_approved",
        lambda *, membership, actor=None: calls.append(membership),
    )
    return calls


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=ORGANIZER)


def fields(**overrides):
    return {"name": "Tuesday choir", "category": "music", "city": "Leeds", **overrides}


# group_create / group_update


def test_group_create_makes_the_creator_an_active_organizer():
    user = UserFactory()
    group = services.group_create(actor=user, **fields())
    membership = Membership.objects.get(group=group, user=user)
    assert (membership.role, membership.status) == (ORGANIZER, ACTIVE)
    assert membership.joined_at is not None
    assert group.created_by == user
    assert group.slug == "tuesday-choir"


def test_group_create_gives_each_group_its_own_slug():
    user = UserFactory()
    slugs = [services.group_create(actor=user, **fields()).slug for _ in range(3)]
    assert slugs == ["tuesday-choir", "tuesday-choir-2", "tuesday-choir-3"]


def test_group_create_never_takes_a_reserved_slug_or_an_empty_one():
    user = UserFactory()
    assert services.group_create(actor=user, **fields(name="New")).slug == "new-2"
    assert services.group_create(actor=user, **fields(name="Mine")).slug == "mine-2"
    assert services.group_create(actor=user, **fields(name="合唱団")).slug == "group"


def test_group_create_validates_fields():
    with pytest.raises(ServiceError):
        services.group_create(actor=UserFactory(), **fields(category="astrology"))
    assert not Group.objects.exists()


def test_group_create_needs_a_logged_in_actor():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        services.group_create(actor=AnonymousUser(), **fields())


def test_group_create_rejects_fields_the_services_manage():
    with pytest.raises(TypeError):
        services.group_create(actor=UserFactory(), **fields(slug="chosen"))


def test_group_update_by_organizer_keeps_the_slug(group, organizer):
    old_slug = group.slug
    services.group_update(group=group, actor=organizer.user, name="Renamed", city="York")
    group.refresh_from_db()
    assert (group.name, group.city, group.slug) == ("Renamed", "York", old_slug)


@pytest.mark.parametrize("role", [HOST, MEMBER])
def test_group_update_refused_to_non_organizers(group, role):
    member = MembershipFactory(group=group, role=role)
    with pytest.raises(NotAllowed):
        services.group_update(group=group, actor=member.user, name="Taken over")
    group.refresh_from_db()
    assert group.name != "Taken over"


def test_group_update_refused_to_organizer_of_another_group(group):
    other = MembershipFactory(role=ORGANIZER)
    with pytest.raises(NotAllowed):
        services.group_update(group=group, actor=other.user, name="Taken over")


def test_group_update_validates(group, organizer):
    with pytest.raises(ServiceError):
        services.group_update(group=group, actor=organizer.user, name="")


def test_group_rules_the_form_would_catch_are_field_errors_from_the_service(group, organizer):
    with pytest.raises(ServiceError) as caught:
        services.group_create(actor=organizer.user, **fields(name="Choir\nJoin my site"))
    assert set(caught.value.field_errors()) == {"name"}
    with pytest.raises(ServiceError) as caught:
        services.group_update(group=group, actor=organizer.user, visibility="secret")
    assert set(caught.value.field_errors()) == {"visibility"}
    with pytest.raises(ServiceError) as caught:
        services.group_update(group=group, actor=organizer.user, latitude=91, longitude=0)
    assert set(caught.value.field_errors()) == {"latitude"}
    group.refresh_from_db()
    assert (group.visibility, group.latitude) == (Group.Visibility.PUBLIC, None)


def test_group_location_is_both_coordinates_or_neither(group, organizer):
    with pytest.raises(ServiceError):
        services.group_create(actor=organizer.user, **fields(latitude=53.8))
    with pytest.raises(ServiceError):
        services.group_update(group=group, actor=organizer.user, longitude=-1.5)
    group.refresh_from_db()
    assert group.longitude is None
    assert not Group.objects.filter(name="Tuesday choir").exists()
    placed = services.group_create(actor=organizer.user, **fields(latitude=53.8, longitude=-1.5))
    services.group_update(group=placed, actor=organizer.user, latitude=None, longitude=None)
    placed.refresh_from_db()
    assert (placed.latitude, placed.longitude) == (None, None)


# group_delete


@pytest.fixture
def deleting(monkeypatch):
    """Every group.deleting announcement, as (group pk, whether the group still existed)."""
    seen = []

    def handler(*, topic, group, **kwargs):
        seen.append((group.pk, Group.objects.filter(pk=group.pk).exists()))

    monkeypatch.setitem(core_events._subscribers, "group.deleting", [handler])
    return seen


def test_organizer_closes_the_group_and_it_is_announced_first(group, organizer, deleting):
    member = MembershipFactory(group=group)
    event = EventFactory(group=group)
    group_pk = group.pk
    services.group_delete(group=group, actor=organizer.user)
    assert deleting == [(group_pk, True)]
    assert not Group.objects.filter(pk=group_pk).exists()
    assert not Membership.objects.filter(pk__in=[organizer.pk, member.pk]).exists()
    assert not Event.objects.filter(pk=event.pk).exists()


def test_a_listener_that_refuses_keeps_the_group(group, organizer, monkeypatch):
    def refuse(**kwargs):
        raise ServiceError("Not now.")

    monkeypatch.setitem(core_events._subscribers, "group.deleting", [refuse])
    with pytest.raises(ServiceError):
        services.group_delete(group=group, actor=organizer.user)
    assert Group.objects.filter(pk=group.pk).exists()
    assert Membership.objects.filter(pk=organizer.pk).exists()


@pytest.mark.parametrize("status", [ACTIVE, PENDING, BANNED])
@pytest.mark.parametrize("role", [HOST, MEMBER])
def test_only_active_organizers_close_a_group(group, organizer, deleting, role, status):
    someone = MembershipFactory(group=group, role=role, status=status)
    with pytest.raises(NotAllowed):
        services.group_delete(group=group, actor=someone.user)
    assert Group.objects.filter(pk=group.pk).exists()
    assert deleting == []


def test_outsiders_cannot_close_a_group(group, organizer, deleting):
    for actor in (AnonymousUser(), UserFactory(), MembershipFactory(role=ORGANIZER).user):
        with pytest.raises(NotAllowed):
            services.group_delete(group=group, actor=actor)
    assert Group.objects.filter(pk=group.pk).exists()
    assert deleting == []


def test_closing_a_group_twice_says_it_is_gone(group, organizer, deleting):
    stale = Group.objects.get(pk=group.pk)
    services.group_delete(group=group, actor=organizer.user)
    with pytest.raises(ServiceError):
        services.group_delete(group=stale, actor=organizer.user)
    assert len(deleting) == 1


# membership_join


def test_join_open_group_makes_an_active_member(group):
    user = UserFactory()
    membership = services.membership_join(group=group, actor=user)
    assert (membership.status, membership.role) == (ACTIVE, MEMBER)
    assert membership.joined_at is not None


def test_join_approval_group_asks_with_the_answer():
    group = GroupFactory(join_policy=Group.JoinPolicy.APPROVAL, join_question="Why join?")
    membership = services.membership_join(group=group, actor=UserFactory(), answer="  I sing. ")
    assert membership.status == PENDING
    assert membership.join_answer == "I sing."
    assert membership.joined_at is None


def test_join_approval_group_requires_an_answer_to_the_question():
    group = GroupFactory(join_policy=Group.JoinPolicy.APPROVAL, join_question="Why join?")
    user = UserFactory()
    with pytest.raises(ServiceError):
        services.membership_join(group=group, actor=user, answer="   ")
    assert not Membership.objects.filter(user=user).exists()


def test_join_approval_group_without_question_needs_no_answer():
    group = GroupFactory(join_policy=Group.JoinPolicy.APPROVAL)
    assert services.membership_join(group=group, actor=UserFactory()).status == PENDING


def test_join_is_idempotent(group):
    user = UserFactory()
    first = services.membership_join(group=group, actor=user)
    second = services.membership_join(group=group, actor=user)
    assert first.pk == second.pk
    assert Membership.objects.filter(group=group, user=user).count() == 1


def test_join_when_pending_keeps_the_request(group):
    pending = MembershipFactory(group=group, status=PENDING)
    assert services.membership_join(group=group, actor=pending.user).status == PENDING


def test_banned_person_cannot_join(group):
    banned = MembershipFactory(group=group, status=BANNED)
    with pytest.raises(ServiceError):
        services.membership_join(group=group, actor=banned.user)
    banned.refresh_from_db()
    assert banned.status == BANNED


def test_outsider_cannot_join_a_hidden_private_group():
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    with pytest.raises(NotAllowed):
        services.membership_join(group=group, actor=UserFactory())


def test_outsider_can_ask_to_join_a_listed_private_group():
    group = GroupFactory(
        visibility=Group.Visibility.PRIVATE,
        listed_when_private=True,
        join_policy=Group.JoinPolicy.APPROVAL,
    )
    assert services.membership_join(group=group, actor=UserFactory()).status == PENDING


# membership_leave


def test_member_leaves_and_the_end_is_announced(group, ended):
    membership = MembershipFactory(group=group)
    services.membership_leave(membership=membership, actor=membership.user)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert ended == [(ended[0][0], membership.user_id, ACTIVE)]


def test_withdrawing_a_request_is_not_an_ended_membership(group, ended):
    membership = MembershipFactory(group=group, status=PENDING)
    services.membership_leave(membership=membership, actor=membership.user)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert ended == []


def test_last_organizer_cannot_leave(group, organizer, ended):
    MembershipFactory(group=group, role=HOST)
    with pytest.raises(ServiceError, match="last organizer"):
        services.membership_leave(membership=organizer, actor=organizer.user)
    assert Membership.objects.filter(pk=organizer.pk).exists()
    assert ended == []


def test_organizer_can_leave_when_another_organizer_remains(group, organizer):
    MembershipFactory(group=group, role=ORGANIZER)
    services.membership_leave(membership=organizer, actor=organizer.user)
    assert not Membership.objects.filter(pk=organizer.pk).exists()


def test_a_pending_organizer_does_not_count_as_the_remaining_organizer(group, organizer):
    MembershipFactory(group=group, role=ORGANIZER, status=PENDING)
    with pytest.raises(ServiceError):
        services.membership_leave(membership=organizer, actor=organizer.user)


def test_nobody_can_leave_on_someone_elses_behalf(group, organizer):
    membership = MembershipFactory(group=group)
    with pytest.raises(NotAllowed):
        services.membership_leave(membership=membership, actor=organizer.user)


def test_banned_person_cannot_leave_and_lift_the_ban(group):
    banned = MembershipFactory(group=group, status=BANNED)
    with pytest.raises(ServiceError):
        services.membership_leave(membership=banned, actor=banned.user)
    assert Membership.objects.get(pk=banned.pk).status == BANNED


# membership_approve / membership_decline


@pytest.fixture
def request_to_join(group):
    return MembershipFactory(group=group, status=PENDING, joined_at=None, join_answer="Hi")


def test_organizer_approves_and_the_person_is_told(request_to_join, organizer, approved):
    membership = services.membership_approve(membership=request_to_join, actor=organizer.user)
    assert membership.status == ACTIVE
    assert membership.joined_at is not None
    assert approved == [membership]


@pytest.mark.parametrize("role", [HOST, MEMBER])
def test_non_organizers_cannot_approve(group, request_to_join, role, approved):
    actor = MembershipFactory(group=group, role=role).user
    with pytest.raises(NotAllowed):
        services.membership_approve(membership=request_to_join, actor=actor)
    assert Membership.objects.get(pk=request_to_join.pk).status == PENDING
    assert approved == []


def test_organizer_of_another_group_cannot_approve(request_to_join):
    other = MembershipFactory(role=ORGANIZER)
    with pytest.raises(NotAllowed):
        services.membership_approve(membership=request_to_join, actor=other.user)


def test_approving_twice_is_refused_and_tells_once(request_to_join, organizer, approved):
    services.membership_approve(membership=request_to_join, actor=organizer.user)
    stale = Membership.objects.get(pk=request_to_join.pk)
    with pytest.raises(ServiceError):
        services.membership_approve(membership=stale, actor=organizer.user)
    assert len(approved) == 1


def test_approving_an_active_member_is_refused(group, organizer):
    with pytest.raises(ServiceError):
        services.membership_approve(membership=MembershipFactory(group=group), actor=organizer.user)


def test_organizer_declines_and_the_person_may_ask_again(group, request_to_join, organizer):
    services.membership_decline(membership=request_to_join, actor=organizer.user)
    assert not Membership.objects.filter(pk=request_to_join.pk).exists()
    again = services.membership_join(group=group, actor=request_to_join.user)
    assert again.status == ACTIVE


@pytest.mark.parametrize("role", [HOST, MEMBER])
def test_non_organizers_cannot_decline(group, request_to_join, role):
    actor = MembershipFactory(group=group, role=role).user
    with pytest.raises(NotAllowed):
        services.membership_decline(membership=request_to_join, actor=actor)
    assert Membership.objects.filter(pk=request_to_join.pk).exists()


def test_declining_an_active_member_is_refused(group, organizer):
    member = MembershipFactory(group=group)
    with pytest.raises(ServiceError):
        services.membership_decline(membership=member, actor=organizer.user)
    assert Membership.objects.filter(pk=member.pk).exists()


def test_approving_a_request_that_was_withdrawn_says_so(request_to_join, organizer):
    services.membership_leave(membership=request_to_join, actor=request_to_join.user)
    with pytest.raises(ServiceError):
        services.membership_approve(membership=request_to_join, actor=organizer.user)


# membership_set_role


def test_organizer_sets_roles(group, organizer):
    member = MembershipFactory(group=group)
    services.membership_set_role(membership=member, actor=organizer.user, role=HOST)
    assert Membership.objects.get(pk=member.pk).role == HOST
    services.membership_set_role(membership=member, actor=organizer.user, role=ORGANIZER)
    assert Membership.objects.get(pk=member.pk).role == ORGANIZER


@pytest.mark.parametrize("role", [HOST, MEMBER])
def test_non_organizers_cannot_set_roles(group, role):
    actor = MembershipFactory(group=group, role=role).user
    member = MembershipFactory(group=group)
    with pytest.raises(NotAllowed):
        services.membership_set_role(membership=member, actor=actor, role=ORGANIZER)
    assert Membership.objects.get(pk=member.pk).role == MEMBER


def test_last_organizer_cannot_be_demoted(group, organizer):
    with pytest.raises(ServiceError):
        services.membership_set_role(membership=organizer, actor=organizer.user, role=MEMBER)
    assert Membership.objects.get(pk=organizer.pk).role == ORGANIZER


def test_organizer_can_step_down_once_another_organizer_exists(group, organizer):
    MembershipFactory(group=group, role=ORGANIZER)
    services.membership_set_role(membership=organizer, actor=organizer.user, role=HOST)
    assert Membership.objects.get(pk=organizer.pk).role == HOST


def test_unknown_role_is_refused(group, organizer):
    member = MembershipFactory(group=group)
    with pytest.raises(ServiceError):
        services.membership_set_role(membership=member, actor=organizer.user, role="king")


@pytest.mark.parametrize("status", [PENDING, BANNED])
def test_roles_are_only_for_active_members(group, organizer, status):
    other = MembershipFactory(group=group, status=status)
    with pytest.raises(ServiceError):
        services.membership_set_role(membership=other, actor=organizer.user, role=ORGANIZER)
    assert Membership.objects.get(pk=other.pk).role == MEMBER


# membership_remove


def test_organizer_removes_a_member_and_the_end_is_announced(group, organizer, ended):
    member = MembershipFactory(group=group, role=HOST)
    services.membership_remove(membership=member, actor=organizer.user)
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert [(user_id, status) for _, user_id, status in ended] == [(member.user_id, ACTIVE)]


def test_organizer_removes_another_organizer(group, organizer):
    other = MembershipFactory(group=group, role=ORGANIZER)
    services.membership_remove(membership=other, actor=organizer.user)
    assert not Membership.objects.filter(pk=other.pk).exists()


def test_host_removes_a_plain_member(group):
    host = MembershipFactory(group=group, role=HOST)
    member = MembershipFactory(group=group)
    services.membership_remove(membership=member, actor=host.user)
    assert not Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("target_role", [ORGANIZER, HOST])
def test_host_cannot_remove_organizers_or_hosts(group, organizer, target_role, ended):
    host = MembershipFactory(group=group, role=HOST)
    target = organizer if target_role == ORGANIZER else MembershipFactory(group=group, role=HOST)
    with pytest.raises(NotAllowed):
        services.membership_remove(membership=target, actor=host.user)
    assert Membership.objects.filter(pk=target.pk).exists()
    assert ended == []


def test_member_cannot_remove_anyone(group):
    actor = MembershipFactory(group=group).user
    member = MembershipFactory(group=group)
    with pytest.raises(NotAllowed):
        services.membership_remove(membership=member, actor=actor)


def test_organizer_of_another_group_cannot_remove(group):
    member = MembershipFactory(group=group)
    with pytest.raises(NotAllowed):
        services.membership_remove(membership=member, actor=MembershipFactory(role=ORGANIZER).user)


def test_removing_oneself_points_to_leaving(group, organizer):
    MembershipFactory(group=group, role=ORGANIZER)
    with pytest.raises(ServiceError):
        services.membership_remove(membership=organizer, actor=organizer.user)


def test_removed_member_may_join_again(group, organizer):
    member = MembershipFactory(group=group)
    services.membership_remove(membership=member, actor=organizer.user)
    assert services.membership_join(group=group, actor=member.user).status == ACTIVE


# membership_ban


def test_organizer_bans_and_the_person_cannot_join_again(group, organizer, ended):
    member = MembershipFactory(group=group, role=HOST)
    banned = services.membership_ban(membership=member, actor=organizer.user)
    assert (banned.status, banned.role) == (BANNED, MEMBER)
    assert [(user_id, status) for _, user_id, status in ended] == [(member.user_id, ACTIVE)]
    with pytest.raises(ServiceError):
        services.membership_join(group=group, actor=member.user)


def test_banning_a_request_to_join_keeps_the_spammer_out(group, organizer, ended):
    pending = MembershipFactory(group=group, status=PENDING)
    services.membership_ban(membership=pending, actor=organizer.user)
    assert Membership.objects.get(pk=pending.pk).status == BANNED
    assert ended == []


@pytest.mark.parametrize("role", [HOST, MEMBER])
def test_only_organizers_ban(group, role):
    actor = MembershipFactory(group=group, role=role).user
    member = MembershipFactory(group=group)
    with pytest.raises(NotAllowed):
        services.membership_ban(membership=member, actor=actor)
    assert Membership.objects.get(pk=member.pk).status == ACTIVE


def test_organizer_cannot_ban_themselves(group, organizer):
    with pytest.raises(ServiceError):
        services.membership_ban(membership=organizer, actor=organizer.user)


def test_banning_twice_announces_once(group, organizer, ended):
    member = MembershipFactory(group=group)
    services.membership_ban(membership=member, actor=organizer.user)
    services.membership_ban(membership=member, actor=organizer.user)
    assert len(ended) == 1


def test_banned_member_is_an_outsider_everywhere(group, organizer):
    from groups import permissions

    group.visibility = Group.Visibility.PRIVATE
    group.save()
    member = MembershipFactory(group=group)
    services.membership_ban(membership=member, actor=organizer.user)
    assert not permissions.is_active_member(member.user, group)
    assert not permissions.can_view_group(member.user, group)
    assert group not in Group.objects.visible_to(member.user)


# membership_unban


def test_organizer_lifts_a_ban_and_the_person_may_ask_again(group, organizer, ended):
    banned = MembershipFactory(group=group, status=BANNED)
    services.membership_unban(membership=banned, actor=organizer.user)
    assert not Membership.objects.filter(pk=banned.pk).exists()
    assert ended == []
    again = services.membership_join(group=group, actor=banned.user)
    assert (again.status, again.role) == (ACTIVE, MEMBER)


@pytest.mark.parametrize("status", [ACTIVE, PENDING])
def test_lifting_a_ban_that_is_not_there_is_refused(group, organizer, status):
    someone = MembershipFactory(group=group, status=status)
    with pytest.raises(ServiceError):
        services.membership_unban(membership=someone, actor=organizer.user)
    assert Membership.objects.get(pk=someone.pk).status == status


@pytest.mark.parametrize("role", [HOST, MEMBER])
def test_only_organizers_lift_bans(group, organizer, role):
    banned = MembershipFactory(group=group, status=BANNED)
    actors = [
        MembershipFactory(group=group, role=role).user,
        MembershipFactory(role=ORGANIZER).user,
        banned.user,
        AnonymousUser(),
    ]
    for actor in actors:
        with pytest.raises(NotAllowed):
            services.membership_unban(membership=banned, actor=actor)
    assert Membership.objects.get(pk=banned.pk).status == BANNED


# Site moderators


def test_site_moderator_runs_any_group_without_being_in_it(group, organizer, approved, deleting):
    moderator = UserFactory(is_staff=True, is_superuser=True)
    moderation_session_start(actor=moderator, reason="A report about this group")
    services.group_update(group=group, actor=moderator, name="Renamed by moderator")
    asking = MembershipFactory(group=group, status=PENDING)
    services.membership_approve(membership=asking, actor=moderator)
    services.membership_set_role(membership=asking, actor=moderator, role=HOST)
    troll = MembershipFactory(group=group)
    services.membership_ban(membership=troll, actor=moderator)
    services.membership_unban(membership=troll, actor=moderator)
    services.membership_remove(membership=asking, actor=moderator)
    assert not Membership.objects.filter(group=group, user=moderator).exists()
    assert Group.objects.get(pk=group.pk).name == "Renamed by moderator"
    assert not Membership.objects.filter(pk__in=[asking.pk, troll.pk]).exists()
    # Still a group needs an organizer of its own: moderators do not count as one.
    with pytest.raises(ServiceError):
        services.membership_set_role(membership=organizer, actor=moderator, role=MEMBER)
    services.group_delete(group=group, actor=moderator)
    assert not Group.objects.filter(pk=group.pk).exists()


def test_a_superuser_outside_a_moderation_session_runs_nothing(group, organizer, deleting):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    member = MembershipFactory(group=group)
    with pytest.raises(NotAllowed):
        services.group_update(group=group, actor=superuser, name="Taken over")
    with pytest.raises(NotAllowed):
        services.membership_ban(membership=member, actor=superuser)
    with pytest.raises(NotAllowed):
        services.group_delete(group=group, actor=superuser)
    assert Group.objects.get(pk=group.pk).name != "Taken over"
    assert deleting == []


def test_staff_status_alone_runs_nothing(group, organizer, deleting):
    staff = UserFactory(is_staff=True)
    member = MembershipFactory(group=group)
    banned = MembershipFactory(group=group, status=BANNED)
    attempts = [
        lambda: services.group_update(group=group, actor=staff, name="Taken over"),
        lambda: services.membership_ban(membership=member, actor=staff),
        lambda: services.membership_remove(membership=member, actor=staff),
        lambda: services.membership_unban(membership=banned, actor=staff),
        lambda: services.group_delete(group=group, actor=staff),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed):
            attempt()
    assert Membership.objects.get(pk=member.pk).status == ACTIVE
    assert Membership.objects.get(pk=banned.pk).status == BANNED
    assert Group.objects.get(pk=group.pk).name != "Taken over"
    assert deleting == []


@pytest.mark.parametrize("field", ["description", "code_of_conduct"])
def test_text_direction_controls_in_a_groups_long_text_are_refused(field):
    organizer = UserFactory()
    with pytest.raises(ServiceError) as error:
        services.group_create(
            actor=organizer,
            name="Night walkers",
            category="outdoors",
            visibility=Group.Visibility.PUBLIC,
            join_policy=Group.JoinPolicy.OPEN,
            **{field: "Be kind\u202e"},
        )
    assert field in error.value.field_errors()
    assert not Group.objects.filter(name="Night walkers").exists()


def test_a_join_question_is_one_line():
    organizer = UserFactory()
    with pytest.raises(ServiceError) as error:
        services.group_create(
            actor=organizer,
            name="Night walkers",
            category="outdoors",
            visibility=Group.Visibility.PUBLIC,
            join_policy=Group.JoinPolicy.APPROVAL,
            join_question="Why?\nTell us",
        )
    assert "join_question" in error.value.field_errors()


def test_control_characters_in_a_join_answer_are_refused():
    group = GroupFactory(join_policy=Group.JoinPolicy.APPROVAL, join_question="Why join?")
    user = UserFactory()
    with pytest.raises(ServiceError):
        services.membership_join(group=group, actor=user, answer="To sing\x1b[2J")
    assert not Membership.objects.filter(user=user).exists()


def test_join_answer_longer_than_the_form_allows_is_refused():
    group = GroupFactory(join_policy=Group.JoinPolicy.APPROVAL, join_question="Why join?")
    user = UserFactory()
    with pytest.raises(ServiceError) as error:
        services.membership_join(group=group, actor=user, answer="x" * 2001)
    assert list(error.value.field_errors()) == ["join_answer"]
    assert not Membership.objects.filter(user=user).exists()
    membership = services.membership_join(group=group, actor=user, answer="x" * 2000)
    assert len(membership.join_answer) == 2000


def test_join_answer_with_a_nul_byte_is_refused():
    group = GroupFactory(join_policy=Group.JoinPolicy.APPROVAL, join_question="Why join?")
    user = UserFactory()
    with pytest.raises(ServiceError):
        services.membership_join(group=group, actor=user, answer="I\x00sing")
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "field", ["name", "description", "city", "join_question", "code_of_conduct"]
)
def test_group_text_with_a_nul_byte_is_refused(field):
    organizer = UserFactory()
    values = {"name": "Walkers", "category": "outdoors", field: "a\x00b"}
    with pytest.raises(ServiceError) as error:
        services.group_create(actor=organizer, **values)
    assert field in error.value.field_errors()
    assert not Group.objects.filter(created_by=organizer).exists()


def test_membership_ended_says_how_it_ended(group, organizer, monkeypatch):
    hows = []

    def handler(*, topic, membership, how, **kwargs):
        hows.append(how)

    monkeypatch.setitem(core_events._subscribers, "membership.ended", [handler])
    leaving, removed, banned = (MembershipFactory(group=group) for _ in range(3))
    services.membership_leave(membership=leaving, actor=leaving.user)
    services.membership_remove(membership=removed, actor=organizer.user)
    services.membership_ban(membership=banned, actor=organizer.user)
    assert hows == ["left", "removed", "banned"]
