"""The partner API under /api/v1/ (its schema and docs beside it)."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from partners import views as pages
from partners.api import registration_views, views
from partners.api import volunteering_views as vol
from partners.api.problems import problem_response
from partners.urls_site import urlpatterns as site_urlpatterns

app_name = "partners"


@csrf_exempt
def api_not_found(request, rest=""):
    """Any other address under /api/v1/: a problem+json 404, whatever the method (no CSRF
    check: nothing happens here, and a key-bearing client has no CSRF cookie)."""
    return problem_response(404, "Not found.")


urlpatterns = [
    path(
        "partners/registrations/<str:token>/",
        pages.registration_answer,
        name="registration",
    ),
    path("api/v1/groups", views.GroupListView.as_view(), name="api-groups"),
    path("api/v1/groups/<int:pk>", views.GroupDetailView.as_view(), name="api-group"),
    path("api/v1/events", views.EventListView.as_view(), name="api-events"),
    path("api/v1/events/<int:pk>", views.EventDetailView.as_view(), name="api-event"),
    path("api/v1/events/<int:pk>/cancel", views.EventCancelView.as_view(), name="api-event-cancel"),
    path("api/v1/events/<int:pk>/rsvps", views.EventRsvpListView.as_view(), name="api-event-rsvps"),
    path(
        "api/v1/events/<int:pk>/registrations",
        registration_views.EventRegistrationView.as_view(),
        name="api-event-registrations",
    ),
    path(
        "api/v1/shifts/<int:pk>/registrations",
        registration_views.ShiftRegistrationView.as_view(),
        name="api-shift-registrations",
    ),
    path("api/v1/event-series", views.SeriesCreateView.as_view(), name="api-series-create"),
    path("api/v1/event-series/<int:pk>", views.SeriesDetailView.as_view(), name="api-series"),
    path(
        "api/v1/event-series/<int:pk>/stop", views.SeriesStopView.as_view(), name="api-series-stop"
    ),
    path("api/v1/volunteer-projects", vol.ProjectListView.as_view(), name="api-projects"),
    path("api/v1/volunteer-projects/<int:pk>", vol.ProjectDetailView.as_view(), name="api-project"),
    path(
        "api/v1/volunteer-projects/<int:pk>/cancel",
        vol.ProjectCancelView.as_view(),
        name="api-project-cancel",
    ),
    path("api/v1/shifts", vol.ShiftListView.as_view(), name="api-shifts"),
    path("api/v1/shifts/<int:pk>/cancel", vol.ShiftCancelView.as_view(), name="api-shift-cancel"),
    path("api/v1/shifts/<int:pk>", vol.ShiftDetailView.as_view(), name="api-shift"),
    path(
        "api/v1/shifts/<int:pk>/signups",
        vol.ShiftSignupListView.as_view(),
        name="api-shift-signups",
    ),
    path("api/v1/hours", vol.HoursListView.as_view(), name="api-hours"),
    path("api/v1/schema/", views.SchemaView.as_view(), name="api-schema"),
    path("api/v1/docs/", views.DocsView.as_view(url_name="partners:api-schema"), name="api-docs"),
    re_path(r"^api/v1/(?P<rest>.*)$", api_not_found),
]

# The partner pages and embeds (partners/urls_site.py) come first: the API catch-all is last.
urlpatterns = [*site_urlpatterns, *urlpatterns]
