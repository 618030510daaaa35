import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from core.moderation import moderation_session_end, moderation_session_start
from events.models import Event, EventSeries, Rsvp, SeriesRsvp, Tag, WalkIn
from events.services import rsvp_create
from groups.models import Membership
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _moderating(admin_user):
    """The admin's superuser acts on groups' events inside a moderation session."""
    moderation_session_start(actor=admin_user, reason="Helping an organizer")


START = (timezone.now() + dt.timedelta(days=10)).replace(hour=18, minute=0, second=0, microsecond=0)


def event_form(group, **overrides):
    data = {
        "group": group.pk,
        "title": "Repair café",
        "description": "Bring what is broken.",
        "timezone": "Europe/London",
        "venue_name": "Library",
        "address": "",
        "latitude": "",
        "longitude": "",
        "online_url": "",
        "capacity": "10",
        "guests_allowed": "0",
        "category": "neighbourhood",
        "accessibility_notes": "",
        "newcomers_welcome": "on",
        "cost_note": "",
        "starts_at_0": START.date().isoformat(),
        "starts_at_1": "18:00:00",
        "ends_at_0": START.date().isoformat(),
        "ends_at_1": "20:00:00",
        "rsvp_opens_at_0": "",
        "rsvp_opens_at_1": "",
        "rsvp_closes_at_0": "",
        "rsvp_closes_at_1": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def full_event_with_waitlist(capacity=1, waiting=2):
    event = EventFactory(capacity=capacity)
    users = [MembershipFactory(group=event.group).user for _ in range(capacity + waiting)]
    rsvps = [rsvp_create(event=event, user=user) for user in users]
    return event, rsvps


def test_event_list_filters_and_searches(admin_client):
    group = GroupFactory(name="Riverside walkers")
    EventFactory(group=group, title="Canal walk")
    EventFactory(title="Quiz night", status=Event.Status.CANCELLED)
    url = reverse("admin:events_event_changelist")

    assert "Canal walk" in admin_client.get(url, {"q": "riverside"}).text
    assert "Quiz night" not in admin_client.get(url, {"q": "riverside"}).text
    cancelled = admin_client.get(url, {"status__exact": "cancelled"}).text
    assert "Quiz night" in cancelled
    assert "Canal walk" not in cancelled
    by_group = admin_client.get(url, {"group__id__exact": group.pk}).text
    assert "Canal walk" in by_group
    assert "Quiz night" not in by_group


def test_admin_adds_an_event_through_the_service(admin_client, admin_user):
    group = GroupFactory()
    tag = Tag.objects.create(name="Repair", slug="repair")

    response = admin_client.post(
        reverse("admin:events_event_add"), event_form(group, tags=[tag.pk])
    )

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.slug == f"repair-cafe-{START.date().isoformat()}"
    assert event.created_by == admin_user
    assert list(event.tags.all()) == [tag]


def test_admin_change_raising_capacity_promotes_the_waitlist(admin_client):
    event, rsvps = full_event_with_waitlist(capacity=1, waiting=2)
    data = event_form(
        event.group,
        title=event.title,
        capacity="2",
        timezone=event.timezone,
        venue_name=event.venue_name,
        address=event.address,
        category=event.category,
        description=event.description,
        seats_taken="0",
        starts_at_0=event.starts_at.date().isoformat(),
        starts_at_1=event.starts_at.strftime("%H:%M:%S"),
        ends_at_0=event.ends_at.date().isoformat(),
        ends_at_1=event.ends_at.strftime("%H:%M:%S"),
    )

    response = admin_client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 2
    assert event.seats_taken == 2  # read-only: the posted 0 is ignored
    assert Rsvp.objects.get(pk=rsvps[1].pk).status == Rsvp.Status.GOING
    assert Rsvp.objects.get(pk=rsvps[2].pk).status == Rsvp.Status.WAITLISTED


def test_admin_change_breaking_a_rule_shows_the_reason_and_saves_nothing(admin_client):
    event, _rsvps = full_event_with_waitlist(capacity=2, waiting=0)
    url = reverse("admin:events_event_change", args=[event.pk])
    data = event_form(
        event.group,
        title="Renamed",
        capacity="1",
        starts_at_0=event.starts_at.date().isoformat(),
        starts_at_1=event.starts_at.strftime("%H:%M:%S"),
        ends_at_0=event.ends_at.date().isoformat(),
        ends_at_1=event.ends_at.strftime("%H:%M:%S"),
    )

    response = admin_client.post(url, data, follow=True)

    assert "2 seats are already taken" in response.text
    event.refresh_from_db()
    assert event.capacity == 2
    assert event.title != "Renamed"


def test_admin_cancel_action_cancels_through_the_service(admin_client):
    event = EventFactory()
    response = admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "cancel_events", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "1 event cancelled." in response.text
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


@pytest.mark.parametrize("is_organizer", [False, True])
def test_staff_who_are_not_superusers_are_kept_out_of_the_admin(client, is_organizer):
    """The admin shows every group's events, private ones included: plain staff, even with
    model permissions and even as an organizer, never get in; organizers use the website."""
    event = EventFactory(
        group=GroupFactory(visibility="private"), address="12 Hidden Lane", online_url=""
    )
    staff = UserFactory(is_staff=True)
    if is_organizer:
        MembershipFactory(group=event.group, role=Membership.Role.ORGANIZER, user=staff)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_event", "change_event", "view_rsvp"])
    )
    client.force_login(staff)

    page = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("admin:login"))
    assert "12 Hidden Lane" not in page.text
    response = client.post(
        reverse("admin:events_event_changelist"),
        {"action": "cancel_events", "_selected_action": [event.pk]},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_rsvps_are_read_only_in_the_admin(admin_client):
    _event, rsvps = full_event_with_waitlist(capacity=1, waiting=1)
    change_url = reverse("admin:events_rsvp_change", args=[rsvps[0].pk])

    assert admin_client.get(reverse("admin:events_rsvp_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:events_rsvp_add")).status_code == 403
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert 'name="status"' not in page.text
    admin_client.post(change_url, {"status": "not_going", "guests": "5"})
    rsvps[0].refresh_from_db()
    assert (rsvps[0].status, rsvps[0].guests) == (Rsvp.Status.GOING, 0)


def test_admin_cancel_rsvp_action_promotes_the_waitlist(admin_client):
    _event, (going, waiting) = full_event_with_waitlist(capacity=1, waiting=1)
    response = admin_client.post(
        reverse("admin:events_rsvp_changelist"),
        {"action": "cancel_rsvps", "_selected_action": [going.pk]},
        follow=True,
    )
    assert "1 RSVP cancelled." in response.text
    going.refresh_from_db()
    waiting.refresh_from_db()
    assert (going.status, waiting.status) == (Rsvp.Status.NOT_GOING, Rsvp.Status.GOING)


def test_admin_adds_a_series_and_its_occurrences(admin_client):
    group = GroupFactory()
    data = event_form(
        group,
        title="Monday knitting",
        timezone="UTC",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        first_starts_at_0=START.date().isoformat(),
        first_starts_at_1="18:00:00",
        duration="02:00:00",
        horizon_days="60",
        ended_at_0="",
        ended_at_1="",
    )
    for name in ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at"):
        data.pop(f"{name}_0")
        data.pop(f"{name}_1")

    response = admin_client.post(reverse("admin:events_eventseries_add"), data)

    assert response.status_code == 302
    series = EventSeries.objects.get()
    horizon = timezone.now() + dt.timedelta(days=60)
    days = (START + dt.timedelta(days=n) for n in range(60))
    mondays = [day for day in days if day.weekday() == 0 and day <= horizon]
    assert sorted(e.starts_at for e in series.occurrences.all()) == mondays
    assert {e.title for e in series.occurrences.all()} == {"Monday knitting"}


def test_admin_series_with_a_nonsense_rule_is_refused(admin_client):
    group = GroupFactory()
    data = event_form(
        group,
        rrule="EVERY TUESDAY",
        first_starts_at_0=START.date().isoformat(),
        first_starts_at_1="18:00:00",
        duration="02:00:00",
        horizon_days="28",
        ended_at_0="",
        ended_at_1="",
    )
    response = admin_client.post(reverse("admin:events_eventseries_add"), data, follow=True)
    assert "The repeat rule is not valid" in response.text
    assert not EventSeries.objects.exists()


def test_tags_admin_lists_tags(admin_client):
    Tag.objects.create(name="Outdoors", slug="outdoors")
    assert "Outdoors" in admin_client.get(reverse("admin:events_tag_changelist")).text


@pytest.mark.parametrize("name", ["admin:events_event_add", "admin:events_eventseries_add"])
def test_add_pages_open(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_tags_are_read_only_in_the_admin(admin_client):
    """Tags are made and spelled by the events services only (set_tags)."""
    tag = Tag.objects.create(name="Outdoors", slug="outdoors")
    assert admin_client.get(reverse("admin:events_tag_add")).status_code == 403
    change = reverse("admin:events_tag_change", args=[tag.pk])
    admin_client.post(change, {"name": "Indoors", "slug": "indoors"})
    delete = reverse("admin:events_tag_delete", args=[tag.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Outdoors", "outdoors")


def test_event_change_page_shows_rule_fields_read_only(admin_client):
    event = EventFactory()
    page = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).text
    assert 'name="title"' in page
    for name in ("seats_taken", "status", "slug", "group"):
        assert f'name="{name}"' not in page


@pytest.mark.parametrize("name", ["admin:events_event_add", "admin:events_eventseries_add"])
def test_admin_forms_build_without_the_url_scheme_deprecation(admin_client, recwarn, name):
    admin_client.get(reverse(name))
    assert not [w for w in recwarn if "assume_scheme" in str(w.message)]


def test_admin_reads_a_link_without_scheme_as_https(admin_client):
    group = GroupFactory()
    response = admin_client.post(
        reverse("admin:events_event_add"),
        event_form(group, venue_name="", online_url="meet.example/choir"),
    )
    assert response.status_code == 302
    assert Event.objects.get().online_url == "https://meet.example/choir"


def test_every_events_model_in_the_admin_writes_through_services_or_not_at_all():
    from django.contrib import admin as django_admin

    from core.admin import ReadOnlyAdmin
    from events.admin import ThroughServicesAdmin

    registered = {
        model: model_admin
        for model, model_admin in django_admin.site._registry.items()
        if model._meta.app_label == "events"
    }
    assert set(registered) == {Event, EventSeries, Rsvp, SeriesRsvp, Tag, WalkIn}
    for model_admin in registered.values():
        assert isinstance(model_admin, (ThroughServicesAdmin, ReadOnlyAdmin)), model_admin


def test_events_and_series_are_cancelled_in_the_admin_not_deleted(admin_client):
    event = EventFactory()
    RsvpFactory(event=event)
    delete = reverse("admin:events_event_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_outside_a_moderation_session_the_admin_cannot_add_an_event(admin_client, admin_user):
    moderation_session_end(actor=admin_user)
    group = GroupFactory()
    response = admin_client.post(reverse("admin:events_event_add"), event_form(group), follow=True)
    assert not Event.objects.exists()
    assert "organizers and hosts" in response.content.decode()
