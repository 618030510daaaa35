"""Staff admin for groups: thin. Memberships change only through the website's services, so the
rules (last organizer, bans, announcements) cannot be skipped here."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from groups import permissions, services
from groups.models import Group, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "status", "joined_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "category", "city", "visibility", "join_policy", "created_at"]
    list_filter = ["visibility", "join_policy", "category"]
    search_fields = ["name", "slug", "city"]
    readonly_fields = ["slug", "created_by", "created_at", "updated_at"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        # A group needs its first organizer: people start groups on the website.
        return False

    def has_delete_permission(self, request, obj=None):
        # Closing goes through the service (site moderators and the group's organizers), so
        # other apps hear "group.deleting" first.
        if obj is None:
            return permissions.is_site_moderator(request.user)
        return permissions.can_manage_group(request.user, obj)

    def get_deleted_objects(self, objs, request):
        # Memberships, events and RSVPs go with the group; the service, not the admin's
        # per-model delete permissions, decides who may close it.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        services.group_delete(group=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            services.group_delete(group=group, actor=request.user)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "group", "role", "status", "joined_at"]
    list_filter = ["role", "status"]
    search_fields = ["group__name", "user__email", "user__display_name"]
    list_select_related = ["user", "group"]
    raw_id_fields = ["user", "group"]
