from django.urls import path

import core.converters  # noqa: F401 - registers <id:...>
from volunteering.care import views

app_name = "care"
urlpatterns = [
    path("", views.care_list, name="list"),
    path("new/", views.care_create, name="new"),
    path("feed/<str:token>.ics", views.care_feed, name="feed"),
    path("join/<str:token>/", views.care_invitation, name="invitation"),
    path("<str:code>/", views.care_detail, name="detail"),
    path("<str:code>/edit/", views.care_edit, name="edit"),
    path("<str:code>/close/", views.care_close, name="close"),
    path("<str:code>/slots/new/", views.care_slot_new, name="slot_new"),
    path("<str:code>/slots/<id:slot_id>/take/", views.care_slot_take, name="slot_take"),
    path("<str:code>/slots/<id:slot_id>/release/", views.care_slot_release, name="slot_release"),
    path("<str:code>/slots/<id:slot_id>/cancel/", views.care_slot_cancel, name="slot_cancel"),
    path("<str:code>/slots/<id:slot_id>/move/", views.care_slot_move, name="slot_move"),
    path("<str:code>/series/<id:series_id>/stop/", views.care_series_stop, name="series_stop"),
    path("<str:code>/limit/", views.care_limit, name="limit"),
    path("<str:code>/coordinators/", views.care_coordinators, name="coordinators"),
    path("<str:code>/invitation/reset/", views.care_invitation_reset, name="invitation_reset"),
    path("<str:code>/updates/", views.care_update_post, name="update"),
]
