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

    left_out = set()
    project = {"core", "accounts", "notifications", "groups", "events", "volunteering"}
    registered = set(_registry())
    missing = {
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.app_label in project and model._meta.label_lower not in registered
    } - left_out
    assert not missing, f"models with no admin: {sorted(missing)}"
