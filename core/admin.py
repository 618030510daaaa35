"""Admin pieces shared by every app."""

from django.contrib import admin
from django.http import HttpResponseRedirect

from core.exceptions import ServiceError
from core.models import ModerationSession, Postcode
from core.web import message_service_error


class ThroughServicesAdmin(admin.ModelAdmin):
    """An admin whose saves and deletes call the app's services: a rule they enforce comes back
    as an error message on the same page, with nothing saved (the admin's transaction is rolled
    back), instead of a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as error:
            message_service_error(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceError as error:
            message_service_error(request, error)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows staff may look at but not add, edit or delete: their changes go through services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationSession)
class ModerationSessionAdmin(ReadOnlyAdmin):
    """Who looked into private groups, why and for how long; started and ended on the site."""

    list_display = ("moderator", "reason", "started_at", "expires_at", "ended_at")
    list_select_related = ("moderator",)


# Third-party models the moderators' admin would otherwise let them change behind the services'
# backs: Django's permission groups are unused (moderators are superusers); the site's name is
# set on migrate; email addresses change through allauth's pages, which rotate the calendar
# link. django-axes' lock-out rows stay as axes registers them: deleting one is how a
# moderator lifts a lock-out, and no rule of ours lives there.
class SiteAdmin(ReadOnlyAdmin):
    list_display = ("domain", "name")


class EmailAddressAdmin(ReadOnlyAdmin):
    list_display = ("email", "user", "primary", "verified")
    search_fields = ("email",)


def _tidy_third_party_admins() -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group as PermissionGroup
    from django.contrib.sites.models import Site

    for model in (PermissionGroup, Site, EmailAddress):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
    admin.site.register(Site, SiteAdmin)
    admin.site.register(EmailAddress, EmailAddressAdmin)


_tidy_third_party_admins()


@admin.register(Postcode)
class PostcodeAdmin(ReadOnlyAdmin):
    """Postcodes come from the operator's file (`manage.py load_postcodes`)."""

    list_display = ("code", "latitude", "longitude")
    search_fields = ("code",)
