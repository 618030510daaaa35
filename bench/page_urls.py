"""The site's addresses plus the bare Django view the page benchmark compares with."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def bare(request):
    """The least a Django view can do: the yardstick for every page."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("connect_site.urls")),
]
