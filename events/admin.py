"""Staff and organizer admin for events: thin, every change with a rule goes through services."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin, ThroughServicesAdmin
from core.exceptions import ServiceError
from events.models import (
    EVENT_FIELDS,
    SERIES_FIELDS,
    SERIES_RULE_FIELDS,
    Event,
    EventSeries,
    Rsvp,
    SeriesRsvp,
    Tag,
    WalkIn,
)
from events.services import (
    event_cancel,
    event_create,
    event_series_create,
    event_series_materialize,
    event_series_update,
    event_update,
    rsvp_cancel,
)
from groups.admin import PrivateGroupRowsAdmin


class EventsThroughServicesAdmin(ThroughServicesAdmin):
    """Saves with the events services."""

    # A link typed without a scheme is an https link (Django 6's default, asked for now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request, obj=None):
        # Deleting would drop RSVPs and notices without a word: cancel through the service.
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The services never move an event or a series to another group.
            fields.append("group")
        return fields

    def save_related(self, request, form, formsets, change):
        # Tags are saved by the service; only inlines (none today) are left to the admin.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _changes(self, form, allowed, *, change: bool) -> dict:
        names = form.changed_data if change else form.cleaned_data
        return {name: form.cleaned_data[name] for name in names if name in allowed}

    def _tags(self, form, *, change: bool):
        if "tags" not in form.cleaned_data or (change and "tags" not in form.changed_data):
            return None
        return list(form.cleaned_data["tags"])


def _for_each(modeladmin, request, items, act, done_message) -> None:
    """Run a service on each selected row; report what was done and each refusal."""
    done = 0
    for item in items:
        try:
            act(item)
        except ServiceError as error:
            reason = " ".join(error.messages)
        else:
            done += 1
            continue
        # Translators: an admin row an action could not be applied to, and why.
        refusal = _("%(item)s: %(reason)s") % {"item": item, "reason": reason}
        modeladmin.message_user(request, refusal, messages.ERROR)
    if done:
        modeladmin.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)


@admin.register(Event)
class EventAdmin(PrivateGroupRowsAdmin, EventsThroughServicesAdmin):
    list_display = ["title", "group", "starts_at", "status", "capacity", "seats_taken", "series"]
    # No filter by group: its choices would name every private group.
    list_filter = ["status", "category", "edited_from_series"]
    search_fields = ["title", "slug", "venue_name", "group__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["group", "series"]
    autocomplete_fields = ["tags"]
    raw_id_fields = ["group"]
    readonly_fields = [
        "slug",
        "status",
        "cancellation_message",
        "seats_taken",
        "series",
        "recurrence_id",
        "edited_from_series",
        # The picture changes on the website (event_update takes the upload); here it is shown.
        "picture",
        "picture_alt",
        "created_by",
        "created_at",
        "updated_at",
    ]
    actions = ["cancel_events"]

    def save_model(self, request, obj, form, change):
        tags = self._tags(form, change=change)
        fields = self._changes(form, EVENT_FIELDS, change=change)
        if change:
            saved = event_update(
                event=Event.objects.get(pk=obj.pk), actor=request.user, tags=tags, **fields
            )
        else:
            saved = event_create(
                group=form.cleaned_data["group"], actor=request.user, tags=tags or (), **fields
            )
        obj.pk, obj.slug = saved.pk, saved.slug

    @admin.action(description=_("Cancel the selected events"), permissions=["change"])
    def cancel_events(self, request, queryset):
        _for_each(
            self,
            request,
            queryset,
            lambda event: event_cancel(event=event, actor=request.user),
            lambda n: ngettext("%(count)s event cancelled.", "%(count)s events cancelled.", n),
        )


@admin.register(EventSeries)
class EventSeriesAdmin(PrivateGroupRowsAdmin, EventsThroughServicesAdmin):
    list_display = ["title", "group", "rrule", "first_starts_at", "materialized_until", "ended_at"]
    list_filter = ["category"]
    search_fields = ["title", "group__name", "rrule"]
    list_select_related = ["group"]
    autocomplete_fields = ["tags"]
    raw_id_fields = ["group"]
    readonly_fields = ["materialized_until", "created_by", "created_at", "updated_at"]
    actions = ["materialize"]

    def save_model(self, request, obj, form, change):
        tags = self._tags(form, change=change)
        fields = self._changes(form, (*SERIES_FIELDS, *SERIES_RULE_FIELDS), change=change)
        if change:
            saved = event_series_update(
                series=EventSeries.objects.get(pk=obj.pk), actor=request.user, tags=tags, **fields
            )
        else:
            saved = event_series_create(
                group=form.cleaned_data["group"], actor=request.user, tags=tags or (), **fields
            )
        obj.pk = saved.pk

    @admin.action(description=_("Create coming occurrences now"), permissions=["change"])
    def materialize(self, request, queryset):
        created = sum(event_series_materialize(series=series) for series in queryset)
        self.message_user(
            request,
            ngettext("%(count)s occurrence created.", "%(count)s occurrences created.", created)
            % {"count": created},
        )


@admin.register(Rsvp)
class RsvpAdmin(PrivateGroupRowsAdmin, ReadOnlyAdmin):
    """Read-only: seats and the waitlist change only through the RSVP services."""

    group_path = "event__group"

    list_display = ["user", "event", "status", "guests", "waitlist_position", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__display_name", "event__title", "event__slug"]
    list_select_related = ["user", "event"]
    raw_id_fields = ["user", "event"]
    actions = ["cancel_rsvps"]

    @admin.action(description=_("Cancel the selected RSVPs"), permissions=["view"])
    def cancel_rsvps(self, request, queryset):
        _for_each(
            self,
            request,
            queryset.select_related("user", "event"),
            lambda rsvp: rsvp_cancel(rsvp=rsvp, actor=request.user),
            lambda n: ngettext("%(count)s RSVP cancelled.", "%(count)s RSVPs cancelled.", n),
        )


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    """Read-only: tags are made, found and spelled by the events services (set_tags), from what
    organizers type; the admin's tag pickers search here."""

    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(WalkIn)
class WalkInAdmin(PrivateGroupRowsAdmin, ReadOnlyAdmin):
    """People added at the door by name; recorded through the attendance services."""

    group_path = "event__group"
    list_display = ["name", "event", "created_at"]
    raw_id_fields = ["event"]


@admin.register(SeriesRsvp)
class SeriesRsvpAdmin(PrivateGroupRowsAdmin, ReadOnlyAdmin):
    """Standing RSVPs to series, read-only: members start and stop them on the event page, and
    the services end them when a member leaves, a series stops or an account goes."""

    group_path = "series__group"
    list_display = ["user", "series", "created_at", "ended_at", "end_reason"]
    list_filter = ["end_reason"]
    search_fields = ["user__email", "user__display_name", "series__title"]
    list_select_related = ["user", "series"]
    raw_id_fields = ["user", "series"]
