"""The partners app's website: a partner's page for its organizers, and the public embeds.
Included by partners/urls.py, in its "partners" namespace."""

from django.urls import path, re_path

from partners import embed, views_site

urlpatterns = [
    path("partners/", views_site.partners_mine, name="mine"),
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
