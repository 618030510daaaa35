from allauth import urls as allauth_urls
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from core.web import limit_methods
from events import views as event_views

urlpatterns = [
    path("", event_views.home, name="home"),
    path("accounts/", include(limit_methods(allauth_urls.urlpatterns))),
    path("accounts/", include("accounts.urls")),
    path("groups/<slug:slug>/events.ics", event_views.group_events_ics, name="group_events_ics"),
    path(
        "groups/<slug:slug>/events/new/", event_views.group_event_create, name="group_event_create"
    ),
    path("calendar/<slug:token>.ics", event_views.calendar_feed, name="calendar_feed"),
    path("groups/", include("groups.urls")),
    path("events/", include("events.urls")),
    path("notifications/", include("notifications.urls")),
    path("volunteer/", include("volunteering.urls")),
    path("organize/", include("workspace.urls")),
    path("", include("partners.urls")),
    path("places/suggest/", core_views.place_suggestions, name="place_suggestions"),
    path("moderation/", core_views.moderation_session, name="moderation"),
    path("moderation/end/", core_views.moderation_session_stop, name="moderation_end"),
    path("admin/", admin.site.urls),
]
# Uploaded pictures, served by Django only with DEBUG on (static() adds nothing otherwise).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
