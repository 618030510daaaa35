from django.urls import path

import core.converters  # noqa: F401 - registers <id:...>
from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/calendar-link/reset/", views.calendar_token_reset, name="calendar_token_reset"),
    path("language/", views.language_set, name="language"),
    path("data/", views.data, name="data"),
    path("blocked/", views.blocked, name="blocked"),
    path("blocked/<id:user_id>/unblock/", views.unblock, name="unblock"),
    path("delete/", views.delete, name="delete"),
]
