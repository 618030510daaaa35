"""The partner API under /api/v1/ (its schema and docs beside it)."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from partners.api import views
from partners.api.problems import problem_response
from partners.urls_site import urlpatterns as site_urlpatterns

app_name = "partners"


@csrf_exempt
def api_not_found(request, rest=""):
    """Any other address under /api/v1/: a problem+json 404, whatever the method (no CSRF
    check: nothing happens here, and a key-bearing client has no CSRF cookie)."""
    return problem_response(404, "Not found.")


urlpatterns = [
    path("api/v1/groups", views.GroupListView.as_view(), name="api-groups"),
    path("api/v1/groups/<int:pk>", views.GroupDetailView.as_view(), name="api-group"),
    path("api/v1/events", views.EventListView.as_view(), name="api-events"),
    path("api/v1/events/<int:pk>", views.EventDetailView.as_view(), name="api-event"),
    path("api/v1/events/<int:pk>/cancel", views.EventCancelView.as_view(), name="api-event-cancel"),
    path("api/v1/events/<int:pk>/rsvps", views.EventRsvpListView.as_view(), name="api-event-rsvps"),
    path("api/v1/schema/", views.SchemaView.as_view(), name="api-schema"),
    path("api/v1/docs/", views.DocsView.as_view(url_name="partners:api-schema"), name="api-docs"),
    re_path(r"^api/v1/(?P<rest>.*)$", api_not_found),
]

# The partner pages and embeds (partners/urls_site.py) come first: the API catch-all is last.
urlpatterns = [*site_urlpatterns, *urlpatterns]
