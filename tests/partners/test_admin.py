"""Staff manage partners and keys in the admin: a new key is shown once, keys are revoked, never
edited or deleted."""

import pytest
from django.urls import reverse

from partners.models import ApiClient, PartnerApiKey
from tests.partners.conftest import api

pytestmark = pytest.mark.django_db


def test_admin_pages_open(admin_client, partner):
    client_row = ApiClient.objects.filter(organization=partner.organization).first()
    api_key = PartnerApiKey.objects.filter(client=client_row).first()
    for url in (
        reverse("admin:partners_partnerorganization_changelist"),
        reverse("admin:partners_partnerorganization_change", args=[partner.organization.pk]),
        reverse("admin:partners_partnerorganization_add"),
        reverse("admin:partners_apiclient_change", args=[client_row.pk]),
        reverse("admin:partners_partnerapikey_changelist"),
        reverse("admin:partners_partnerapikey_change", args=[api_key.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_create_key_action_shows_the_key_once_and_it_works(admin_client, partner):
    client_row = ApiClient.objects.filter(organization=partner.organization).first()
    before = set(PartnerApiKey.objects.values_list("pk", flat=True))
    response = admin_client.post(
        reverse("admin:partners_apiclient_changelist"),
        {"action": "create_key", "_selected_action": [client_row.pk]},
        follow=True,
    )
    (new,) = PartnerApiKey.objects.exclude(pk__in=before)
    text = response.content.decode()
    key = text.split("shown only now: ", 1)[1].split("<", 1)[0].strip()
    assert key.startswith(new.prefix + ".")
    assert api(key).get("/api/v1/groups").status_code == 200
    change_page = admin_client.get(reverse("admin:partners_partnerapikey_change", args=[new.pk]))
    assert key.split(".")[1] not in change_page.content.decode()


def test_revoke_action(admin_client, partner):
    prefix = partner.read_key.split(".")[0]
    api_key = PartnerApiKey.objects.get(prefix=prefix)
    admin_client.post(
        reverse("admin:partners_partnerapikey_changelist"),
        {"action": "revoke", "_selected_action": [api_key.pk]},
    )
    assert api(partner.read_key).get("/api/v1/groups").status_code == 401
    delete = reverse("admin:partners_partnerapikey_delete", args=[api_key.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
