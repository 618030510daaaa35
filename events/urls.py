from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("mine/", views.my_events, name="mine"),
    path("check-in/<str:token>/", views.check_in_link, name="check_in_link"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/rsvp/", views.event_rsvp, name="rsvp"),
    path("<slug:slug>/report/", views.event_report, name="report"),
    path("<slug:slug>/rsvp/cancel/", views.event_rsvp_cancel, name="rsvp_cancel"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/cancel/", views.event_cancel, name="cancel"),
    path("<slug:slug>/copy/", views.event_copy, name="copy"),
    path("<slug:slug>/series/edit/", views.event_series_edit, name="series_edit"),
    path("<slug:slug>/series/stop/", views.event_series_stop, name="series_stop"),
    path("<slug:slug>/every-date/", views.standing_rsvp, name="standing_rsvp"),
    path("<slug:slug>/attendees/", views.event_attendees, name="attendees"),
]
