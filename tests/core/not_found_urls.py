from django.http import HttpResponse
from django.urls import path

from core.exceptions import NotFound


def hidden(request):
    raise NotFound


def shown(request):
    return HttpResponse("here")


urlpatterns = [path("hidden/", hidden), path("shown/", shown)]
