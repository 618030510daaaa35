"""The hours pages: who may open what, the methods each takes, the CSV, the profile section,
and constant query counts for 1, 10 and 100 entries."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone

from groups.models import Group
from tests.factories import UserFactory
from tests.volunteering.hours_setup import make_setting, make_shift, sign_up
from volunteering.hours import services
from volunteering.hours import urls as hours_urls
from volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

ALLOWED = {
    "my_hours": {"GET"},
    "hours_log": {"GET", "POST"},
    "statement_issue": {"POST"},
    "statement_pdf": {"GET"},
    "project_hours": {"GET"},
    "project_hours_export": {"GET"},
    "hours_entry_review": {"POST"},
    "hours_entry_correct": {"GET", "POST"},
    "statement_verify_form": {"GET"},
    "statement_verify": {"GET"},
}
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@pytest.fixture
def s():
    return make_setting()


def _log(s, volunteer, minutes=60, days_ago=1, description=""):
    return services.hours_entry_log(
        volunteer=volunteer,
        project=s.project,
        worked_on=TODAY - dt.timedelta(days=days_ago),
        minutes=minutes,
        description=description,
        actor=volunteer,
    )


def _urls(s, entry, code):
    slug = {"slug": s.project.slug}
    return {
        "my_hours": reverse("volunteering:my_hours"),
        "hours_log": reverse("volunteering:hours_log"),
        "statement_issue": reverse("volunteering:statement_issue"),
        "statement_pdf": reverse("volunteering:statement_pdf", kwargs={"code": code}),
        "project_hours": reverse("volunteering:project_hours", kwargs=slug),
        "project_hours_export": reverse("volunteering:project_hours_export", kwargs=slug),
        "hours_entry_review": reverse("volunteering:hours_entry_review", kwargs={"pk": entry.pk}),
        "hours_entry_correct": reverse("volunteering:hours_entry_correct", kwargs={"pk": entry.pk}),
        "statement_verify_form": reverse("volunteering:statement_verify_form"),
        "statement_verify": reverse("volunteering:statement_verify", kwargs={"code": code}),
    }


def test_every_hours_page_answers_405_to_a_method_it_does_not_take(client, s):
    entry = _log(s, s.member)
    client.force_login(s.organizer)
    names = {p.name for p in hours_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(ALLOWED), "say which methods each hours page takes"
    for name, url in _urls(s, entry, "A" * 16).items():
        for method in METHODS:
            if method in ALLOWED[name]:
                continue
            response = client.generic(method, url)
            assert response.status_code == 405, (name, method)
    assert HoursEntry.objects.get(pk=entry.pk).status == "pending"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("outsider", 404), ("member", 404), ("host", 200), ("organizer", 200)],
)
@pytest.mark.parametrize("page", ["project_hours", "project_hours_export", "hours_entry_correct"])
def test_only_coordinators_open_a_projects_hours(client, s, who, expected, page):
    entry = services.hours_entry_verify(entry=_log(s, s.member), actor=s.organizer)
    users = {
        "outsider": UserFactory(),
        "member": s.member,
        "host": s.host,
        "organizer": s.organizer,
    }
    if who in users:
        client.force_login(users[who])
    response = client.get(_urls(s, entry, "A" * 16)[page])
    assert response.status_code == expected


@pytest.mark.parametrize("who", ["outsider", "member"])
def test_non_coordinators_cannot_review(client, s, who):
    entry = _log(s, s.host)
    client.force_login(UserFactory() if who == "outsider" else s.member)
    response = client.post(
        reverse("volunteering:hours_entry_review", kwargs={"pk": entry.pk}), {"decision": "verify"}
    )
    assert response.status_code == 404
    assert HoursEntry.objects.get(pk=entry.pk).status == "pending"


def test_a_coordinator_verifies_and_rejects_from_the_page(client, s):
    first, second = _log(s, s.member, days_ago=1), _log(s, s.member, days_ago=2)
    client.force_login(s.host)
    url = reverse("volunteering:hours_entry_review", kwargs={"pk": first.pk})
    assert client.post(url, {"decision": "verify", "note": ""}).status_code == 302
    url = reverse("volunteering:hours_entry_review", kwargs={"pk": second.pk})
    response = client.post(url, {"decision": "reject", "note": ""}, follow=True)
    assert "Say why" in response.content.decode()
    client.post(url, {"decision": "reject", "note": "Not on the rota"})
    statuses = dict(HoursEntry.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "verified", second.pk: "rejected"}


def test_a_coordinator_corrects_from_the_page(client, s):
    entry = services.hours_entry_verify(entry=_log(s, s.member, minutes=240), actor=s.organizer)
    client.force_login(s.host)
    url = reverse("volunteering:hours_entry_correct", kwargs={"pk": entry.pk})
    response = client.post(url, {"hours": "3.5", "note": "Left early"})
    assert response.status_code == 302
    assert sorted(HoursEntry.objects.values_list("minutes", flat=True)) == [-240, 210, 240]


def test_a_volunteer_logs_hours_for_their_shift_from_the_page(client, s):
    shift = make_shift(s.role, hours=2)
    sign_up(shift, s.member)
    client.force_login(s.member)
    page = client.get(reverse("volunteering:hours_log")).content.decode()
    assert "Saturday food bank" in page
    response = client.post(
        reverse("volunteering:hours_log"),
        {"project": s.project.pk, "shift": shift.pk, "hours": "2", "description": "Soup"},
    )
    assert response.status_code == 302
    entry = HoursEntry.objects.get()
    assert (entry.minutes, entry.shift, entry.status) == (120, shift, "pending")


def test_the_log_form_shows_the_services_words(client, s):
    client.force_login(s.member)
    response = client.post(
        reverse("volunteering:hours_log"),
        {
            "project": s.project.pk,
            "worked_on": (TODAY + dt.timedelta(days=3)).isoformat(),
            "hours": "2",
        },
    )
    assert response.status_code == 200
    assert "once they are worked" in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_the_csv_has_a_header_and_neutralizes_formulas(client, s):
    entry = _log(s, s.member, description='=HYPERLINK("http://evil","x")')
    services.hours_entry_verify(entry=entry, actor=s.organizer, note="+1 great")
    _log(s, s.host, days_ago=40, description="@SUM(A1)")
    client.force_login(s.organizer)
    url = reverse("volunteering:project_hours_export", kwargs={"slug": s.project.slug})
    since = (TODAY - dt.timedelta(days=10)).isoformat()
    response = client.get(url, {"date_from": since, "date_to": TODAY.isoformat()})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["entry", "date worked", "volunteer", "shift", "hours"]
    assert len(rows) == 2  # the host's entry is outside the range
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["description"] == '\'=HYPERLINK("http://evil","x")'
    assert row["note"] == "'+1 great"
    assert row["volunteer"] == s.member.public_name
    assert s.member.email not in response.content.decode()


def test_the_csv_is_only_the_coordinated_projects(client, s):
    other = make_setting()
    _log(other, other.member, description="elsewhere")
    _log(s, s.member, description="here")
    client.force_login(s.organizer)
    url = reverse("volunteering:project_hours_export", kwargs={"slug": s.project.slug})
    body = client.get(url).content.decode()
    assert "here" in body
    assert "elsewhere" not in body


def test_the_profile_shows_verified_hours_per_project_and_year(client, s):
    services.hours_entry_verify(entry=_log(s, s.member, minutes=90), actor=s.organizer)
    _log(s, s.member, minutes=600, days_ago=2)  # pending: not counted
    client.force_login(s.member)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Volunteer hours" in page
    assert "1.50 verified hours in all" in page
    assert str((TODAY - dt.timedelta(days=1)).year) in page
    assert "10.00" not in page


def test_a_private_groups_hours_page_is_404_to_a_former_coordinator(client, s):
    s.group.visibility = Group.Visibility.PRIVATE
    s.group.save()
    _log(s, s.member)
    stranger = UserFactory()
    client.force_login(stranger)
    url = reverse("volunteering:project_hours", kwargs={"slug": s.project.slug})
    assert client.get(url).status_code == 404


# --- constant query counts -------------------------------------------------------------------


def _many(s, n, *, first_pending=False):
    """n entries of a few volunteers, every other one verified (the first one pending when
    asked, so a coordinators' page has something to review at every size)."""
    volunteers = [UserFactory() for _ in range(min(n, 5))]
    for volunteer in volunteers:
        sign_up(make_shift(s.role, days_ago=50), volunteer)
    for i in range(n):
        volunteer = volunteers[i % len(volunteers)]
        entry = _log(s, volunteer, minutes=30 + i, days_ago=1 + i % 30)
        if i % 2 == (1 if first_pending else 0):
            services.hours_entry_verify(entry=entry, actor=s.organizer, note="ok")
    return volunteers[0]


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page", ["my_hours", "profile", "project_hours", "export", "verify", "log"]
)
def test_pages_cost_the_same_for_1_10_and_100_entries(client, page):
    counts = []
    for n in (1, 10, 100):
        s = make_setting()
        volunteer = _many(s, n, first_pending=page == "project_hours")
        if page == "verify":
            statement = services.hours_statement_issue(
                volunteer=volunteer,
                group=s.group,
                period_from=TODAY - dt.timedelta(days=60),
                period_to=TODAY,
                actor=volunteer,
            )
            url = reverse("volunteering:statement_verify", kwargs={"code": statement.code})
            client.logout()
        elif page in ("project_hours", "export"):
            client.force_login(s.organizer)
            name = "project_hours" if page == "project_hours" else "project_hours_export"
            url = reverse(f"volunteering:{name}", kwargs={"slug": s.project.slug})
        else:
            client.force_login(volunteer)
            name = {
                "my_hours": "volunteering:my_hours",
                "profile": "accounts:profile",
                "log": "volunteering:hours_log",
            }[page]
            url = reverse(name)
        counts.append(_count(client, url))
    assert counts[0] == counts[1] == counts[2], counts


def test_coordinators_find_their_projects_with_entries_to_review(client, s):
    _log(s, s.member)
    _log(s, s.member, days_ago=2)
    make_setting()  # someone else's project
    client.force_login(s.host)
    page = client.get(reverse("volunteering:my_hours")).content.decode()
    assert "Projects you coordinate" in page
    assert reverse("volunteering:project_hours", kwargs={"slug": s.project.slug}) in page
    assert "2 entries to review" in page
    assert page.count("food-bank-") == 1
    client.force_login(s.member)
    assert (
        "Projects you coordinate"
        not in client.get(reverse("volunteering:my_hours")).content.decode()
    )
