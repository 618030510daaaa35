"""Hours statements: issued from verified hours, checked by anyone with the link or code, and
telling an outsider nothing but what the statement says."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_delete
from core.exceptions import NotAllowed, ServiceError
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.volunteering.hours_setup import make_setting
from volunteering.hours import services
from volunteering.hours.statement import display_code, fingerprint
from volunteering.models import HoursStatement, VolunteerProject

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR_START = dt.date(TODAY.year, 1, 1) if TODAY.month > 1 else dt.date(TODAY.year - 1, 1, 1)


@pytest.fixture
def s():
    return make_setting()


def _verified(s, minutes, days_ago=1, volunteer=None, project=None):
    volunteer = volunteer or s.member
    entry = services.hours_entry_log(
        volunteer=volunteer,
        project=project or s.project,
        worked_on=TODAY - dt.timedelta(days=days_ago),
        minutes=minutes,
        description="Sorted tins; my phone is 0123 456",
        actor=volunteer,
    )
    return services.hours_entry_verify(entry=entry, actor=s.organizer)


def _issue(s, volunteer=None):
    volunteer = volunteer or s.member
    return services.hours_statement_issue(
        volunteer=volunteer,
        group=s.group,
        period_from=TODAY - dt.timedelta(days=30),
        period_to=TODAY,
        actor=volunteer,
    )


@pytest.fixture
def statement(s):
    _verified(s, 150, days_ago=3)
    _verified(s, 90, days_ago=1)
    pending = services.hours_entry_log(
        volunteer=s.member, project=s.project, worked_on=TODAY, minutes=60, actor=s.member
    )
    assert pending.status == "pending"
    return _issue(s)


def test_statement_counts_only_verified_hours_with_their_verifier(s, statement):
    content = statement.content
    assert content["total_minutes"] == 240
    assert content["organization"] == "Riverside Food Bank"
    assert content["volunteer"] == s.member.display_name
    [project] = content["projects"]
    assert project["verified_by"] == ["Olu Organizer"]
    assert project["first_date"] == (TODAY - dt.timedelta(days=3)).isoformat()
    assert statement.entries.count() == 2


def test_no_statement_without_verified_hours(s):
    services.hours_entry_log(
        volunteer=s.member, project=s.project, worked_on=TODAY, minutes=60, actor=s.member
    )
    with pytest.raises(ServiceError):
        _issue(s)


def test_only_the_volunteer_asks_for_their_statement(s):
    _verified(s, 60)
    with pytest.raises(NotAllowed):
        services.hours_statement_issue(
            volunteer=s.member,
            group=s.group,
            period_from=TODAY - dt.timedelta(days=3),
            period_to=TODAY,
            actor=s.organizer,
        )


def test_the_period_runs_forward(s):
    _verified(s, 60)
    with pytest.raises(ServiceError):
        services.hours_statement_issue(
            volunteer=s.member,
            group=s.group,
            period_from=TODAY,
            period_to=YEAR_START,
            actor=s.member,
        )


def test_the_link_says_genuine_and_unchanged_without_logging_in(client, statement):
    url = reverse("volunteering:statement_verify", kwargs={"code": statement.code})
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Genuine." in page
    assert "corrected" not in page
    assert "Riverside Food Bank" in page
    assert "4.00" in page
    assert fingerprint(statement.content_hash) in page
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_pdf_link_and_code_lead_to_the_check(client, s, statement):
    client.force_login(s.member)
    response = client.get(reverse("volunteering:statement_pdf", kwargs={"code": statement.code}))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    verify_path = reverse("volunteering:statement_verify", kwargs={"code": statement.code})
    assert verify_path in text
    assert display_code(statement.code) in text
    client.logout()
    typed = client.get(
        reverse("volunteering:statement_verify_form"),
        {"code": display_code(statement.code).lower()},
    )
    assert typed.status_code == 302
    assert client.get(typed["Location"]).status_code == 200


def test_a_tampered_code_is_unknown(client, statement):
    last = "0" if statement.code[-1] != "0" else "1"
    tampered = statement.code[:-1] + last
    response = client.get(reverse("volunteering:statement_verify", kwargs={"code": tampered}))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Unknown code." in page
    assert "Riverside" not in page


def test_changed_hours_in_the_record_are_not_genuine(client, statement):
    content = statement.content
    content["total_minutes"] = 4800
    content["projects"][0]["minutes"] = 4800
    HoursStatement.objects.filter(pk=statement.pk).update(content=content)
    response = client.get(reverse("volunteering:statement_verify", kwargs={"code": statement.code}))
    page = response.content.decode()
    assert "Not genuine." in page
    assert "80.00" not in page
    assert "Riverside" not in page


def test_hours_corrected_after_issue_are_flagged(client, s, statement):
    entry = statement.entries.order_by("pk").first()
    services.hours_entry_correct(entry=entry, minutes=30, note="Left early", actor=s.organizer)
    response = client.get(reverse("volunteering:statement_verify", kwargs={"code": statement.code}))
    page = response.content.decode()
    assert "Genuine." in page
    assert "corrected some of the hours" in page
    assert "4.00" in page  # the page still shows what the statement said


def test_an_outsider_learns_nothing_else(client, s, statement):
    other_group = GroupFactory(organizer=s.organizer, name="Secret Recovery Circle")
    other = VolunteerProject.objects.create(
        group=other_group, title="Hidden project", slug="hidden-x", cause="health", remote=True
    )
    MembershipFactory(group=other_group, user=s.member)
    _verified(s, 60, project=other)
    outsider = UserFactory()
    client.force_login(outsider)
    response = client.get(reverse("volunteering:statement_verify", kwargs={"code": statement.code}))
    page = response.content.decode()
    for private in (
        s.member.email,
        "Secret Recovery Circle",
        "Hidden project",
        "0123 456",  # the volunteer's own description
        "5.00",  # all their hours
    ):
        assert private not in page
    # The PDF itself is the volunteer's: anyone else gets 404.
    pdf = client.get(reverse("volunteering:statement_pdf", kwargs={"code": statement.code}))
    assert pdf.status_code == 404


def test_deleting_the_account_withdraws_statements_and_keeps_hours(client, s, statement):
    user_delete(user=s.member, actor=s.member)
    response = client.get(reverse("volunteering:statement_verify", kwargs={"code": statement.code}))
    assert response.status_code == 404
    from volunteering.hours.selectors import project_hours_totals

    assert project_hours_totals(project=s.project)["total_minutes"] == 240


def test_export_of_my_data_includes_hours_and_statements(s, statement):
    from accounts.services import user_export

    data = user_export(user=s.member)
    hours = data["volunteering_hours"]
    assert {row["minutes"] for row in hours["hours"]} == {150, 90, 60}
    assert hours["hours_statements"][0]["code"] == statement.code
