"""A page not marked for the cache, and cached pages that must not be kept as they are: one
whose rendering sees another request's change committed meanwhile, one with a CSRF token, one
with a message for the visitor."""

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from connect_site.urls import urlpatterns as site_urlpatterns
from core import pagecache

rendered = []


@pagecache.cached_for_visitors
def changed_while_rendering(request):
    pagecache.bump()  # the other request's change, committed while this page is drawn
    rendered.append(1)
    return HttpResponse(f"rendered {len(rendered)} times")


@pagecache.cached_for_visitors
def with_a_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


@pagecache.cached_for_visitors
def with_a_message(request):
    messages.info(request, "Welcome back")
    return HttpResponse("a page")


def not_marked(request):
    return HttpResponse("the same for everyone, but not marked")


urlpatterns = [
    path("not-marked/", not_marked),
    path("changed-while-rendering/", changed_while_rendering),
    path("with-a-form/", with_a_form),
    path("with-a-message/", with_a_message),
    *site_urlpatterns,
]
