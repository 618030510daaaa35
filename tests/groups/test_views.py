import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from core.moderation import moderation_session_start
from groups.models import Group, Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, group=None, **kwargs):
    if group is not None:
        kwargs["slug"] = group.slug
    return reverse(f"groups:{name}", kwargs=kwargs or None)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def group():
    return GroupFactory(name="Tuesday choir", description="We **sing** together.")


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


@pytest.fixture
def member(group):
    return MembershipFactory(group=group).user


# Directory


def test_directory_searches_name_and_description(client):
    GroupFactory(name="Tuesday choir", description="")
    GroupFactory(name="Walkers", description="We sing while walking")
    GroupFactory(name="Chess club", description="")
    page = client.get(url("list"), {"q": "SING"}).content.decode()
    assert "Walkers" in page
    assert "Chess club" not in page
    assert "Tuesday choir" not in page
    assert "Tuesday choir" in client.get(url("list"), {"q": "choir"}).content.decode()


def test_directory_search_lists_matches_by_name_and_never_a_hidden_group(client, settings):
    """A search lists its matches in name order across pages, a private group only when it asks
    to be listed, an unlisted or private one to its members only."""
    settings.PAGE_SIZE = 2
    for name in ("Choir of the hills", "Anvil choir", "Bell ringers", "Zither club"):
        GroupFactory(name=name, description="We sing." if name == "Bell ringers" else "")
    GroupFactory(name="Choir anonymous", visibility=Group.Visibility.PRIVATE)
    GroupFactory(name="Choir unlisted", visibility=Group.Visibility.UNLISTED)
    GroupFactory(name="Choir listed", visibility=Group.Visibility.PRIVATE, listed_when_private=True)

    def names(**params):
        return [g.name for g in client.get(url("list"), params).context["page"].object_list]

    assert names(q="choir") == ["Anvil choir", "Choir listed"]
    assert names(q="choir", page=2) == ["Choir of the hills"]
    assert names(q="sing") == ["Bell ringers"]
    client.force_login(MembershipFactory(group=Group.objects.get(name="Choir anonymous")).user)
    assert names(q="anonymous") == ["Choir anonymous"]
    assert names(q="unlisted") == []


def test_directory_filters_by_category_and_city(client):
    GroupFactory(name="Leeds singers", category="music", city="Leeds")
    GroupFactory(name="York singers", category="music", city="York")
    GroupFactory(name="Leeds gamers", category="games", city="Leeds")
    page = client.get(url("list"), {"category": "music", "city": "leeds"}).content.decode()
    assert "Leeds singers" in page
    assert "York singers" not in page
    assert "Leeds gamers" not in page


def test_directory_unknown_category_says_so_and_still_answers(client):
    GroupFactory(name="Leeds singers", city="Leeds")
    response = client.get(url("list"), {"category": "astrology", "city": "Leeds"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown category" in page
    assert "Leeds singers" in page


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99", "1.5"])
def test_directory_bad_page_number_is_404(client, page):
    GroupFactory()
    assert client.get(url("list"), {"page": page}).status_code == 404


@pytest.mark.parametrize(("asked", "shown"), [("1000", 100), ("abc", 20), ("-5", 1), ("", 20)])
def test_directory_page_size_is_capped(client, settings, asked, shown):
    settings.PAGE_SIZE = 20
    settings.MAX_PAGE_SIZE = 100
    GroupFactory.create_batch(110)
    response = client.get(url("list"), {"per_page": asked})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == shown


def test_directory_never_lists_unlisted_or_hidden_private_groups(client):
    GroupFactory(name="Open group")
    GroupFactory(name="Link only", visibility=Group.Visibility.UNLISTED)
    GroupFactory(name="Secret circle", visibility=Group.Visibility.PRIVATE)
    GroupFactory(name="Quiet circle", visibility=Group.Visibility.PRIVATE, listed_when_private=True)
    page = client.get(url("list")).content.decode()
    assert "Open group" in page
    assert "Quiet circle" in page
    assert "Link only" not in page
    assert "Secret circle" not in page


def test_directory_lists_members_their_own_unlisted_groups(client):
    hidden = GroupFactory(name="Secret circle", visibility=Group.Visibility.PRIVATE)
    client.force_login(MembershipFactory(group=hidden).user)
    assert "Secret circle" in client.get(url("list")).content.decode()


def test_my_groups_lists_memberships_and_requests_not_bans(client):
    user = UserFactory()
    MembershipFactory(user=user, group=GroupFactory(name="Choir"))
    MembershipFactory(
        user=user, group=GroupFactory(name="Circle"), status=Membership.Status.PENDING
    )
    MembershipFactory(
        user=user, group=GroupFactory(name="Banned from"), status=Membership.Status.BANNED
    )
    GroupFactory(name="Not mine")
    client.force_login(user)
    page = client.get(url("mine")).content.decode()
    assert "Choir" in page
    assert "Circle" in page
    assert "Asked to join" in page
    assert "Banned from" not in page
    assert "Not mine" not in page


def test_my_groups_are_paged(client, settings):
    settings.PAGE_SIZE = 2
    user = UserFactory()
    for name in ["Allotment", "Book club", "Choir"]:
        MembershipFactory(user=user, group=GroupFactory(name=name))
    client.force_login(user)
    first = client.get(url("mine"))
    assert [m.group.name for m in first.context["page"].object_list] == ["Allotment", "Book club"]
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(url("mine"), {"page": "2"})
    assert [m.group.name for m in second.context["page"].object_list] == ["Choir"]


@pytest.mark.parametrize(("asked", "shown"), [("1000", 3), ("abc", 2), ("", 2)])
def test_my_groups_page_size_is_capped(client, settings, asked, shown):
    settings.PAGE_SIZE = 2
    settings.MAX_PAGE_SIZE = 3
    user = UserFactory()
    for group in GroupFactory.create_batch(4):
        MembershipFactory(user=user, group=group)
    client.force_login(user)
    response = client.get(url("mine"), {"per_page": asked})
    assert len(response.context["page"].object_list) == shown


@pytest.mark.parametrize("page", ["abc", "0", "99"])
def test_my_groups_bad_page_number_is_404(client, page):
    user = MembershipFactory().user
    client.force_login(user)
    assert client.get(url("mine"), {"page": page}).status_code == 404


# Creating and editing


def test_start_a_group_makes_you_its_organizer(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        url("create"),
        {
            "name": "Board games night",
            "category": "games",
            "visibility": "public",
            "join_policy": "open",
            "member_list_visibility": "members",
        },
    )
    group = Group.objects.get(name="Board games night")
    assert response.status_code == 302
    assert response["Location"] == group.get_absolute_url()
    assert group.slug == "board-games-night"
    membership = Membership.objects.get(group=group, user=user)
    assert membership.role == Membership.Role.ORGANIZER
    assert texts(response)


def test_start_a_group_with_bad_input_shows_the_form_again(client):
    client.force_login(UserFactory())
    response = client.post(url("create"), {"name": "", "category": "astrology"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"name", "category"}
    assert not Group.objects.exists()


def test_organizer_edits_the_group(client, group, organizer):
    client.force_login(organizer)
    data = {
        "name": "Tuesday choir (Leeds)",
        "category": "music",
        "visibility": "private",
        "join_policy": "approval",
        "join_question": "What do you sing?",
        "member_list_visibility": "organizers",
    }
    response = client.post(url("edit", group), data)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Tuesday choir (Leeds)"
    assert group.is_private
    assert group.join_question == "What do you sing?"
    assert texts(response) == ["The group's details are saved."]


def test_rejected_edit_keeps_the_saved_name_in_the_heading(client, group, organizer):
    client.force_login(organizer)
    response = client.post(url("edit", group), {"name": "", "category": "music"})
    assert response.status_code == 200
    assert "Edit Tuesday choir" in response.content.decode()
    group.refresh_from_db()
    assert group.name == "Tuesday choir"


# Where the group meets

NEW_GROUP = {
    "name": "Board games night",
    "category": "games",
    "visibility": "public",
    "join_policy": "open",
    "member_list_visibility": "members",
}


def test_a_groups_place_comes_from_its_town_never_asked_in_coordinates(client):
    client.force_login(UserFactory())
    page = client.get(url("create")).content.decode()
    assert 'name="latitude"' not in page
    assert 'name="longitude"' not in page
    response = client.post(url("create"), {**NEW_GROUP, "city": "Leeds", "latitude": "1"})
    assert response.status_code == 302
    group = Group.objects.get()
    assert (group.latitude, group.longitude) == pytest.approx((53.796, -1.548), abs=0.01)


def test_organizer_moves_and_then_clears_the_town(client, group, organizer):
    client.force_login(organizer)
    data = {**NEW_GROUP, "name": group.name}
    client.post(url("edit", group), {**data, "city": "Sydney"})
    group.refresh_from_db()
    assert (group.latitude, group.longitude) == pytest.approx((-33.87, 151.21), abs=0.05)
    client.post(url("edit", group), {**data, "city": ""})
    group.refresh_from_db()
    assert (group.latitude, group.longitude) == (None, None)


def test_a_town_the_gazetteer_does_not_know_keeps_the_groups_point(client, group, organizer):
    group.city, group.latitude, group.longitude = "Little Snoring", 52.86, 0.9
    group.save()
    client.force_login(organizer)
    data = {**NEW_GROUP, "name": "Renamed", "city": "Little Snoring"}
    assert client.post(url("edit", group), data).status_code == 302
    group.refresh_from_db()
    assert (group.name, group.latitude, group.longitude) == ("Renamed", 52.86, 0.9)


# The group page


def test_group_page_renders_markdown_safely(client):
    group = GroupFactory(
        description="We **sing**.<script>alert(1)</script>",
        code_of_conduct="Be *kind*.",
    )
    page = client.get(url("detail", group)).content.decode()
    assert "<strong>sing</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "<em>kind</em>" in page


def test_group_page_shows_counts_and_upcoming_events(client, group, organizer, member):
    MembershipFactory(group=group, status=Membership.Status.PENDING)
    EventFactory(group=group, title="Spring concert")
    response = client.get(url("detail", group))
    assert response.context["group"].member_count == 2
    page = response.content.decode()
    assert "Spring concert" in page
    assert "Log in to join" in page


def test_listed_private_group_shows_outsiders_only_name_description_and_join(client):
    group = GroupFactory(
        name="Recovery circle",
        description="A safe space.",
        code_of_conduct="What is said here stays here.",
        visibility=Group.Visibility.PRIVATE,
        listed_when_private=True,
        join_policy=Group.JoinPolicy.APPROVAL,
    )
    EventFactory(group=group, title="Thursday meeting")
    insider = MembershipFactory(group=group, user__display_name="Alexandra Insider").user
    client.force_login(UserFactory())
    page = client.get(url("detail", group)).content.decode()
    assert "Recovery circle" in page
    assert "A safe space." in page
    assert "Ask to join" in page
    assert "Thursday meeting" not in page
    assert "stays here" not in page
    assert "Alexandra" not in page
    assert url("members", group) not in page
    client.force_login(insider)
    page = client.get(url("detail", group)).content.decode()
    assert "Thursday meeting" in page
    assert "stays here" in page


def test_group_page_offers_the_right_button(client, group, organizer):
    pending = MembershipFactory(group=group, status=Membership.Status.PENDING).user
    banned = MembershipFactory(group=group, status=Membership.Status.BANNED).user
    cases = {
        None: "Log in to join",
        UserFactory(): "Join the group",
        pending: "Withdraw my request",
        banned: "You can't join this group.",
        organizer: "Leave group",
    }
    for user, label in cases.items():
        client.logout()
        if user:
            client.force_login(user)
        assert label in client.get(url("detail", group)).content.decode(), label


# Joining and leaving


def test_join_open_group_by_post(client, group):
    user = UserFactory()
    client.force_login(user)
    response = client.post(url("join", group))
    assert response.status_code == 302
    assert Membership.objects.get(group=group, user=user).status == Membership.Status.ACTIVE
    assert texts(response) == ["Welcome to Tuesday choir!"]


def test_join_question_is_asked_and_answer_required(client):
    group = GroupFactory(join_policy=Group.JoinPolicy.APPROVAL, join_question="Why this group?")
    user = UserFactory()
    client.force_login(user)
    form_page = client.get(url("join", group))
    assert form_page.status_code == 200
    assert "Why this group?" in form_page.content.decode()
    assert '<label for="id_answer"' in form_page.content.decode()
    empty = client.post(url("join", group), {"answer": "  "})
    assert empty.status_code == 200
    assert not Membership.objects.filter(user=user).exists()
    response = client.post(url("join", group), {"answer": "I love singing"})
    assert response.status_code == 302
    membership = Membership.objects.get(group=group, user=user)
    assert (membership.status, membership.join_answer) == ("pending", "I love singing")


def test_banned_person_is_told_they_cannot_join(client, group):
    banned = MembershipFactory(group=group, status=Membership.Status.BANNED).user
    client.force_login(banned)
    response = client.post(url("join", group))
    assert response.status_code == 302
    assert texts(response) == ["You can't join this group."]
    assert Membership.objects.get(user=banned).status == Membership.Status.BANNED


def test_member_leaves(client, group, organizer, member):
    client.force_login(member)
    response = client.post(url("leave", group))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=member).exists()
    assert texts(response) == ["You have left Tuesday choir."]


def test_leaving_a_hidden_private_group_goes_to_my_groups(client, organizer, member, group):
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    client.force_login(member)
    response = client.post(url("leave", group))
    assert response["Location"] == url("mine")


def test_request_to_a_group_that_became_hidden_can_still_be_withdrawn(client, group):
    asking = MembershipFactory(group=group, status=Membership.Status.PENDING).user
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    client.force_login(asking)
    response = client.post(url("leave", group))
    assert response["Location"] == url("mine")
    assert not Membership.objects.filter(user=asking).exists()
    assert texts(response) == ["Your request to join is withdrawn."]


def test_last_organizer_is_told_to_hand_over(client, group, organizer):
    client.force_login(organizer)
    response = client.post(url("leave", group))
    assert response.status_code == 302
    assert Membership.objects.filter(user=organizer).exists()
    assert "last organizer" in texts(response)[0]


def test_state_changes_need_the_csrf_token(group):
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(url("join", group)).status_code == 403
    assert not Membership.objects.filter(user=user).exists()


# Members


def test_member_list_shows_public_names_never_emails(client, group, organizer):
    shy = MembershipFactory(
        group=group,
        user__display_name="Samira Haddad",
        user__show_first_name_only=True,
        user__email="samira.haddad@example.com",
    ).user
    client.force_login(organizer)
    page = client.get(url("members", group)).content.decode()
    assert "Samira" in page
    assert "Haddad" not in page
    assert shy.email not in page
    assert organizer.email not in page


def test_member_profile_shows_what_they_share(client, group, member):
    other = MembershipFactory(
        group=group,
        user__display_name="Jo Bloggs",
        user__pronouns="they/them",
        user__bio="Alto, likes tea.",
        user__city="Harrogate",
    ).user
    client.force_login(member)
    page = client.get(url("member", group, user_id=other.pk)).content.decode()
    for shown in ("Jo Bloggs", "they/them", "Alto, likes tea.", "Harrogate"):
        assert shown in page
    assert other.email not in page


@pytest.mark.parametrize("status", [Membership.Status.PENDING, Membership.Status.BANNED])
def test_profiles_of_people_who_are_not_members_are_404(client, group, member, status):
    outsider = MembershipFactory(group=group, status=status).user
    client.force_login(member)
    assert client.get(url("member", group, user_id=outsider.pk)).status_code == 404


def test_member_list_shows_people_asking_to_join_to_nobody(client, group, organizer):
    MembershipFactory(group=group, status=Membership.Status.PENDING, user__display_name="Newbie")
    client.force_login(organizer)
    assert "Newbie" not in client.get(url("members", group)).content.decode()


# Organizers' tools


def test_requests_page_shows_answers_and_approve_works(client, organizer):
    group = Membership.objects.get(user=organizer).group
    group.join_policy = Group.JoinPolicy.APPROVAL
    group.join_question = "Why join?"
    group.save()
    asking = MembershipFactory(
        group=group,
        status=Membership.Status.PENDING,
        join_answer="My neighbour sings here",
        user__display_name="Ravi",
    ).user
    client.force_login(organizer)
    page = client.get(url("requests", group)).content.decode()
    assert "Why join?" in page
    assert "My neighbour sings here" in page
    response = client.post(url("request_approve", group, user_id=asking.pk))
    assert response["Location"] == url("requests", group)
    assert Membership.objects.get(user=asking).status == Membership.Status.ACTIVE
    assert texts(response) == ["Ravi is now a member."]


def test_decline_removes_the_request(client, group, organizer):
    asking = MembershipFactory(group=group, status=Membership.Status.PENDING).user
    client.force_login(organizer)
    response = client.post(url("request_decline", group, user_id=asking.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=asking).exists()


def test_approving_an_active_member_is_a_message_not_an_error(client, group, organizer, member):
    client.force_login(organizer)
    response = client.post(url("request_approve", group, user_id=member.pk))
    assert response.status_code == 302
    assert texts(response) == ["This request has already been handled."]


def test_organizer_changes_a_role(client, group, organizer, member):
    client.force_login(organizer)
    response = client.post(url("member_role", group, user_id=member.pk), {"role": "host"})
    assert response["Location"] == url("members", group)
    assert Membership.objects.get(user=member).role == Membership.Role.HOST


def test_unknown_role_is_a_message(client, group, organizer, member):
    client.force_login(organizer)
    response = client.post(url("member_role", group, user_id=member.pk), {"role": "king"})
    assert response.status_code == 302
    assert texts(response) == ["Please choose one of the roles."]
    assert Membership.objects.get(user=member).role == Membership.Role.MEMBER


def test_last_organizer_cannot_step_down_from_the_members_page(client, group, organizer):
    client.force_login(organizer)
    response = client.post(url("member_role", group, user_id=organizer.pk), {"role": "member"})
    assert response.status_code == 302
    assert "at least one organizer" in texts(response)[0]
    assert Membership.objects.get(user=organizer).role == Membership.Role.ORGANIZER


def test_organizer_removes_and_bans(client, group, organizer, member):
    other = MembershipFactory(group=group).user
    client.force_login(organizer)
    client.post(url("member_remove", group, user_id=member.pk))
    assert not Membership.objects.filter(user=member).exists()
    client.post(url("member_ban", group, user_id=other.pk))
    assert Membership.objects.get(user=other).status == Membership.Status.BANNED


def test_host_removes_a_member(client, group, member):
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    client.force_login(host)
    response = client.post(url("member_remove", group, user_id=member.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=member).exists()


def test_members_page_offers_actions_by_role(client, group, organizer, member):
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    remove_member = url("member_remove", group, user_id=member.pk)
    remove_organizer = url("member_remove", group, user_id=organizer.pk)
    ban_member = url("member_ban", group, user_id=member.pk)
    client.force_login(organizer)
    page = client.get(url("members", group)).content.decode()
    assert remove_member in page
    assert ban_member in page
    assert remove_organizer not in page  # organizers leave; they are not removed by themselves
    client.force_login(host)
    page = client.get(url("members", group)).content.decode()
    assert remove_member in page
    assert ban_member not in page
    assert remove_organizer not in page
    client.force_login(member)
    page = client.get(url("members", group)).content.decode()
    assert "/remove/" not in page
    assert "/ban/" not in page


# Closing a group


def test_organizer_confirms_then_closes_the_group(client, group, organizer, member):
    client.force_login(organizer)
    page = client.get(url("delete", group)).content.decode()
    assert "Close Tuesday choir" in page
    assert f'action="{url("delete", group)}"' in page
    assert "csrfmiddlewaretoken" in page
    assert Group.objects.filter(pk=group.pk).exists()
    response = client.post(url("delete", group))
    assert response["Location"] == url("mine")
    assert texts(response) == ["Tuesday choir is closed."]
    assert not Group.objects.filter(pk=group.pk).exists()
    assert not Membership.objects.filter(user=member).exists()
    client.force_login(member)
    assert client.get(url("detail", group)).status_code == 404


def test_group_page_offers_closing_to_organizers_only(client, group, organizer, member):
    close = url("delete", group)
    client.force_login(organizer)
    assert close in client.get(url("detail", group)).content.decode()
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    for someone in (member, host):
        client.force_login(someone)
        assert close not in client.get(url("detail", group)).content.decode()


def test_closing_needs_post_for_the_change(client, group, organizer):
    client.force_login(organizer)
    assert client.put(url("delete", group)).status_code == 405
    assert Group.objects.filter(pk=group.pk).exists()


# Lifting a ban


def test_requests_page_lists_bans_and_lifting_one_lets_them_ask_again(client, group, organizer):
    banned = MembershipFactory(
        group=group,
        status=Membership.Status.BANNED,
        join_answer="Buy cheap watches",
        user__display_name="Spammy Sam",
    ).user
    client.force_login(organizer)
    page = client.get(url("requests", group)).content.decode()
    assert "Spammy Sam" in page
    assert "Buy cheap watches" not in page
    unban = url("member_unban", group, user_id=banned.pk)
    assert f'action="{unban}"' in page
    response = client.post(unban)
    assert response["Location"] == url("requests", group)
    assert texts(response) == ["Spammy Sam is no longer banned and may ask to join again."]
    assert not Membership.objects.filter(user=banned).exists()
    client.force_login(banned)
    client.post(url("join", group))
    assert Membership.objects.get(user=banned).status == Membership.Status.ACTIVE


def test_lifting_a_ban_on_a_member_is_a_message(client, group, organizer, member):
    client.force_login(organizer)
    response = client.post(url("member_unban", group, user_id=member.pk))
    assert response.status_code == 302
    assert texts(response) == ["This person is not banned."]
    assert Membership.objects.get(user=member).status == Membership.Status.ACTIVE


def test_members_page_links_organizers_to_bans(client, group, organizer, member):
    requests_url = url("requests", group)
    client.force_login(organizer)
    assert requests_url in client.get(url("members", group)).content.decode()
    client.force_login(member)
    assert requests_url not in client.get(url("members", group)).content.decode()


# Site moderators


def test_site_moderator_sees_a_hidden_private_group_with_its_tools(client, organizer, member):
    group = Membership.objects.get(user=organizer).group
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    EventFactory(group=group, title="Closed circle")
    moderator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(moderator)
    assert client.get(url("detail", group)).status_code == 404  # not without a session
    moderation_session_start(actor=moderator, reason="A report about this circle")
    page = client.get(url("detail", group)).content.decode()
    assert "Closed circle" in page
    for tool in ("members", "edit", "requests", "delete"):
        assert url(tool, group) in page
    members = client.get(url("members", group)).content.decode()
    assert url("member_ban", group, user_id=member.pk) in members
    assert url("member_remove", group, user_id=organizer.pk) in members
    assert group.name in client.get(url("list")).content.decode()


def test_staff_without_superuser_is_an_outsider(client, organizer):
    group = Membership.objects.get(user=organizer).group
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url("detail", group)).status_code == 404
    assert group.name not in client.get(url("list")).content.decode()
