"""Moderators' admin for accounts: people's own data is read-only here (they change it
themselves), access (active, staff, moderator) changes through user_access_set and deletion
through user_delete. Accounts are made by signing up, or `createsuperuser`."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import PROFILE_FIELDS, Block, User
from accounts.services import ACCESS_FIELDS, user_access_set, user_delete
from core.admin import ReadOnlyAdmin, ThroughServicesAdmin
from core.exceptions import ServiceError


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class DeletedFilter(admin.SimpleListFilter):
    title = _("deleted")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", _("Deleted")), ("no", _("Not deleted"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


@admin.register(User)
class UserAdmin(ThroughServicesAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ("email", "display_name", "city", "is_active", "is_staff", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", DeletedFilter, "date_joined")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    readonly_fields = ("email", *PROFILE_FIELDS, "last_login", "date_joined", "deleted_at")
    profile_fieldset_name = _("Profile")
    fieldsets = (
        (None, {"fields": ("email",)}),
        (profile_fieldset_name, {"fields": PROFILE_FIELDS}),
        (_("Access"), {"fields": ACCESS_FIELDS}),
        (
            _("Dates"),
            {"fields": ("last_login", "date_joined", "deleted_at")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    actions = ["delete_and_anonymize"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Only the access fields are editable: through the service that keeps a moderator."""
        access = {
            name: form.cleaned_data[name] for name in ACCESS_FIELDS if name in form.changed_data
        }
        if access:
            user_access_set(user=obj, actor=request.user, **access)

    def has_delete_permission(self, request, obj=None):
        # A plain delete would cascade through RSVPs without freeing seats; use the action.
        return False

    @admin.action(description=_("Delete and anonymize the selected accounts"))
    def delete_and_anonymize(self, request, queryset):
        deleted = 0
        for user in queryset.filter(deleted_at__isnull=True):
            try:
                user_delete(user=user, actor=request.user)
            except ServiceError as error:
                self.message_user(
                    request,
                    _("%(email)s was not deleted: %(reasons)s")
                    % {"email": user.email, "reasons": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                deleted += 1
        if deleted:
            self.message_user(
                request,
                ngettext("%d account deleted.", "%d accounts deleted.", deleted) % deleted,
                messages.SUCCESS,
            )


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    """Who blocked whom: made and undone by the people themselves on the site."""

    list_display = ("created_at", "blocker", "blocked")
    list_select_related = ("blocker", "blocked")
    raw_id_fields = ("blocker", "blocked")
