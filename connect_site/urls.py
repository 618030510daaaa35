from django.contrib import admin
from django.urls import include, path

from events import views as event_views

urlpatterns = [
    path("", event_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("groups/", include("groups.urls")),
    path("events/", include("events.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]
