"""A cached page whose rendering sees another request's change committed meanwhile."""

from django.http import HttpResponse
from django.urls import path

from connect_site.urls import urlpatterns as site_urlpatterns
from core import pagecache

rendered = []


@pagecache.cached_for_visitors
def changed_while_rendering(request):
    pagecache.bump()  # the other request's change, committed while this page is drawn
    rendered.append(1)
    return HttpResponse(f"rendered {len(rendered)} times")


urlpatterns = [path("changed-while-rendering/", changed_while_rendering), *site_urlpatterns]
