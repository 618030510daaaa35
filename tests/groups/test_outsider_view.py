"""A private group's outsider view: only the parts its organizers chose, nothing else."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.exceptions import NotFound
from groups import selectors, services
from groups.models import Group, Membership
from groups.views import reply_time_label
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CONDUCT = "Listen without **fixing**."
MEETING = "Thursdays 18:30, Chapeltown"
AFTER = "Rosa will call you for a short chat first."


@pytest.fixture
def organizer():
    return UserFactory(display_name="Rosa Martínez")


@pytest.fixture
def circle(organizer):
    group = GroupFactory(
        name="Evening circle",
        organizer=organizer,
        visibility=Group.Visibility.PRIVATE,
        listed_when_private=True,
        join_policy=Group.JoinPolicy.APPROVAL,
        code_of_conduct=CONDUCT,
        meeting_pattern=MEETING,
        after_request=AFTER,
    )
    MembershipFactory(
        group=group, role=Membership.Role.HOST, user=UserFactory(display_name="Sam Okafor")
    )
    MembershipFactory(group=group, user=UserFactory(display_name="Quiet Member"))
    EventFactory(group=group, title="Secret gathering")
    return group


def page(client, group):
    response = client.get(reverse("groups:detail", kwargs={"slug": group.slug}))
    assert response.status_code == 200
    return response.content.decode()


def answer_requests(group, organizer, *, waits):
    """Requests to join answered after each wait (approved), as the activity log records."""
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    for n, wait in enumerate(waits):
        with time_machine.travel(start + dt.timedelta(days=10 * n), tick=False):
            asked = services.membership_join(group=group, actor=UserFactory())
        with time_machine.travel(start + dt.timedelta(days=10 * n) + wait, tick=False):
            services.membership_approve(membership=asked, actor=organizer)


def choose(group, **parts):
    Group.objects.filter(pk=group.pk).update(**parts)
    group.refresh_from_db()


def test_nothing_optional_is_shown_by_default(client, circle):
    html = page(client, circle)
    for hidden in ["fixing", MEETING, AFTER, "Rosa", "Sam", "Quiet Member", "Secret gathering"]:
        assert hidden not in html
    assert selectors.outsider_view(group=circle, user=UserFactory()) == {}


@pytest.mark.parametrize(
    ("part", "shown"),
    [
        ("outsiders_see_conduct", "<strong>fixing</strong>"),
        ("outsiders_see_meeting", MEETING),
        ("outsiders_see_after_request", AFTER),
        ("outsiders_see_facilitators", "Rosa, Sam"),
    ],
)
def test_only_the_chosen_part_shows(client, circle, part, shown):
    choose(circle, **{part: True})
    client.force_login(UserFactory())
    html = page(client, circle)
    assert shown in html
    others = {
        "outsiders_see_conduct": "fixing",
        "outsiders_see_meeting": MEETING,
        "outsiders_see_after_request": AFTER,
        "outsiders_see_facilitators": "Sam",
    }
    for other, text in others.items():
        if other != part:
            assert text not in html


def test_everything_chosen_still_leaks_no_events_members_or_counts(client, circle, organizer):
    answer_requests(circle, organizer, waits=[dt.timedelta(hours=3)] * 3)
    choose(
        circle,
        outsiders_see_conduct=True,
        outsiders_see_meeting=True,
        outsiders_see_after_request=True,
        outsiders_see_facilitators=True,
        outsiders_see_reply_time=True,
    )
    html = page(client, circle)
    assert "Rosa, Sam" in html
    assert "Martínez" not in html  # first names only
    assert "Okafor" not in html
    assert "usually reply within a day" in html
    assert "Quiet Member" not in html
    assert "Secret gathering" not in html
    assert "Members</dt>" not in html
    assert "request to join" not in html


def test_facilitators_are_organizers_and_hosts_with_first_names_only(circle):
    choose(circle, outsiders_see_facilitators=True)
    view = selectors.outsider_view(group=circle, user=None)
    assert view == {"facilitators": ["Rosa", "Sam"]}


def test_reply_time_needs_history(client, circle, organizer):
    choose(circle, outsiders_see_reply_time=True)
    assert selectors.usual_reply_time(group=circle) is None
    assert "usually" not in page(client, circle)
    answer_requests(circle, organizer, waits=[dt.timedelta(hours=2)] * 2)
    assert selectors.usual_reply_time(group=circle) is None
    assert "usually" not in page(client, circle)


def test_reply_time_is_the_median_of_recent_decisions(circle, organizer):
    answer_requests(
        circle,
        organizer,
        waits=[dt.timedelta(minutes=30), dt.timedelta(hours=20), dt.timedelta(days=5)],
    )
    assert selectors.usual_reply_time(group=circle) == dt.timedelta(hours=20)


def test_declined_requests_count_towards_the_reply_time(circle, organizer):
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    for n in range(3):
        with time_machine.travel(start + dt.timedelta(days=n), tick=False):
            asked = services.membership_join(group=circle, actor=UserFactory())
        with time_machine.travel(start + dt.timedelta(days=n, minutes=40), tick=False):
            services.membership_decline(membership=asked, actor=organizer)
    assert selectors.usual_reply_time(group=circle) == dt.timedelta(minutes=40)


@pytest.mark.parametrize(
    ("wait", "words"),
    [
        (dt.timedelta(minutes=50), "within an hour"),
        (dt.timedelta(hours=20), "within a day"),
        (dt.timedelta(days=2), "within a few days"),
        (dt.timedelta(days=6), "within a week"),
        (dt.timedelta(days=12), "more than a week"),
    ],
)
def test_reply_time_in_words(wait, words):
    assert words in reply_time_label(wait)


def test_members_see_the_group_itself_not_the_outsider_view(client, circle):
    member = MembershipFactory(group=circle).user
    choose(circle, outsiders_see_facilitators=True)
    assert selectors.outsider_view(group=circle, user=member) == {}
    client.force_login(member)
    html = page(client, circle)
    assert "Secret gathering" in html
    assert MEETING in html  # the group's own facts


def test_hidden_private_group_still_404s_with_everything_chosen(client, circle):
    choose(
        circle,
        listed_when_private=False,
        outsiders_see_conduct=True,
        outsiders_see_meeting=True,
        outsiders_see_facilitators=True,
    )
    response = client.get(reverse("groups:detail", kwargs={"slug": circle.slug}))
    assert response.status_code == 404
    with pytest.raises(NotFound):
        selectors.outsider_view(group=circle, user=UserFactory())


def test_after_request_shows_on_the_join_page_only_when_chosen(client, circle):
    client.force_login(UserFactory())
    join = reverse("groups:join", kwargs={"slug": circle.slug})
    assert AFTER not in client.get(join).content.decode()
    choose(circle, outsiders_see_after_request=True)
    assert AFTER in client.get(join).content.decode()


def test_organizers_choose_the_parts_in_the_edit_form(client, circle, organizer):
    client.force_login(organizer)
    edit = reverse("groups:edit", kwargs={"slug": circle.slug})
    form = client.get(edit).content.decode()
    assert "show the code of conduct to people outside the group" in form.lower()
    data = {
        "name": circle.name,
        "description": circle.description,
        "category": circle.category,
        "city": circle.city,
        "visibility": circle.visibility,
        "listed_when_private": "on",
        "join_policy": circle.join_policy,
        "member_list_visibility": circle.member_list_visibility,
        "code_of_conduct": CONDUCT,
        "meeting_pattern": "Mondays 19:00, Headingley",
        "after_request": AFTER,
        "outsiders_see_meeting": "on",
    }
    assert client.post(edit, data).status_code == 302
    circle.refresh_from_db()
    assert circle.outsiders_see_meeting
    assert not circle.outsiders_see_conduct
    assert circle.meeting_pattern == "Mondays 19:00, Headingley"


def test_typed_parts_refuse_control_characters(circle, organizer):
    from core.exceptions import ServiceError

    with pytest.raises(ServiceError):
        services.group_update(group=circle, actor=organizer, meeting_pattern="Thu\u202e 18:30")
    with pytest.raises(ServiceError):
        services.group_update(group=circle, actor=organizer, after_request="x" * 1001)
