"""The partner API under /api/v1/ (its schema and docs beside it)."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from partners import embed, views_site
from partners.api import views
from partners.api.problems import problem_response

app_name = "partners"


@csrf_exempt
def api_not_found(request, rest=""):
    """Any other address under /api/v1/: a problem+json 404, whatever the method (no CSRF
    check: nothing happens here, and a key-bearing client has no CSRF cookie)."""
    return problem_response(404, "Not found.")


site = [
    path("partners/<slug:slug>/", views_site.partner_manage, name="manage"),
    path("partners/<slug:slug>/embed/", views_site.embed_origins_set, name="embed-origins"),
    path("partners/<slug:slug>/keys/new/", views_site.api_key_create, name="key-create"),
    path(
        "partners/<slug:slug>/keys/<str:key_id>/revoke/",
        views_site.api_key_revoke,
        name="key-revoke",
    ),
    path("partners/<slug:slug>/webhooks/new/", views_site.webhook_create, name="webhook-create"),
    path("partners/<slug:slug>/webhooks/<int:pk>/", views_site.webhook_detail, name="webhook"),
    re_path(
        r"^partners/(?P<slug>[-\w]+)/webhooks/(?P<pk>[0-9]+)/(?P<action>rotate|disable|enable|test)/$",
        views_site.webhook_action,
        name="webhook-action",
    ),
    path(
        "partners/<slug:slug>/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views_site.delivery_redeliver,
        name="delivery-redeliver",
    ),
    path("embed/groups/<slug:slug>/", embed.embed_group, name="embed-group"),
    path("embed/partners/<slug:slug>/", embed.embed_partner, name="embed-partner"),
]

urlpatterns = [
    *site,
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
