"""Volunteer projects, roles, shifts and sign-ups; hours; care calendars."""
