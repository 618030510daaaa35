"""Volunteer projects, roles, shifts and sign-ups; hours; care calendars."""

from volunteering.hours.urls import urlpatterns as hours_urlpatterns

app_name = "volunteering"

urlpatterns = [
    *hours_urlpatterns,
]
