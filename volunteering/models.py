"""Volunteer projects, roles, shifts and sign-ups; hours; care calendars."""

from volunteering.care_models import *  # noqa: F403 - care calendars (volunteering.care)
