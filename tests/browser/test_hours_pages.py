"""The hours pages in a real browser, without JavaScript's help: a volunteer downloads a
statement, anyone checks it by its code; axe-core finds no violation of any impact
on the pages."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.axe import axe_violations
from tests.volunteering.hours_setup import make_setting
from volunteering.hours import services
from volunteering.hours.statement import display_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ledger():
    s = make_setting()
    today = timezone.localdate()
    for days_ago, minutes in ((3, 150), (1, 90)):
        entry = services.hours_entry_log(
            volunteer=s.member,
            project=s.project,
            worked_on=today - dt.timedelta(days=days_ago),
            minutes=minutes,
            actor=s.member,
        )
        services.hours_entry_verify(entry=entry, actor=s.organizer)
    services.hours_entry_log(
        volunteer=s.member, project=s.project, worked_on=today, minutes=60, actor=s.member
    )
    return s


@pytest.fixture
def no_script(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_volunteer_downloads_a_statement_and_a_stranger_checks_it(no_script, live_server, ledger):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(ledger.member)
    no_script.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    no_script.goto(reverse("volunteering:my_hours"))
    no_script.get_by_label("From").fill((timezone.localdate() - dt.timedelta(days=30)).isoformat())
    with no_script.expect_download() as download:
        no_script.get_by_role("button", name="Download a statement").click()
    text = pypdf.PdfReader(io.BytesIO(download.value.path().read_bytes())).pages[0]
    text = " ".join(text.extract_text().split())
    assert "4.00" in text
    statement = ledger.member.hours_statements.get()
    no_script.context.clear_cookies()
    no_script.goto(reverse("volunteering:statement_verify_form"))
    no_script.get_by_label("Verification code").fill(display_code(statement.code))
    no_script.get_by_role("button", name="Check").click()
    assert "Genuine." in no_script.content()
    assert "4.00" in no_script.content()


def test_hours_pages_have_no_accessibility_violation(page, log_in, ledger):
    statement = services.hours_statement_issue(
        volunteer=ledger.member,
        group=ledger.group,
        period_from=timezone.localdate() - dt.timedelta(days=30),
        period_to=timezone.localdate(),
        actor=ledger.member,
    )
    public = [
        reverse("volunteering:statement_verify_form"),
        reverse("volunteering:statement_verify", kwargs={"code": statement.code}),
        reverse("volunteering:statement_verify", kwargs={"code": "0" * 16}),
    ]
    for url in public:
        page.goto(url)
        assert axe_violations(page) == [], url
    log_in(ledger.member)
    for url in (
        reverse("volunteering:my_hours"),
        reverse("volunteering:hours_log"),
        reverse("accounts:profile"),
    ):
        assert page.goto(url).status == 200
        assert axe_violations(page) == [], url
    page.context.clear_cookies()
    log_in(ledger.organizer)
    url = reverse("volunteering:project_hours", kwargs={"slug": ledger.project.slug})
    assert page.goto(url).status == 200
    assert axe_violations(page) == [], url
