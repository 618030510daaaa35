"""The site moderators' admin for groups: thin, and through the services.

A group's details change through groups.services.group_update and it closes through
group_delete (so the activity log is written and other apps hear "group.deleting"); memberships
are read-only here but for three actions (remove, ban, lift a ban) that call the same services
as the website, which keep the rules (last organizer, permissions). Private
groups and their memberships appear only to a superuser inside a moderation session
(core.moderation), and each private group opened here is written to the activity log.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ThroughServicesAdmin
from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from core.moderation import is_site_moderator, note_private_view
from groups import permissions, reports, services
from groups.models import Group, Membership, Report


class PrivateGroupRowsAdmin(admin.ModelAdmin):
    """Rows that belong to a group (`group_path` leads from the row to it): those of private
    groups appear only inside a moderation session, and opening one there is logged, as for
    the groups themselves."""

    group_path = "group"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if is_site_moderator(request.user):
            return rows
        return rows.exclude(**{f"{self.group_path}__visibility": Group.Visibility.PRIVATE})

    def get_object(self, request, object_id, from_field=None):
        row = super().get_object(request, object_id, from_field)
        if row is not None:
            group = row
            for step in self.group_path.split("__"):
                group = getattr(group, step)
            if group.is_private:
                note_private_view(request.user, subject=row, group_id=group.pk)
        return row


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "status", "joined_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Group)
class GroupAdmin(ThroughServicesAdmin):
    list_display = ["name", "slug", "category", "city", "visibility", "join_policy", "created_at"]
    list_filter = ["visibility", "join_policy", "category"]
    search_fields = ["name", "slug", "city"]
    fields = [
        *services.EDITABLE_FIELDS,
        "picture",
        "slug",
        "created_by",
        "created_at",
        "updated_at",
    ]
    # The picture changes on the website (group_update takes the upload); here it is shown.
    readonly_fields = ["picture", "slug", "created_by", "created_at", "updated_at"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        groups = super().get_queryset(request)
        if is_site_moderator(request.user):
            return groups
        return groups.exclude(visibility=Group.Visibility.PRIVATE)

    def get_object(self, request, object_id, from_field=None):
        group = super().get_object(request, object_id, from_field)
        if group is not None and group.is_private:
            note_private_view(request.user, subject=group, group_id=group.pk)
        return group

    def has_add_permission(self, request):
        # A group needs its first organizer: people start groups on the website.
        return False

    def has_change_permission(self, request, obj=None):
        # Moderators act as a group's organizers only inside a moderation session.
        if obj is None:
            return is_site_moderator(request.user)
        return permissions.can_manage_group(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Closing goes through the service (site moderators and the group's organizers), so
        # other apps hear "group.deleting" first.
        if obj is None:
            return is_site_moderator(request.user)
        return permissions.can_manage_group(request.user, obj)

    def get_deleted_objects(self, objs, request):
        # Memberships, events and RSVPs go with the group; the service, not the admin's
        # per-model delete permissions, decides who may close it.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def save_model(self, request, obj, form, change):
        changed = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.EDITABLE_FIELDS
        }
        # The service compares against the saved row, not the form's already-changed copy.
        group = Group.objects.get(pk=obj.pk)
        services.group_update(group=group, actor=request.user, **changed)
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.group_delete(group=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            services.group_delete(group=group, actor=request.user)


def _through_service(service, description: str, done: str):
    """An admin action that runs a membership service on each selected row, as the moderator,
    and reports each refusal (the services keep every rule: last organizer, permissions...)."""

    def action(modeladmin, request, queryset):
        count = 0
        for membership in queryset.select_related("user", "group"):
            try:
                service(membership=membership, actor=request.user)
            except ServiceError as error:
                for message in error.messages:
                    messages.error(request, f"{membership}: {message}")
            else:
                count += 1
        if count:
            messages.success(request, done % {"count": count})

    action.short_description = description
    action.__name__ = service.__name__
    return action


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """Memberships are not edited here; a moderator (in a session, or an organizer of the
    group) may remove, ban or lift a ban through the same services as the website."""

    list_display = ["user", "group", "role", "status", "joined_at"]
    list_filter = ["role", "status"]
    search_fields = ["group__name", "user__email", "user__display_name"]
    list_select_related = ["user", "group"]
    raw_id_fields = ["user", "group"]
    actions = [
        _through_service(
            services.membership_remove, _("Remove from the group"), _("%(count)d removed.")
        ),
        _through_service(services.membership_ban, _("Ban from the group"), _("%(count)d banned.")),
        _through_service(services.membership_unban, _("Lift the ban"), _("%(count)d bans lifted.")),
    ]

    def get_queryset(self, request):
        memberships = super().get_queryset(request)
        if is_site_moderator(request.user):
            return memberships
        return memberships.exclude(group__visibility=Group.Visibility.PRIVATE)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    """The activity log: what changed, who did it, when. Written by services only."""

    list_display = ("created_at", "actor_kind", "actor_label", "verb", "subject", "group_id")
    list_filter = ("actor_kind", "verb")
    search_fields = ("verb", "subject")
    date_hierarchy = "created_at"
    list_select_related = ("actor_user",)

    def get_queryset(self, request):
        # Who did what in a private group is the group's business: shown only in a session.
        rows = super().get_queryset(request)
        if is_site_moderator(request.user):
            return rows
        private = Group.objects.filter(visibility=Group.Visibility.PRIVATE).values("pk")
        return rows.exclude(group_id__in=private)

    def get_exclude(self, request, obj=None):
        # What changed can quote a private group's text: shown only inside a moderation session.
        return () if is_site_moderator(request.user) else ("data",)


def _decide(outcome: str, description):
    """An admin action that decides each selected open report through groups.reports."""

    def action(modeladmin, request, queryset):
        count = 0
        for report in queryset.select_related("group"):
            try:
                reports.report_decide(report=report, actor=request.user, outcome=outcome)
            except (ServiceError, NotAllowed) as error:
                for message in getattr(error, "messages", [str(error)]):
                    messages.error(request, f"{report}: {message}")
            else:
                count += 1
        if count:
            messages.success(request, _("%(count)d reports decided.") % {"count": count})

    action.short_description = description
    action.__name__ = f"report_{outcome}"
    return action


@admin.register(Report)
class ReportAdmin(PrivateGroupRowsAdmin, ReadOnlyAdmin):
    """The site staff's queue: reports about groups and their organizers (filter "for site
    staff"), decided through the same service as the organizers' queue; those about a group's
    content are its organizers' (a moderator may decide them inside a session)."""

    list_display = ["created_at", "about", "subject_label", "group", "for_staff", "status"]
    list_filter = ["for_staff", "status", "about"]
    list_select_related = ["group"]
    raw_id_fields = ["group", "reported_user", "reporter", "decided_by"]
    actions = [
        _decide(Report.Status.DISMISSED, _("Dismiss")),
        _decide(Report.Status.WARNED, _("Mark as warned")),
        _decide(Report.Status.REMOVED, _("Mark as removed (removes a reported member)")),
        _decide(Report.Status.BANNED, _("Ban the reported member")),
    ]
