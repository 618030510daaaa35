"""The moderators' view of volunteering: read-only (every change goes through the volunteering
services on the website), and rows of private groups only inside a moderation session.

Care calendars are not here at all: who is ill, where they live and what they need is for the
calendar's coordinators and confirmed helpers, and no moderation task needs it.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from groups.admin import PrivateGroupRowsAdmin
from volunteering.models import (
    HoursEntry,
    HoursStatement,
    Role,
    Shift,
    ShiftSeries,
    ShiftSignup,
    VolunteerProject,
    WaiverAcceptance,
)


class VolunteeringAdmin(PrivateGroupRowsAdmin, ReadOnlyAdmin):
    pass


@admin.register(VolunteerProject)
class VolunteerProjectAdmin(VolunteeringAdmin):
    list_display = ["title", "group", "cause", "starts_on", "ends_on"]
    list_select_related = ["group"]
    search_fields = ["title"]


@admin.register(Role)
class RoleAdmin(VolunteeringAdmin):
    group_path = "project__group"
    list_display = ["name", "project"]
    list_select_related = ["project"]


@admin.register(ShiftSeries)
class ShiftSeriesAdmin(VolunteeringAdmin):
    group_path = "role__project__group"
    list_display = ["role", "rrule"]
    list_select_related = ["role"]


@admin.register(Shift)
class ShiftAdmin(VolunteeringAdmin):
    group_path = "role__project__group"
    list_display = ["role", "starts_at", "capacity", "seats_taken", "status"]
    list_select_related = ["role"]
    raw_id_fields = ["role", "series"]


@admin.register(ShiftSignup)
class ShiftSignupAdmin(VolunteeringAdmin):
    group_path = "shift__role__project__group"
    list_display = ["shift", "user", "status", "created_at"]
    list_select_related = ["shift", "user"]
    raw_id_fields = ["shift", "user"]


@admin.register(WaiverAcceptance)
class WaiverAcceptanceAdmin(VolunteeringAdmin):
    group_path = "project__group"
    list_display = ["project", "user", "accepted_at"]
    raw_id_fields = ["project", "user"]


@admin.register(HoursEntry)
class HoursEntryAdmin(VolunteeringAdmin):
    group_path = "project__group"
    list_display = ["volunteer", "project", "hours", "status", "created_at"]
    list_select_related = ["volunteer", "project"]
    raw_id_fields = ["volunteer", "project", "shift", "signup", "corrects"]


@admin.register(HoursStatement)
class HoursStatementAdmin(VolunteeringAdmin):
    list_display = ["volunteer", "group", "issued_at"]
    list_select_related = ["volunteer", "group"]
    raw_id_fields = ["volunteer", "group"]
