from django.http import HttpResponse
from django.urls import path

from connect_site.urls import urlpatterns as site_urlpatterns
from core.exceptions import NotFound


def hidden(request):
    raise NotFound


def shown(request):
    return HttpResponse("here")


# The site's own addresses too: the 404 page, in the site's design, links to them.
urlpatterns = [path("hidden/", hidden), path("shown/", shown), *site_urlpatterns]
