"""seed_demo's hours: logged and verified food bank hours, and a statement that checks out."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from volunteering.models import HoursEntry, HoursStatement

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_demo_has_logged_verified_and_pending_hours(seeded):
    entries = HoursEntry.objects.filter(project__title="Splott Community Food Bank")
    assert entries.filter(status="verified").count() == 4
    assert entries.filter(status="pending").count() == 2
    assert set(entries.filter(status="verified").values_list("reviewed_by__email", flat=True)) == {
        "organizer@example.com"
    }


def test_the_members_statement_downloads_and_checks_out(seeded, client):
    member = User.objects.get(email="member@example.com")
    statement = HoursStatement.objects.get(volunteer=member)
    assert statement.content["total_minutes"] == 690
    assert statement.content["projects"][0]["verified_by"] == ["Rosa Delgado"]
    assert reverse("volunteering:statement_verify", kwargs={"code": statement.code}) in seeded
    client.force_login(member)
    pdf = client.get(reverse("volunteering:statement_pdf", kwargs={"code": statement.code}))
    assert pdf["Content-Type"] == "application/pdf"
    client.logout()
    page = client.get(reverse("volunteering:statement_verify", kwargs={"code": statement.code}))
    assert "Genuine." in page.content.decode()


def test_a_second_run_adds_no_hours(seeded, settings):
    before = (HoursEntry.objects.count(), HoursStatement.objects.count())
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert (HoursEntry.objects.count(), HoursStatement.objects.count()) == before
    assert "0 hours entries, 0 statements" in out.getvalue()
