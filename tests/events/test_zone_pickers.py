"""The time-zone pickers of the event, series, project and shift forms: the short list (the
site's and common zones first) and a default that is the group's or the site's zone, never UTC
by surprise."""

import pytest
from django.urls import reverse

from events.forms import EventCreateForm, EventForm, EventSeriesForm
from events.selectors import group_timezone
from groups.models import Membership
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from volunteering.coordinator_selectors import group_project_timezone
from workspace.volunteering_forms import NewShiftForm, ProjectForm, ShiftForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def organizer(group):
    return MembershipFactory(
        group=group, role=Membership.Role.ORGANIZER, user=UserFactory(timezone="UTC")
    ).user


def _common_first(field):
    (label, common), (_other, _rest) = field.choices
    return str(label), [name for name, _label in common]


@pytest.mark.parametrize("form_class", [EventForm, EventCreateForm, EventSeriesForm])
def test_event_forms_offer_the_site_and_common_zones_first(settings, form_class):
    settings.SITE_TIME_ZONE = "Europe/Madrid"
    form = form_class()
    label, common = _common_first(form.fields["timezone"])
    assert label == "Common time zones"
    assert common[0] == "Europe/Madrid"
    assert form["timezone"].initial == "Europe/Madrid"


def test_volunteering_forms_offer_the_site_and_common_zones_first(settings, group):
    settings.SITE_TIME_ZONE = "Europe/Lisbon"
    forms = [
        ProjectForm(coordinators=group.memberships.none(), group=group),
        ShiftForm(roles=None),
        NewShiftForm(roles=None),
    ]
    for form in forms:
        _label, common = _common_first(form.fields["timezone"])
        assert common[0] == "Europe/Lisbon"
        assert form["timezone"].initial == "Europe/Lisbon"


def test_a_zone_of_the_long_list_is_still_accepted(group):
    form = EventCreateForm(data={"timezone": "Pacific/Chatham"}, group=group)
    form.is_valid()
    assert "timezone" not in form.errors
    form = EventCreateForm(data={"timezone": "Mars/Olympus"}, group=group)
    form.is_valid()
    assert "timezone" in form.errors


def test_group_zone_is_its_latest_events_else_the_sites(settings, group):
    settings.SITE_TIME_ZONE = "Europe/Madrid"
    assert group_timezone(group=group) == "Europe/Madrid"
    EventFactory(group=group, timezone="America/Chicago")
    assert group_timezone(group=group) == "America/Chicago"
    EventFactory(group=GroupFactory(), timezone="Asia/Kolkata")
    assert group_timezone(group=group) == "America/Chicago"


def test_group_project_zone_is_its_latest_projects_else_the_sites(settings, group):
    settings.SITE_TIME_ZONE = "Europe/Madrid"
    assert group_project_timezone(group=group) == "Europe/Madrid"
    VolunteerProjectFactory(group=group, timezone="America/Bogota")
    assert group_project_timezone(group=group) == "America/Bogota"


def test_new_event_page_defaults_to_the_sites_zone_not_the_organizers_utc(
    client, settings, group, organizer
):
    settings.SITE_TIME_ZONE = "Europe/Madrid"
    client.force_login(organizer)
    page = client.get(reverse("group_event_create", args=[group.slug])).content.decode()
    assert '<optgroup label="Common time zones">' in page
    assert '<option value="Europe/Madrid" selected>' in page
    EventFactory(group=group, timezone="Europe/Dublin")
    page = client.get(reverse("group_event_create", args=[group.slug])).content.decode()
    assert '<option value="Europe/Dublin" selected>' in page


def test_new_project_page_defaults_to_the_sites_zone_not_the_organizers_utc(
    client, settings, group, organizer
):
    settings.SITE_TIME_ZONE = "Europe/Madrid"
    client.force_login(organizer)
    url = reverse("workspace:volunteering_project_new", args=[group.slug])
    page = client.get(url).content.decode()
    assert '<option value="Europe/Madrid" selected>' in page
