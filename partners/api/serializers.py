"""Input shapes of the write endpoints. They check the shape only: every rule about an event is
the events services' (Event.clean), whose ServiceError comes back as a 422 with field errors.
Unknown fields are refused and read-only fields (ids, counts, organization...) cannot be set."""

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.models import Category
from core.timezones import timezone_names

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
    }
)


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time with its offset; a time without one is refused, not guessed."""

    def to_internal_value(self, value):
        parsed = parse_datetime(value) if isinstance(value, str) else None
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


class EventWriteSerializer(StrictSerializer):
    """An event's details as a partner sends them (create: group, title, category, starts_at,
    ends_at and a place are needed; update: any of them but group)."""

    group = serializers.IntegerField()
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
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    rsvp_opens_at = AwareDateTimeField(allow_null=True)
    rsvp_closes_at = AwareDateTimeField(allow_null=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=20, required=False
    )

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
