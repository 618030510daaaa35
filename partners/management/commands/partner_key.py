"""`manage.py partner_key create <partner-slug> --scopes read,write [--name N] [--expires-days D]`:
a new API client and key for a partner; the key is printed alone on the last line, once.
`manage.py partner_key revoke <prefix>` revokes a key."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.exceptions import ServiceError
from partners import services
from partners.models import PartnerApiKey, PartnerOrganization


class Command(BaseCommand):
    help = "Create (print once) or revoke a partner's API key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="A new key for the partner; printed once.")
        create.add_argument("partner", help="the partner organization's slug")
        create.add_argument("--scopes", default="read", help="read, write or read,write")
        create.add_argument("--name", default="", help="what the key is for")
        create.add_argument("--expires-days", type=int, default=None)
        revoke = sub.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        try:
            if action == "create":
                self.create(**options)
            else:
                self.revoke(options["prefix"])
        except ServiceError as error:
            messages = [m for ms in error.field_errors().values() for m in ms]
            raise CommandError(" ".join(messages)) from None

    def create(self, *, partner, scopes, name, expires_days, **_options):
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        scope_list = services.parse_scopes(scopes)
        organization = PartnerOrganization.objects.filter(slug=partner).first()
        if organization is None:
            raise CommandError(f"No partner organization with the slug {partner!r}.")
        client = services.api_client_create(
            partner=organization, name=name or f"key ({','.join(scope_list)})", scopes=scope_list
        )
        expires_at = (
            timezone.now() + dt.timedelta(days=expires_days) if expires_days is not None else None
        )
        api_key, key = services.api_key_create(client=client, expires_at=expires_at)
        self.stderr.write(
            f"API key {api_key.prefix} for {organization.name}, scopes {','.join(scope_list)}"
            f"{f', expires {expires_at:%Y-%m-%d}' if expires_at else ''}. It is shown only now:"
        )
        self.stdout.write(key)

    def revoke(self, prefix):
        api_key = PartnerApiKey.objects.filter(prefix=prefix).first()
        if api_key is None:
            raise CommandError(f"No API key with the prefix {prefix!r}.")
        services.api_key_revoke(api_key=api_key)
        self.stdout.write(f"Revoked {prefix}.")
