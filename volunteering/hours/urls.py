"""Hours addresses, joined into the volunteering app's URLconf (namespace "volunteering")."""

from django.urls import path

import core.converters  # noqa: F401 - registers <id:...>
from volunteering.hours import views

urlpatterns = [
    path("hours/", views.my_hours, name="my_hours"),
    path("hours/log/", views.hours_log, name="hours_log"),
    path("hours/statements/", views.statement_issue, name="statement_issue"),
    path("hours/statements/<str:code>.pdf", views.statement_pdf, name="statement_pdf"),
    path("hours/projects/<slug:slug>/", views.project_hours, name="project_hours"),
    path(
        "hours/projects/<slug:slug>/export.csv",
        views.project_hours_export,
        name="project_hours_export",
    ),
    path("hours/entries/<id:pk>/review/", views.entry_review, name="hours_entry_review"),
    path("hours/entries/<id:pk>/correct/", views.entry_correct, name="hours_entry_correct"),
    path("statements/verify/", views.statement_verify_form, name="statement_verify_form"),
    path("statements/<str:code>/", views.statement_verify, name="statement_verify"),
]
