"""Every write of the partners app: organizations, the groups they own, API clients and keys.

Staff act through the admin and the `partner_key` command; both call these."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import activity, when
from core.actors import Actor, person_of
from core.exceptions import NotAllowed, NotFound, ServiceError
from events.models import RsvpAvailability
from events.rsvp_state import availability_message
from events.services import rsvp_create
from groups.models import Group
from groups.permissions import can_manage_events
from groups.services import membership_join_invited
from partners.models import (
    ApiClient,
    PartnerApiKey,
    PartnerGroup,
    PartnerOrganization,
    Registration,
    WebhookEndpoint,
)
from volunteering.services import signup_create

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


# Registrations by email: a partner asks, the person answers.

REGISTRATION_SALT = "partners.registration"
REGISTRATION_LINK_DAYS = 30


class RegistrationLimitReached(ServiceError):
    """The client asked to register as many people for this event or shift as it may."""


def registration_token(registration: Registration) -> str:
    """The signed, unguessable token of the registration's link (nothing of it is stored)."""
    return signing.dumps({"r": registration.pk}, salt=REGISTRATION_SALT)


def registration_from_token(token: str) -> Registration:
    """The registration a link names; NotFound for a forged, foreign or too old link."""
    try:
        data = signing.loads(
            token, salt=REGISTRATION_SALT, max_age=dt.timedelta(days=REGISTRATION_LINK_DAYS)
        )
        pk = int(data["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound from None
    registration = (
        Registration.objects.select_related(
            "client__organization", "event__group", "shift__role__project__group"
        )
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise NotFound
    return registration


def registration_group(registration: Registration) -> Group:
    if registration.event_id:
        return registration.event.group
    return registration.shift.role.project.group


def _require_open_target(*, event=None, shift=None) -> None:
    if event is not None:
        availability = event.rsvp_availability()
        if availability in (RsvpAvailability.CANCELLED, RsvpAvailability.ENDED):
            raise ServiceError(availability_message(event, availability))
    else:
        if shift.is_cancelled or shift.role.project.is_cancelled:
            raise ServiceError(_("This shift was cancelled."))
        if shift.has_started():
            raise ServiceError(_("This shift has already started."))


def registration_create(
    *, client: ApiClient, actor, email: str, consent: bool, event=None, shift=None
) -> tuple[Registration, bool]:
    """A partner's client asks to register the person with this email for one of its own
    events or shifts, with the person's consent (`consent` must be true). An email asks the
    person to accept or decline; nothing else happens until then. The same email for the same
    event or shift while still unanswered gets the first registration back (no second email);
    once the person declined, the same client asking again for them is refused (no email).
    At most PARTNER_API_REGISTRATIONS_PER_TARGET per client and event or shift. Returns
    (registration, created)."""
    if consent is not True:
        raise ServiceError(
            {"consent": _("Register someone only with their consent, and say so: consent: true.")}
        )
    group = event.group if event is not None else shift.role.project.group
    if not can_manage_events(actor, group):
        raise NotAllowed
    _require_open_target(event=event, shift=shift)
    email = email.strip()
    with transaction.atomic():
        target = {"event": event} if event is not None else {"shift": shift}
        # One request at a time per client: the count below holds.
        ApiClient.objects.select_for_update().filter(pk=client.pk).first()
        mine = Registration.objects.filter(client=client, **target)
        existing = mine.filter(email__iexact=email, status=Registration.Status.PENDING).first()
        if existing is not None:
            return existing, False
        if mine.filter(email__iexact=email, status=Registration.Status.DECLINED).exists():
            raise ServiceError(
                {
                    "email": _(
                        "This person declined to be registered for this: they are not asked again."
                    )
                }
            )
        if mine.count() >= settings.PARTNER_API_REGISTRATIONS_PER_TARGET:
            raise RegistrationLimitReached(
                _("This API client asked to register as many people as it may for this.")
            )
        registration = Registration(client=client, email=email, consent_at=timezone.now(), **target)
        _clean(registration)
        registration.save()
        activity.record(
            actor=actor,
            verb="registration.asked",
            subject=registration,
            group_id=group.pk,
            data={"event": registration.event_id, "shift": registration.shift_id},
        )
        transaction.on_commit(lambda: _queue_email(registration.pk))
        return registration, True


def _queue_email(registration_id: int) -> None:
    from partners.tasks import registration_email_send_task

    registration_email_send_task.delay(registration_id)


def registration_email_send(*, registration_id: int) -> bool:
    """Send the email asking the person to accept or decline, once. Returns whether it went."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("client__organization", "event", "shift__role__project")
            .filter(pk=registration_id, email_sent_at__isnull=True)
            .first()
        )
        if registration is None:
            return False
        url = settings.SITE_URL + reverse(
            "partners:registration", kwargs={"token": registration_token(registration)}
        )
        if registration.event_id:
            what = registration.event.title
            starts, zone = registration.event.starts_at, registration.event.timezone
        else:
            what = f"{registration.shift.role.name}: {registration.shift.role.project.title}"
            starts, zone = registration.shift.starts_at, registration.shift.timezone
        context = {
            "partner": registration.client.organization.name,
            "what": what,
            "when": when.moment(starts, zone),
            "url": url,
            "site_url": settings.SITE_URL,
        }
        send_mail(
            subject=_("%(partner)s asks you to confirm: %(what)s")
            % {"partner": context["partner"], "what": what},
            message=render_to_string("partners/email/registration.txt", context),
            from_email=None,
            recipient_list=[registration.email],
        )
        registration.email_sent_at = timezone.now()
        registration.save(update_fields=["email_sent_at"])
        return True


def registration_emails_send_due(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> int:
    """Send the registration emails still unsent a while after their registration (the task
    queued on commit did not run). Returns how many went."""
    due = Registration.objects.filter(
        email_sent_at__isnull=True,
        status=Registration.Status.PENDING,
        created_at__lt=timezone.now() - older_than,
    )
    return sum(
        registration_email_send(registration_id=pk)
        for pk in due.order_by("pk").values_list("pk", flat=True)[:500]
    )


def _require_pending(registration: Registration) -> None:
    if registration.status != Registration.Status.PENDING:
        raise ServiceError(_("This invitation was already answered."))


def registration_accept(
    *,
    registration: Registration,
    actor,
    accept_waiver: bool = False,
    age_confirmed: bool = False,
    guardian_name: str = "",
) -> Registration:
    """The person accepts: signed in with the address the email went to, they become a member
    of the group and are RSVP'd or signed up through the website's services (capacity,
    waitlist, waiver, minimum age and notices exactly as there)."""
    user = person_of(actor)
    if user is None:
        raise NotAllowed(_("Log in or sign up first."))
    if user.email.strip().lower() != registration.email.strip().lower():
        raise ServiceError(
            _("This invitation was sent to another email address: log in with that one.")
        )
    group = registration_group(registration)
    inviter = Actor.client(
        client_id=registration.client_id,
        name=str(registration.client),
        managed_group_ids=PartnerGroup.objects.filter(
            organization_id=registration.client.organization_id
        ).values_list("group_id", flat=True),
    )
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        _require_pending(registration)
        membership_join_invited(group=group, actor=actor, invited_by=inviter)
        if registration.event_id:
            outcome = rsvp_create(event=registration.event, user=user, actor=actor).status
        else:
            outcome = signup_create(
                shift=registration.shift,
                user=user,
                actor=actor,
                accept_waiver=accept_waiver,
                age_confirmed=age_confirmed,
                guardian_name=guardian_name,
            ).status
        registration.status = Registration.Status.ACCEPTED
        registration.decided_at = timezone.now()
        registration.user = user
        registration.outcome = outcome
        registration.save(update_fields=["status", "decided_at", "user", "outcome"])
        activity.record(
            actor=actor,
            verb="registration.accepted",
            subject=registration,
            group_id=group.pk,
            data={"outcome": outcome},
        )
        return registration


def registration_decline(*, registration: Registration) -> Registration:
    """The person declines by the link (signed in or not): recorded, nothing else happens."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.DECLINED:
            return registration
        _require_pending(registration)
        registration.status = Registration.Status.DECLINED
        registration.decided_at = timezone.now()
        registration.save(update_fields=["status", "decided_at"])
        activity.record(
            actor=Actor.system("registration declined by its link"),
            verb="registration.declined",
            subject=registration,
            group_id=registration_group(registration).pk,
        )
        return registration
