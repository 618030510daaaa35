"""Every text people type into an account, a group, an event, volunteering or a partner
carries one of the shared validators, which refuse control characters: a NUL byte reaching
PostgreSQL is a DataError."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from core.validators import validate_plain_text, validate_single_line

# Text no one types freely: chosen from a list, made by the code, or checked by its own rule
# (a time zone is one of the known names; a slug and an email have their own validators).
NOT_TYPED = {
    "accounts.User.email",
    "accounts.User.password",
    "accounts.User.calendar_token",
    "accounts.User.timezone",
    "groups.Group.slug",
    "events.Tag.slug",
    "events.Event.slug",
    "events.Event.timezone",
    "events.EventSeries.timezone",
    "volunteering.VolunteerProject.slug",
    "volunteering.VolunteerProject.timezone",
    "volunteering.ShiftSeries.timezone",
    "volunteering.Shift.timezone",
    "volunteering.WaiverAcceptance.text_sha256",
    "volunteering.CareCalendar.code",
    "volunteering.CareCalendar.timezone",
    "volunteering.CareCalendar.invitation_token",
    "volunteering.HoursStatement.code",
    "volunteering.HoursStatement.content_hash",
    "partners.PartnerOrganization.slug",
    "partners.PartnerOrganization.contact_email",
    # djangorestframework-api-key's own fields: made by the library (the name is staff's label).
    "partners.PartnerApiKey.id",
    "partners.PartnerApiKey.prefix",
    "partners.PartnerApiKey.hashed_key",
    "partners.PartnerApiKey.name",
    "partners.IdempotencyRecord.key",
    "partners.IdempotencyRecord.request_hash",
    # JSON text json.dumps writes, every control character escaped.
    "partners.IdempotencyRecord.response_body",
    "partners.WebhookEndpoint.secret",
    "partners.WebhookEndpoint.previous_secret",
    "partners.WebhookDelivery.message_id",
    "partners.WebhookDelivery.event_type",
    "partners.WebhookDelivery.last_error",
}


def typed_text_fields():
    for label in ("accounts", "groups", "events", "volunteering", "partners"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, models.CharField | models.TextField) or field.choices:
                    continue
                name = f"{label}.{model.__name__}.{field.name}"
                if name not in NOT_TYPED:
                    yield name, field


@pytest.mark.parametrize(("name", "field"), list(typed_text_fields()), ids=lambda v: str(v))
def test_typed_text_carries_a_shared_validator(name, field):
    assert validate_single_line in field.validators or validate_plain_text in field.validators


@pytest.mark.parametrize("validator", [validate_single_line, validate_plain_text])
@pytest.mark.parametrize("text", ["\x00", "a\x00b", "\x1b[31m", "\x7f"])
def test_shared_validators_refuse_nul_and_control_characters(validator, text):
    with pytest.raises(ValidationError):
        validator(text)
