"""The workspace's moderation queue: organizers only, never naming who reported, decisions
through the service, and a page whose cost does not grow with the reports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Membership, Report
from groups.reports import report_create
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def file(group, *, reporter_name="Rae Reporter", reason="Rude at the meeting"):
    reporter = UserFactory(display_name=reporter_name)
    member = UserFactory(display_name="Mo Reported")
    MembershipFactory(group=group, user=reporter)
    MembershipFactory(group=group, user=member)
    return report_create(
        actor=reporter,
        group=group,
        about=Report.About.MEMBER,
        subject=member,
        reported_user=member,
        reason=reason,
        subject_label=member.public_name,
    )


def test_organizer_sees_open_reports_without_the_reporter(client, organizer, group):
    file(group)
    client.force_login(organizer)
    response = client.get(reverse("workspace:reports", args=[group.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Rude at the meeting" in text
    assert "Mo Reported" in text
    assert "Rae Reporter" not in text
    dashboard = client.get(reverse("workspace:dashboard", args=[group.slug])).content.decode()
    assert "1 report to review" in dashboard


def test_reports_page_is_for_organizers_only(client, group, host, member):
    file(group)
    url = reverse("workspace:reports", args=[group.slug])
    assert client.get(url).status_code == 302  # anonymous: log in first
    for who in (host, member, UserFactory()):
        client.force_login(who)
        assert client.get(url).status_code == 404


def test_organizer_decides_a_report_from_the_queue(client, organizer, group):
    report = file(group)
    client.force_login(organizer)
    url = reverse("workspace:report_decide", args=[group.slug, report.pk])
    response = client.post(url, {f"r{report.pk}-outcome": "warned", f"r{report.pk}-note": "Ok"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.WARNED
    # Deciding twice is refused with a message, not with a server error.
    response = client.post(url, {f"r{report.pk}-outcome": "dismissed"}, follow=True)
    assert "already decided" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.WARNED


def test_a_decision_needs_an_outcome(client, organizer, group):
    report = file(group)
    client.force_login(organizer)
    url = reverse("workspace:report_decide", args=[group.slug, report.pk])
    response = client.post(url, {f"r{report.pk}-outcome": "nonsense"})
    assert response.status_code == 400
    assert "Rude at the meeting" in response.content.decode()
    report.refresh_from_db()
    assert report.is_open


def test_a_host_cannot_decide_a_report(client, group, host):
    report = file(group)
    client.force_login(host)
    url = reverse("workspace:report_decide", args=[group.slug, report.pk])
    assert client.post(url, {f"r{report.pk}-outcome": "banned"}).status_code == 404
    report.refresh_from_db()
    assert report.is_open
    assert Membership.objects.get(group=group, user=report.reported_user).is_active


def test_reports_page_queries_do_not_grow_with_reports(client, organizer, group):
    client.force_login(organizer)
    url = reverse("workspace:reports", args=[group.slug])
    counts = []
    done = 0
    for n in (1, 10, 30):
        for i in range(n - done):
            file(group, reporter_name=f"R{n}-{i}")
        done = n
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
