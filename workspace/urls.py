from django.urls import include, path

import core.converters  # noqa: F401 - registers <id:...>
from workspace.views import (
    activity,
    events,
    exports,
    home,
    members,
    messages,
    reports,
    volunteering,
)

app_name = "workspace"

event_patterns = [
    path("", events.event_detail, name="event"),
    path("check-in/", events.check_in, name="check_in"),
    path("check-in/<id:rsvp_id>/", events.check_in_mark, name="check_in_mark"),
    path("walk-ins/", events.walk_in_add, name="walk_in_add"),
    path("walk-ins/<id:walk_in_id>/remove/", events.walk_in_remove, name="walk_in_remove"),
    path("capacity/", events.event_capacity, name="event_capacity"),
    path("waitlist/<id:rsvp_id>/admit/", events.waitlist_admit, name="waitlist_admit"),
    path("attendees.csv", exports.event_attendees_csv, name="event_attendees_csv"),
    path("message/", messages.event_message, name="event_message"),
    path("sign-in-sheet/", events.sign_in_sheet, name="sign_in_sheet"),
]

volunteering_project_patterns = [
    path("", volunteering.project_detail, name="volunteering_project"),
    path("edit/", volunteering.project_edit, name="volunteering_project_edit"),
    path("cancel/", volunteering.project_cancel, name="volunteering_project_cancel"),
    path("roles/", volunteering.role_new, name="volunteering_role_new"),
    path("roles/<id:role_id>/", volunteering.role_edit, name="volunteering_role_edit"),
    path("shifts/new/", volunteering.shift_new, name="volunteering_shift_new"),
    path("shifts/<id:shift_id>/", volunteering.shift_detail, name="volunteering_shift"),
    path("shifts/<id:shift_id>/edit/", volunteering.shift_edit, name="volunteering_shift_edit"),
    path(
        "shifts/<id:shift_id>/cancel/", volunteering.shift_cancel, name="volunteering_shift_cancel"
    ),
    path(
        "shifts/<id:shift_id>/check-in/<id:signup_id>/",
        volunteering.check_in,
        name="volunteering_check_in",
    ),
    path("series/<id:series_id>/stop/", volunteering.series_stop, name="volunteering_series_stop"),
    path("hours/", volunteering.hours_review, name="volunteering_hours_review"),
    path("hours.csv", volunteering.hours_export, name="volunteering_hours_csv"),
]

urlpatterns = [
    path("", home.index, name="index"),
    path("<slug:group_slug>/", home.dashboard, name="dashboard"),
    path("<slug:group_slug>/events/", events.event_list, name="events"),
    path("<slug:group_slug>/members/", members.member_list, name="members"),
    path("<slug:group_slug>/message/", messages.group_message, name="group_message"),
    path("<slug:group_slug>/activity/", activity.activity_log, name="activity"),
    path("<slug:group_slug>/reports/", reports.report_list, name="reports"),
    path(
        "<slug:group_slug>/reports/<id:report_id>/",
        reports.report_decide_view,
        name="report_decide",
    ),
    path("<slug:group_slug>/members.csv", exports.members_csv, name="members_csv"),
    path("<slug:group_slug>/attendance.csv", exports.attendance_csv, name="attendance_csv"),
    path("<slug:group_slug>/requests/", members.requests_decide, name="requests_decide"),
    path("<slug:group_slug>/members/<id:user_id>/role/", members.member_role, name="member_role"),
    path(
        "<slug:group_slug>/members/<id:user_id>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path("<slug:group_slug>/members/<id:user_id>/ban/", members.member_ban, name="member_ban"),
    path(
        "<slug:group_slug>/members/<id:user_id>/unban/", members.member_unban, name="member_unban"
    ),
    path(
        "<slug:group_slug>/members/<id:user_id>/attendance/",
        events.member_attendance,
        name="member_attendance",
    ),
    path("<slug:group_slug>/events/<slug:event_slug>/", include(event_patterns)),
    path("<slug:group_slug>/volunteering/", volunteering.project_list, name="volunteering"),
    path(
        "<slug:group_slug>/volunteering/new/",
        volunteering.project_new,
        name="volunteering_project_new",
    ),
    path(
        "<slug:group_slug>/volunteering/<slug:project_slug>/",
        include(volunteering_project_patterns),
    ),
]
