"""Volunteer projects, roles, shifts and sign-ups; hours; care calendars."""

from django.urls import include, path

app_name = "volunteering"

urlpatterns = [
    path("care/", include("volunteering.care.urls")),
]
