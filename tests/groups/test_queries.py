"""The busy pages run a fixed number of queries however many members, events or groups there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Group, Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SIZES = [1, 10, 100]
ANONYMOUS_MAX = 4
SIGNED_IN_MAX = 6


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def grow_group(group: Group, to: int) -> None:
    """Bring the group to `to` members (besides its organizer) and `to` upcoming events."""
    have = Membership.objects.filter(group=group, role=Membership.Role.MEMBER).count()
    MembershipFactory.create_batch(to - have, group=group)
    MembershipFactory.create_batch(to - have, group=group, status=Membership.Status.PENDING)
    EventFactory.create_batch(to - group.events.count(), group=group)


@pytest.fixture
def group():
    group = GroupFactory(code_of_conduct="Be **kind**.")
    MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    return group


def organizer_of(group):
    return Membership.objects.get(group=group, role=Membership.Role.ORGANIZER).user


def assert_constant(client, django_assert_num_queries, url, grow):
    counts = []
    for size in SIZES:
        grow(size)
        if not counts:
            counts.append(queries_for(client, url))
            continue
        with django_assert_num_queries(counts[0]):
            assert client.get(url).status_code == 200
        counts.append(counts[0])
    return counts[0]


@pytest.mark.parametrize("visibility", ["public", "private_listed"])
def test_group_page_for_anonymous_visitor(client, django_assert_num_queries, group, visibility):
    if visibility == "private_listed":
        group.visibility = Group.Visibility.PRIVATE
        group.listed_when_private = True
        group.save()
    url = reverse("groups:detail", kwargs={"slug": group.slug})
    count = assert_constant(client, django_assert_num_queries, url, lambda n: grow_group(group, n))
    assert count <= ANONYMOUS_MAX


@pytest.mark.parametrize("who", ["organizer", "member"])
def test_group_page_for_people_in_the_group(client, django_assert_num_queries, group, who):
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    user = organizer_of(group) if who == "organizer" else MembershipFactory(group=group).user
    client.force_login(user)
    url = reverse("groups:detail", kwargs={"slug": group.slug})
    count = assert_constant(client, django_assert_num_queries, url, lambda n: grow_group(group, n))
    assert count <= SIGNED_IN_MAX


def test_member_list_for_an_organizer(client, django_assert_num_queries, group):
    client.force_login(organizer_of(group))
    url = reverse("groups:members", kwargs={"slug": group.slug}) + "?per_page=100"
    assert_constant(client, django_assert_num_queries, url, lambda n: grow_group(group, n))


def test_requests_page_for_an_organizer(client, django_assert_num_queries, group):
    client.force_login(organizer_of(group))
    url = reverse("groups:requests", kwargs={"slug": group.slug})

    def grow(to):
        grow_group(group, to)
        have = Membership.objects.filter(group=group, status=Membership.Status.BANNED).count()
        MembershipFactory.create_batch(to - have, group=group, status=Membership.Status.BANNED)

    assert_constant(client, django_assert_num_queries, url, grow)


def grow_directory(to: int) -> None:
    have = Group.objects.count()
    for new in GroupFactory.create_batch(to - have):
        MembershipFactory(group=new, role=Membership.Role.ORGANIZER)
        MembershipFactory(group=new)


@pytest.mark.parametrize("logged_in", [False, True])
def test_directory(client, django_assert_num_queries, logged_in):
    if logged_in:
        client.force_login(MembershipFactory().user)
    url = reverse("groups:list") + "?per_page=100&q=community"
    count = assert_constant(client, django_assert_num_queries, url, grow_directory)
    assert count <= (SIGNED_IN_MAX if logged_in else ANONYMOUS_MAX)


@pytest.mark.parametrize("logged_in", [False, True])
def test_directory_without_a_search(client, django_assert_num_queries, logged_in):
    if logged_in:
        client.force_login(MembershipFactory().user)
    count = assert_constant(
        client, django_assert_num_queries, reverse("groups:list"), grow_directory
    )
    assert count <= (SIGNED_IN_MAX if logged_in else ANONYMOUS_MAX)


def test_directory_really_shows_every_group_on_a_full_page(client):
    grow_directory(100)
    response = client.get(reverse("groups:list") + "?per_page=100")
    assert len(response.context["page"].object_list) == 100


def test_my_groups(client, django_assert_num_queries, settings):
    settings.PAGE_SIZE = 20
    user = UserFactory()
    client.force_login(user)

    def grow(to):
        have = Membership.objects.filter(user=user).count()
        for new in GroupFactory.create_batch(to - have):
            MembershipFactory(group=new, user=user)

    count = assert_constant(client, django_assert_num_queries, reverse("groups:mine"), grow)
    # user, the header's counts (one query), the page of memberships with their
    # groups (no count)
    assert count == 3
    response = client.get(reverse("groups:mine"))
    assert len(response.context["page"].object_list) == 20


def test_private_group_outsider_view_with_every_part_chosen(client, django_assert_num_queries):
    """The code of conduct, facilitators, meeting, what happens next and the reply time: still
    a fixed number of queries, within the visitor's budget, however many hosts and decisions."""
    group = GroupFactory(
        visibility=Group.Visibility.PRIVATE,
        listed_when_private=True,
        join_policy=Group.JoinPolicy.APPROVAL,
        code_of_conduct="Be kind.",
        meeting_pattern="Thursdays 18:30, Chapeltown",
        after_request="We call you first.",
        outsiders_see_conduct=True,
        outsiders_see_facilitators=True,
        outsiders_see_meeting=True,
        outsiders_see_after_request=True,
        outsiders_see_reply_time=True,
    )
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    from groups import services

    def grow(n):
        hosts = Membership.objects.filter(group=group, role=Membership.Role.HOST).count()
        MembershipFactory.create_batch(n - hosts, group=group, role=Membership.Role.HOST)
        for _ in range(min(n, 20) - hosts if hosts < 20 else 0):
            asked = services.membership_join(group=group, actor=UserFactory())
            services.membership_approve(membership=asked, actor=organizer)
        grow_group(group, n)

    url = reverse("groups:detail", kwargs={"slug": group.slug})
    count = assert_constant(client, django_assert_num_queries, url, grow)
    assert count <= ANONYMOUS_MAX
    client.force_login(UserFactory())
    assert assert_constant(client, django_assert_num_queries, url, grow) <= SIGNED_IN_MAX
