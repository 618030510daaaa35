"""Reports: who may file one about what, where it goes (organizers or site staff), what a
decision does and records, and that the person reported never learns who reported them."""

import pytest
from django.urls import reverse

from core.exceptions import NotAllowed, NotFound, ServiceError
from core.models import Activity
from groups.models import Group, Membership, Report
from groups.reports import report_create, report_decide
from notifications.models import Notification
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory(display_name="Olu Organizer")


@pytest.fixture
def group(organizer):
    return GroupFactory(organizer=organizer, name="Recovery circle")


@pytest.fixture
def member(group):
    user = UserFactory(display_name="Mo Member")
    MembershipFactory(group=group, user=user)
    return user


@pytest.fixture
def reporter(group):
    user = UserFactory(display_name="Rae Reporter")
    MembershipFactory(group=group, user=user)
    return user


def file_member(reporter, group, member, reason="Rude at the meeting"):
    return report_create(
        actor=reporter,
        group=group,
        about=Report.About.MEMBER,
        subject=member,
        reported_user=member,
        reason=reason,
        subject_label=member.public_name,
    )


def test_report_about_a_member_goes_to_the_organizers_and_tells_them(
    reporter, group, member, organizer
):
    report = file_member(reporter, group, member)
    assert not report.for_staff
    assert report.status == Report.Status.OPEN
    told = set(
        Notification.objects.filter(kind="groups.report_to_review").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {organizer.pk}
    row = Activity.objects.get(verb="report.filed")
    # Filed outside the group's log, which its organizers (perhaps the reported) read.
    assert row.group_id is None


def test_report_about_an_organizer_goes_to_site_staff_and_tells_no_organizer(
    reporter, group, organizer
):
    report = report_create(
        actor=reporter,
        group=group,
        about=Report.About.MEMBER,
        subject=organizer,
        reported_user=organizer,
        reason="Shouts at people",
    )
    assert report.for_staff
    assert not Notification.objects.filter(kind="groups.report_to_review").exists()


def test_report_about_the_group_goes_to_site_staff(group):
    outsider = UserFactory()
    report = report_create(
        actor=outsider, group=group, about=Report.About.GROUP, subject=group, reason="Spam"
    )
    assert report.for_staff


def test_report_about_an_event_goes_to_the_organizers(reporter, group):
    event = EventFactory(group=group)
    report = report_create(
        actor=reporter, group=group, about=Report.About.EVENT, subject=event, reason="Unsafe"
    )
    assert not report.for_staff
    assert report.subject == f"events.event:{event.pk}"


def test_an_outsider_cannot_report_a_private_groups_event():
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    event = EventFactory(group=group)
    with pytest.raises(NotFound):
        report_create(
            actor=UserFactory(), group=group, about=Report.About.EVENT, subject=event, reason="x"
        )
    assert not Report.objects.exists()


def test_an_outsider_cannot_report_a_member(group, member):
    with pytest.raises(NotFound):
        file_member(UserFactory(), group, member)


def test_nobody_reports_themselves_and_a_report_needs_a_reason(reporter, group, member):
    with pytest.raises(ServiceError):
        file_member(reporter, group, reporter)
    with pytest.raises(ServiceError) as caught:
        file_member(reporter, group, member, reason="  ")
    assert "reason" in caught.value.field_errors()


def test_reporting_again_while_open_keeps_one_report(reporter, group, member):
    first = file_member(reporter, group, member)
    again = file_member(reporter, group, member, reason="Again")
    assert again.pk == first.pk
    assert Report.objects.count() == 1


def test_organizer_dismisses_and_the_outcome_is_logged_in_the_group(
    reporter, group, member, organizer
):
    report = file_member(reporter, group, member)
    report_decide(report=report, actor=organizer, outcome="dismissed", note="Talked it through")
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED
    assert report.decided_by == organizer
    row = Activity.objects.get(verb="report.dismissed")
    assert row.group_id == group.pk
    assert row.actor_user == organizer
    assert str(reporter.pk) not in str(row.data)
    with pytest.raises(ServiceError):
        report_decide(report=report, actor=organizer, outcome="warned")


def test_removing_a_reported_member_ends_their_membership(reporter, group, member, organizer):
    report = file_member(reporter, group, member)
    report_decide(report=report, actor=organizer, outcome="removed", note="Repeated insults")
    assert not Membership.objects.filter(group=group, user=member).exists()
    assert Activity.objects.filter(verb="membership.removed").exists()


def test_banning_a_reported_member_bans_them(reporter, group, member, organizer):
    report = file_member(reporter, group, member)
    report_decide(report=report, actor=organizer, outcome="banned")
    assert Membership.objects.get(group=group, user=member).status == Membership.Status.BANNED


def test_hosts_and_members_cannot_decide_and_an_event_cannot_be_banned(
    reporter, group, member, organizer
):
    host = UserFactory()
    MembershipFactory(group=group, user=host, role=Membership.Role.HOST)
    report = file_member(reporter, group, member)
    for who in (host, member):
        with pytest.raises(NotAllowed):
            report_decide(report=report, actor=who, outcome="dismissed")
    event_report = report_create(
        actor=reporter,
        group=group,
        about=Report.About.EVENT,
        subject=EventFactory(group=group),
        reason="x",
    )
    with pytest.raises(ServiceError):
        report_decide(report=event_report, actor=organizer, outcome="banned")


def test_staff_reports_are_decided_by_superusers_only(reporter, group, organizer):
    report = report_create(
        actor=reporter,
        group=group,
        about=Report.About.MEMBER,
        subject=organizer,
        reported_user=organizer,
        reason="x",
    )
    with pytest.raises(NotAllowed):
        report_decide(report=report, actor=organizer, outcome="dismissed")
    staff = UserFactory(is_superuser=True, is_staff=True)
    report_decide(report=report, actor=staff, outcome="warned")
    report.refresh_from_db()
    assert report.status == Report.Status.WARNED
    assert Activity.objects.get(verb="report.warned").group_id is None


def test_report_pages_answer_404_for_what_the_person_cannot_see(client):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    event = EventFactory(group=group)
    member = UserFactory()
    MembershipFactory(group=group, user=member)
    client.force_login(UserFactory())
    assert client.get(reverse("events:report", args=[event.slug])).status_code == 404
    assert (
        client.post(reverse("events:report", args=[event.slug]), {"reason": "x"}).status_code == 404
    )
    assert (
        client.get(reverse("groups:member_report", args=[group.slug, member.pk])).status_code == 404
    )
    assert not Report.objects.exists()


def test_report_pages_ask_anonymous_visitors_to_log_in(client, group):
    event = EventFactory(group=group)
    for url in (
        reverse("events:report", args=[event.slug]),
        reverse("groups:report", args=[group.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_member_files_reports_from_the_pages(client, reporter, group, member):
    event = EventFactory(group=group, title="Picnic")
    client.force_login(reporter)
    assert "Report this event" in client.get(event.get_absolute_url()).content.decode()
    page = client.get(reverse("groups:member", args=[group.slug, member.pk])).content.decode()
    assert reverse("groups:member_report", args=[group.slug, member.pk]) in page
    response = client.post(reverse("events:report", args=[event.slug]), {"reason": "Unsafe"})
    assert response.status_code == 302
    response = client.post(
        reverse("groups:member_report", args=[group.slug, member.pk]), {"reason": "Rude"}
    )
    assert response.status_code == 302
    response = client.post(reverse("groups:report", args=[group.slug]), {"reason": ""})
    assert response.status_code == 400
    assert sorted(Report.objects.values_list("about", flat=True)) == ["event", "member"]


def test_the_reported_person_sees_nothing_of_the_reporter(client, reporter, group, member):
    file_member(reporter, group, member, reason="Rude at the meeting")
    client.force_login(member)
    for url in (
        reverse("notifications:inbox"),
        group.get_absolute_url(),
        reverse("workspace:index"),
    ):
        text = client.get(url).content.decode()
        assert "Rae Reporter" not in text
        assert "Rude at the meeting" not in text
