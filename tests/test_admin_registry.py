"""The admin writes through services or is read-only, for every model it shows: a new model
admin that neither calls the services nor refuses changes fails here."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.admin import ReadOnlyAdmin, ThroughServicesAdmin

# Registered by django-axes: deleting a lock-out row is how a moderator lifts it; no rule of the
# project lives in these rows.
THIRD_PARTY_AS_IS = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def _registry():
    return {
        model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
    }


@pytest.mark.parametrize("label", sorted(_registry()))
def test_every_model_admin_goes_through_services_or_is_read_only(label, admin_user):
    model_admin = _registry()[label]
    if label in THIRD_PARTY_AS_IS:
        return
    assert isinstance(model_admin, (ReadOnlyAdmin, ThroughServicesAdmin)), (
        f"{label}: {type(model_admin).__name__} neither writes through services nor is read-only"
    )
    if isinstance(model_admin, ReadOnlyAdmin):
        request = RequestFactory().get("/admin/")
        request.user = admin_user
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_unused_permission_groups_are_not_offered():
    assert "auth.group" not in _registry()


def test_the_project_models_are_all_in_the_admin_or_deliberately_left_out():
    """Every model of the project's apps is either in the admin or listed here with a reason."""
    from django.apps import apps

    # Care calendars (who is ill, where they live, what they need) are for their coordinators
    # and confirmed helpers; no moderation task needs them, so the admin does not show them.
    left_out = {
        "volunteering.carecalendar",
        "volunteering.carecoordinator",
        "volunteering.carehelper",
        "volunteering.careslotseries",
        "volunteering.careslot",
        "volunteering.caresignup",
        "volunteering.careupdate",
    }
    project = {"core", "accounts", "notifications", "groups", "events", "volunteering"}
    registered = set(_registry())
    missing = {
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.app_label in project and model._meta.label_lower not in registered
    } - left_out
    assert not missing, f"models with no admin: {sorted(missing)}"


@pytest.fixture
def private_world(db):
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from core import activity
    from groups.models import Group, Membership
    from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory

    group = GroupFactory(name="Quiet Harbour Circle", visibility=Group.Visibility.PRIVATE)
    member = MembershipFactory(group=group, role=Membership.Role.MEMBER).user
    event = EventFactory(
        group=group,
        title="Harbour evening share",
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
    )
    rsvp = RsvpFactory(event=event, user=member, status="going")
    with transaction.atomic():
        activity.record(actor=member, verb="rsvp.secret", subject=rsvp, group_id=group.pk)
    return {"group": group, "event": event, "rsvp": rsvp, "member": member}


CHANGELISTS = [
    "admin:groups_group_changelist",
    "admin:groups_membership_changelist",
    "admin:events_event_changelist",
    "admin:events_eventseries_changelist",
    "admin:events_rsvp_changelist",
    "admin:core_activity_changelist",
]


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_outside_a_moderation_session_the_admin_shows_no_private_group_rows(
    admin_client, private_world, url_name
):
    from django.urls import reverse

    page = admin_client.get(reverse(url_name)).content.decode()
    assert "Quiet Harbour" not in page
    assert "Harbour evening share" not in page
    assert "rsvp.secret" not in page
    assert str(private_world["member"]) not in page


def test_private_rows_open_in_the_admin_only_in_a_session_and_are_logged(
    admin_client, admin_user, private_world
):
    from django.urls import reverse

    from core.models import Activity
    from core.moderation import moderation_session_start

    event = private_world["event"]
    url = reverse("admin:events_event_change", args=[event.pk])
    assert "Harbour evening share" not in admin_client.get(url).content.decode()
    moderation_session_start(actor=admin_user, reason="A report about this event")
    assert "Harbour evening share" in admin_client.get(url).content.decode()
    assert Activity.objects.filter(
        verb="moderation.viewed", subject=f"events.event:{event.pk}"
    ).exists()
    listing = admin_client.get(reverse("admin:events_rsvp_changelist")).content.decode()
    assert str(private_world["member"]) in listing


@pytest.mark.parametrize("label", sorted(_registry()))
def test_every_admin_list_and_add_page_opens(admin_client, label):
    from django.urls import reverse

    app_label, model_name = label.split(".")
    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200
