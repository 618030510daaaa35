import pytest
from rest_framework.test import APIClient

from partners import services
from partners.models import PartnerOrganization
from tests.factories import GroupFactory


class Partner:
    """A partner organization with one owned group and a read key and a write key."""

    def __init__(self, slug: str, *, visibility="public"):
        self.organization = services.partner_create(name=slug.title(), slug=slug)
        self.group = GroupFactory(visibility=visibility)
        services.partner_group_add(partner=self.organization, group=self.group)
        self.read_key = self.key(["read"])
        self.write_key = self.key(["read", "write"])

    def key(self, scopes, **kwargs) -> str:
        client = services.api_client_create(
            partner=self.organization, name="+".join(scopes), scopes=scopes
        )
        _api_key, key = services.api_key_create(client=client, **kwargs)
        return key


@pytest.fixture
def partner(db) -> Partner:
    return Partner("demo-partner", visibility="private")


@pytest.fixture
def other_partner(db) -> Partner:
    return Partner("other-partner", visibility="private")


def api(key: str | None = None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


__all__ = ["Partner", "PartnerOrganization", "api"]
