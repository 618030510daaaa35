"""Volunteer projects, roles, shifts and sign-ups; hours; care calendars."""

from django.urls import include, path

import core.converters  # noqa: F401 - registers <id:...>
from volunteering import views
from volunteering.hours.urls import urlpatterns as hours_urlpatterns

app_name = "volunteering"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("mine/", views.my_shifts, name="mine"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("projects/<slug:slug>/shifts/<id:pk>/", views.shift_detail, name="shift"),
    path("projects/<slug:slug>/shifts/<id:pk>.ics", views.shift_ics, name="shift_ics"),
    path("projects/<slug:slug>/shifts/<id:pk>/signup/", views.shift_signup, name="signup"),
    path("projects/<slug:slug>/shifts/<id:pk>/withdraw/", views.shift_withdraw, name="withdraw"),
    path("projects/<slug:slug>/shifts/<id:pk>/team/", views.shift_team, name="team"),
    *hours_urlpatterns,
    path("care/", include("volunteering.care.urls")),
]
