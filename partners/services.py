"""Every write of the partners app: organizations, the groups they own, API clients and keys.

Staff act through the admin and the `partner_key` command; both call these."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import ServiceError
from groups.models import Group
from partners.models import (
    ApiClient,
    PartnerApiKey,
    PartnerGroup,
    PartnerOrganization,
    WebhookEndpoint,
)

SCOPES = ("read", "write")


def _clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ServiceError.from_validation_error(error) from error


def parse_scopes(text: str) -> list[str]:
    """ "read,write" as a list of known scopes; ServiceError for an unknown or empty one."""
    scopes = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ServiceError({"scopes": _("Unknown scope: %(s)s.") % {"s": ", ".join(unknown)}})
    if not scopes:
        raise ServiceError({"scopes": _("Give at least one scope: read, write.")})
    return scopes


def partner_create(*, name: str, slug: str, website: str = "", contact_email: str = ""):
    """A new partner organization."""
    with transaction.atomic():
        partner = PartnerOrganization(
            name=name, slug=slug, website=website, contact_email=contact_email
        )
        _clean(partner)
        partner.save()
        return partner


def partner_group_add(*, partner: PartnerOrganization, group: Group) -> PartnerGroup:
    """The partner now owns the group (a group has one partner at most)."""
    with transaction.atomic():
        link = PartnerGroup.objects.filter(group=group).first()
        if link is not None and link.organization_id != partner.pk:
            raise ServiceError({"group": _("This group already belongs to another partner.")})
        if link is None:
            link = PartnerGroup.objects.create(organization=partner, group=group)
        return link


def api_client_create(*, partner: PartnerOrganization, name: str, scopes: list[str]) -> ApiClient:
    """A client of the partner with its scopes."""
    with transaction.atomic():
        client = ApiClient(
            organization=partner, name=name, can_read="read" in scopes, can_write="write" in scopes
        )
        _clean(client)
        client.save()
        return client


def api_key_create(
    *, client: ApiClient, name: str = "", expires_at: dt.datetime | None = None
) -> tuple[PartnerApiKey, str]:
    """A new key for the client. The key itself is returned once and kept only as a hash."""
    with transaction.atomic():
        api_key, key = PartnerApiKey.objects.create_key(
            client=client, name=(name or client.name)[:50], expiry_date=expires_at
        )
        return api_key, key


def api_key_revoke(*, api_key: PartnerApiKey) -> PartnerApiKey:
    """The key stops working at once, for good."""
    if not api_key.revoked:
        api_key.revoked = True
        api_key.save(update_fields=["revoked"])
    return api_key


def webhook_endpoint_save(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Register or change a partner's webhook endpoint, with the model's rules (https)."""
    with transaction.atomic():
        _clean(endpoint)
        endpoint.save()
        return endpoint
