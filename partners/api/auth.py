"""Who is calling: a partner's API key in `Authorization: Api-Key <key>`, and what it may do."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework_api_key.permissions import KeyParser

from core.actors import Actor
from partners import selectors
from partners.models import ApiClient, PartnerApiKey


@dataclass(frozen=True)
class Credentials:
    """request.auth for a partner's call: the key, its client and organization, the groups the
    organization owns."""

    api_key: PartnerApiKey
    client: ApiClient
    group_ids: frozenset

    @property
    def organization_id(self) -> int:
        return self.client.organization_id

    @property
    def can_read(self) -> bool:
        return self.client.can_read

    @property
    def can_write(self) -> bool:
        return self.client.can_write

    @property
    def actor(self) -> Actor:
        """The client as the services' actor: with a write grant it runs its own groups' events."""
        return Actor.client(
            client_id=self.client.pk,
            name=str(self.client),
            managed_group_ids=self.group_ids if self.can_write else (),
        )


class PartnerKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <prefix>.<secret>`. A missing key leaves the call anonymous
    (refused with 401 by the permissions); a wrong, revoked or expired key is a 401 at once,
    all with the same words."""

    key_parser = KeyParser()

    def authenticate(self, request):
        key = self.key_parser.get(request)
        if key is None:
            return None
        prefix, _dot, _secret = key.partition(".")
        api_key = selectors.api_key_for(prefix)
        if api_key is None or api_key.has_expired or not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed(_("The API key is not valid."))
        group_ids = selectors.id_set(api_key.owned_group_ids)
        return AnonymousUser(), Credentials(
            api_key=api_key, client=api_key.client, group_ids=group_ids
        )

    def authenticate_header(self, request):
        return KeyParser.keyword


class HasReadScope(BasePermission):
    """A valid key whose client has the read scope."""

    message = _("This API key may not read.")

    def has_permission(self, request, view):
        if not isinstance(request.auth, Credentials):
            return False
        return request.auth.can_read


class HasWriteScope(BasePermission):
    """A valid key whose client has the write scope."""

    message = _("This API key may not write.")

    def has_permission(self, request, view):
        return isinstance(request.auth, Credentials) and request.auth.can_write


class ReadOrWrite(BasePermission):
    """Safe methods need the read scope, the others the write scope."""

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return HasReadScope().has_permission(request, view)
        return HasWriteScope().has_permission(request, view)
