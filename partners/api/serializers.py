"""Input shapes of the write endpoints. They check the shape only: every rule about an event is
the events services' (Event.clean), whose ServiceError comes back as a 422 with field errors.
Unknown fields are refused and read-only fields (ids, counts, organization...) cannot be set."""

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.models import Category
from core.timezones import timezone_names
from volunteering.models import Cause

READ_ONLY_FIELDS = frozenset(
    {
        "id",
        "slug",
        "url",
        "status",
        "series",
        "going_count",
        "waitlist_count",
        "seats_taken",
        "is_online",
        "cancellation_message",
        "own",
        "created_at",
        "updated_at",
        "organization",
        "roles",
        "has_waiver",
        "signed_up_count",
        "project",
        "is_running",
        "materialized_until",
        "occurrences",
    }
)


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time with its offset; a time without one is refused, not guessed."""

    def to_internal_value(self, value):
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well formed but out of range, e.g. minute 60: refused below
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            raise serializers.ValidationError(_("Give the time with its offset, e.g. +01:00 or Z."))
        return super().to_internal_value(value)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, and says when a field is read-only."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"__all__": [_("Send a JSON object.")]})
        errors = {}
        for name in data:
            if name in self.fields:
                continue
            errors[name] = [
                _("This field is read-only.") if name in READ_ONLY_FIELDS else _("Unknown field.")
            ]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class EventDetailFields(StrictSerializer):
    """What one event and a repeating event share as a partner sends them (the shape only: the
    rules are the events models' and services')."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, max_length=20000)
    category = serializers.ChoiceField(choices=Category.choices)
    timezone = serializers.ChoiceField(choices=sorted(timezone_names()))
    venue_name = serializers.CharField(allow_blank=True, max_length=200)
    address = serializers.CharField(allow_blank=True, max_length=300)
    city = serializers.CharField(allow_blank=True, max_length=100)
    latitude = serializers.FloatField(allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(allow_null=True, min_value=-180, max_value=180)
    online_url = serializers.URLField(allow_blank=True, max_length=200)
    capacity = serializers.IntegerField(allow_null=True, min_value=0)
    guests_allowed = serializers.IntegerField(min_value=0, max_value=20)
    cost_note = serializers.CharField(allow_blank=True, max_length=100)
    newcomers_welcome = serializers.BooleanField()
    step_free_access = serializers.BooleanField()
    quiet_room = serializers.BooleanField()
    sign_language = serializers.BooleanField()
    accessibility_notes = serializers.CharField(allow_blank=True, max_length=5000)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=20, required=False
    )


class EventWriteSerializer(EventDetailFields):
    """An event's details as a partner sends them (create: group, title, category, starts_at,
    ends_at and a place are needed; update: any of them but group)."""

    group = serializers.IntegerField()
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    rsvp_opens_at = AwareDateTimeField(allow_null=True)
    rsvp_closes_at = AwareDateTimeField(allow_null=True)

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        required = {"group", "title", "category", "starts_at", "ends_at"} if creating else set()
        for name, field in self.fields.items():
            field.required = name in required
        if not creating:
            self.fields.pop("group")

    def to_internal_value(self, data):
        if isinstance(data, dict) and "group" in data and "group" not in self.fields:
            raise serializers.ValidationError(
                {"group": [_("An event cannot move to another group.")]}
            )
        return super().to_internal_value(data)


class CancelSerializer(StrictSerializer):
    message = serializers.CharField(allow_blank=True, max_length=2000, required=False)


def _required_when_creating(serializer, creating: bool, required: set[str], fixed: set[str]):
    """Create: `required` fields must be given. Update: nothing is required, and the `fixed`
    fields (the group, the role...) are not accepted: the object cannot move."""
    for name, field in serializer.fields.items():
        field.required = creating and name in required
    if not creating:
        for name in fixed:
            serializer.fields.pop(name, None)


class _MovesRefused(StrictSerializer):
    fixed: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            moved = [name for name in self.fixed if name in data and name not in self.fields]
            if moved:
                raise serializers.ValidationError(
                    {name: [_("This cannot be changed once created.")] for name in moved}
                )
        return super().to_internal_value(data)


class RoleWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(allow_blank=True, max_length=5000, required=False)
    skills = serializers.CharField(allow_blank=True, max_length=300, required=False)


class ProjectWriteSerializer(_MovesRefused):
    """A volunteer project as a partner sends it (create: group, title and cause, and a place
    unless remote; roles may come with it. Update: any field but group and roles)."""

    fixed = ("group", "roles")
    group = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, max_length=20000)
    cause = serializers.ChoiceField(choices=Cause.choices)
    remote = serializers.BooleanField()
    timezone = serializers.ChoiceField(choices=sorted(timezone_names()))
    venue_name = serializers.CharField(allow_blank=True, max_length=200)
    address = serializers.CharField(allow_blank=True, max_length=300)
    city = serializers.CharField(allow_blank=True, max_length=100)
    latitude = serializers.FloatField(allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(allow_null=True, min_value=-180, max_value=180)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    minimum_age = serializers.IntegerField(allow_null=True, min_value=0, max_value=99)
    skills = serializers.CharField(allow_blank=True, max_length=300)
    waiver_text = serializers.CharField(allow_blank=True, max_length=20000)
    roles = RoleWriteSerializer(many=True, required=False)

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        _required_when_creating(self, creating, {"group", "title", "cause"}, set(self.fixed))


class ShiftWriteSerializer(_MovesRefused):
    """A shift as a partner sends it (create: role, starts_at and ends_at; an empty place means
    the project's. Update: any field but role)."""

    fixed = ("role",)
    role = serializers.IntegerField()
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    timezone = serializers.ChoiceField(choices=sorted(timezone_names()))
    venue_name = serializers.CharField(allow_blank=True, max_length=200)
    address = serializers.CharField(allow_blank=True, max_length=300)
    city = serializers.CharField(allow_blank=True, max_length=100)
    latitude = serializers.FloatField(allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(allow_null=True, min_value=-180, max_value=180)
    capacity = serializers.IntegerField(allow_null=True, min_value=0)
    step_free_access = serializers.BooleanField()
    quiet_room = serializers.BooleanField()
    sign_language = serializers.BooleanField()
    accessibility_notes = serializers.CharField(allow_blank=True, max_length=5000)
    notes = serializers.CharField(allow_blank=True, max_length=5000)

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        _required_when_creating(self, creating, {"role", "starts_at", "ends_at"}, {"role"})


class SeriesWriteSerializer(_MovesRefused, EventDetailFields):
    """A repeating event as a partner sends it: an RFC 5545 rule, the first start and the
    length of each date, and the details every date shares (create: group, title, category,
    rrule, first_starts_at and duration_minutes. Update: any of them but group)."""

    fixed = ("group",)
    group = serializers.IntegerField()
    rrule = serializers.CharField(max_length=500, help_text="RFC 5545, e.g. FREQ=WEEKLY;BYDAY=TU")
    first_starts_at = AwareDateTimeField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=14 * 24 * 60)
    horizon_days = serializers.IntegerField(min_value=1, max_value=366)

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        required = {"group", "title", "category", "rrule", "first_starts_at", "duration_minutes"}
        _required_when_creating(self, creating, required, {"group"})


class RegistrationSerializer(StrictSerializer):
    """Register a person by email, with their consent (true, or the request is refused)."""

    email = serializers.EmailField(max_length=254)
    consent = serializers.BooleanField(
        help_text="The person agreed to be registered; they still confirm by email"
    )
