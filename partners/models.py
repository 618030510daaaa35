"""Partner organizations, their groups, API clients and keys, the tombstones that let a
partner's mirror see what went away, and webhook endpoints with their delivery outbox."""

import base64
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from core.models import TimeStampedModel
from core.validators import validate_single_line
from groups.models import Group

ORIGIN_RE = re.compile(
    r"^https://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$"
)


def validate_embed_origins(value: str) -> None:
    """Space-separated https origins ("https://example.org https://*.example.org"): the only
    sites allowed to frame the partner's embeds (the CSP frame-ancestors list)."""
    bad = [origin for origin in value.split() if not ORIGIN_RE.match(origin)]
    if bad:
        raise ValidationError(
            _("Give https addresses of sites without a path, like https://example.org: %(bad)s")
            % {"bad": " ".join(bad)[:200]}
        )


class PartnerOrganization(TimeStampedModel):
    """A nonprofit, programme or volunteer centre that publishes and pulls through the API."""

    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    # URLValidator lets a NUL byte through in the path; PostgreSQL would refuse it.
    website = models.URLField(_("website"), blank=True, validators=[validate_single_line])
    contact_email = models.EmailField(_("contact email"), blank=True)
    embed_origins = models.CharField(
        _("sites that may show the embeds"),
        max_length=500,
        blank=True,
        validators=[validate_single_line, validate_embed_origins],
        help_text=_("https addresses separated by spaces, like https://example.org"),
    )
    groups = models.ManyToManyField(
        Group, through="PartnerGroup", related_name="+", verbose_name=_("groups")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")

    def __str__(self):
        return self.name

    @property
    def embed_origin_list(self) -> list[str]:
        return self.embed_origins.split()


class PartnerGroup(models.Model):
    """A group the partner organization owns: its keys read the group's private data and, with
    the write scope, run its events. A group belongs to one partner at most."""

    organization = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, related_name="group_links"
    )
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("partner's group")
        verbose_name_plural = _("partner's groups")

    def __str__(self):
        return f"{self.organization} owns {self.group}"


class ApiClient(TimeStampedModel):
    """One integration of a partner (their website, their CRM): the actor the activity log
    names, with its scopes. Its keys can be rotated and revoked."""

    organization = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, related_name="clients"
    )
    name = models.CharField(_("name"), max_length=80, validators=[validate_single_line])
    can_read = models.BooleanField(_("scope read"), default=True)
    can_write = models.BooleanField(_("scope write"), default=False)

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self):
        return f"{self.organization}: {self.name}"

    def clean(self):
        if not (self.can_read or self.can_write):
            raise ValidationError(_("Give the client at least one scope."))

    @property
    def scopes(self) -> list[str]:
        return [scope for scope, on in (("read", self.can_read), ("write", self.can_write)) if on]


class PartnerApiKey(AbstractAPIKey):
    """A key of a client: hashed at rest, shown once, known by its prefix, revocable, with an
    optional expiry (djangorestframework-api-key)."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    @property
    def is_usable(self) -> bool:
        return not self.revoked and not self.has_expired


class Tombstone(models.Model):
    """An event, volunteer project or shift that went away (cancelled, deleted, or its group
    stopped being public), so `updated_since` can say so. Written by the partners app's bus
    subscribers, in the transaction of the service that announced it."""

    class Kind(models.TextChoices):
        EVENT = "event", _("event")
        PROJECT = "project", _("volunteer project")
        SHIFT = "shift", _("shift")

    class Reason(models.TextChoices):
        CANCELLED = "cancelled", _("cancelled")
        DELETED = "deleted", _("deleted")
        HIDDEN = "hidden", _("no longer public")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EVENT)
    object_id = models.PositiveBigIntegerField(_("object"))
    group_id = models.PositiveBigIntegerField(_("group"))
    # The partner organization that owned the group then (its keys keep seeing the tombstone
    # after the group itself is gone).
    organization_id = models.PositiveBigIntegerField(_("partner"), null=True, blank=True)
    was_public = models.BooleanField(_("was listed publicly"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    gone_at = models.DateTimeField(_("gone at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["gone_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "reason"], name="tombstone_one_per_reason"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.reason} at {self.gone_at:%Y-%m-%d %H:%M}"


class IdempotencyRecord(models.Model):
    """A POST sent with an Idempotency-Key: the same key and body get the first answer again;
    the same key with another body is refused; a request still in flight with it is a 409."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The answer as JSON text: text keeps any character a partner sent back to them escaped
    # (\u0000 included, which PostgreSQL's jsonb refuses).
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_one_per_key")
        ]

    def __str__(self):
        return f"{self.client_id}:{self.key}"


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(TimeStampedModel):
    """Where a partner wants to hear about its own groups' events, and which kinds."""

    organization = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500, validators=[validate_single_line])
    event_types = models.JSONField(_("event types"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_webhook_secret)
    # Rotation with overlap: until then, deliveries carry a signature with the old secret too.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return f"{self.organization}: {self.url}"

    def clean(self):
        from partners.webhooks import CATALOGUE

        errors = {}
        unknown = sorted(set(self.event_types or []) - set(CATALOGUE))
        if unknown or not self.event_types:
            errors["event_types"] = _("Choose event types from: %(types)s.") % {
                "types": ", ".join(sorted(CATALOGUE))
            }
        allow_http = getattr(settings, "PARTNER_WEBHOOKS_ALLOW_HTTP", False)
        if self.url and not self.url.startswith("https://") and not allow_http:
            errors["url"] = _("Webhook endpoints must use https.")
        if errors:
            raise ValidationError(errors)


class WebhookDelivery(models.Model):
    """One message to one endpoint: the partners app's own outbox, claimed in batches under a
    lease, retried with exponential backoff for a day, its last attempt logged."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim_token = models.UUIDField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event_type} to {self.endpoint_id} ({self.status})"


class Registration(models.Model):
    """A partner asked, with the person's consent, to register them by email for one of its
    events or shifts. Nothing happens until the person answers the email: accepting makes them
    a member and RSVPs or signs them up through the website's services (capacity, waitlist,
    reminders as there); declining is recorded. The link in the email is signed, not stored."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="registrations")
    email = models.EmailField(_("email"), validators=[validate_single_line])
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    shift = models.ForeignKey(
        "volunteering.Shift", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    consent_at = models.DateTimeField(_("consent given"))
    created_at = models.DateTimeField(default=timezone.now)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the website's service answered.
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        blank=True,
        choices=[
            ("going", _("going")),
            ("waitlisted", _("on the waitlist")),
            ("signed_up", _("signed up")),
        ],
    )

    class Meta:
        verbose_name = _("registration by a partner")
        verbose_name_plural = _("registrations by partners")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__isnull=False, shift__isnull=True)
                | models.Q(event__isnull=True, shift__isnull=False),
                name="registration_event_or_shift",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "event"]),
            models.Index(fields=["client", "shift"]),
        ]

    def __str__(self):
        target = f"event {self.event_id}" if self.event_id else f"shift {self.shift_id}"
        return f"{self.email} for {target} ({self.status})"
