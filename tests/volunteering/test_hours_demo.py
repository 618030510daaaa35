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
    entries = HoursEntry.objects.filter(
        project__title="Splott Community Food Bank", source="logged"
    )
    assert entries.filter(status="verified").count() == 4
    assert entries.filter(status="pending").count() == 2
    assert set(entries.filter(status="verified").values_list("reviewed_by__email", flat=True)) == {
        "organizer@example.com"
    }


def test_the_organizer_has_a_shift_with_check_ins_and_hours_to_verify(seeded, client):
    from volunteering.models import Shift

    shift = Shift.objects.get(notes__startswith="Stock-take")
    checked_in = HoursEntry.objects.filter(shift=shift, source="check_in", status="pending")
    assert set(checked_in.values_list("volunteer__email", flat=True)) == {
        "grace.oconnell@example.com",
        "niamh.walsh@example.com",
    }
    assert shift.signups.filter(status="signed_up").count() == 4
    organizer = User.objects.get(email="organizer@example.com")
    client.force_login(organizer)
    group = shift.role.project.group
    page = client.get(
        reverse(
            "workspace:volunteering_shift", args=[group.slug, shift.role.project.slug, shift.pk]
        )
    ).content.decode()
    assert page.count("Checked in") == 2
    index = client.get(reverse("workspace:index")).content.decode()
    assert "4 hours entries to verify" in index


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
