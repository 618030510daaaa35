"""The site's URLs plus the reference view bench/api.py compares the partner API with."""

from django.http import JsonResponse
from django.urls import path

from connect_site.urls import urlpatterns as site_urlpatterns
from events.models import Event

FIELDS = (
    "id",
    "slug",
    "title",
    "description",
    "category",
    "timezone",
    "starts_at",
    "ends_at",
    "venue_name",
    "city",
    "capacity",
    "seats_taken",
    "status",
    "updated_at",
)


def reference(request):
    """The same 50 rows with .values() and JsonResponse: the floor of what a list can cost."""
    rows = list(Event.objects.order_by("starts_at", "id").values(*FIELDS)[:50])
    return JsonResponse({"data": rows})


urlpatterns = [path("bench/reference", reference), *site_urlpatterns]
