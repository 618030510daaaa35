"""The API's shapes for the OpenAPI document (drf-spectacular). The read path builds plain
dicts (partners.api.representations); these serializers only describe them, and a test holds
the two to the same fields."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

from core.models import Category


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "partners.api.auth.PartnerKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Authorization: Api-Key <prefix>.<secret>`",
        }


class GroupRef(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class SeriesRef(serializers.Serializer):
    id = serializers.IntegerField()
    rrule = serializers.CharField(help_text="RFC 5545 repeat rule")
    timezone = serializers.CharField()


class GroupOut(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(help_text="Markdown")
    category = serializers.ChoiceField(choices=Category.choices)
    city = serializers.CharField()
    visibility = serializers.ChoiceField(choices=["public", "unlisted", "private"])
    join_policy = serializers.ChoiceField(choices=["open", "approval"])
    url = serializers.CharField(help_text="Path of the group's page on the site")
    own = serializers.BooleanField(help_text="Owned by your organization")
    updated_at = serializers.DateTimeField()


class EventOut(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(help_text="Markdown")
    category = serializers.ChoiceField(choices=Category.choices)
    tags = serializers.ListField(child=serializers.CharField())
    group = GroupRef()
    series = SeriesRef(allow_null=True, help_text="The recurring series of this occurrence")
    status = serializers.ChoiceField(choices=["scheduled", "cancelled"])
    timezone = serializers.CharField(help_text="IANA time zone of the event")
    starts_at = serializers.DateTimeField(help_text="ISO 8601 in the event's zone, with offset")
    ends_at = serializers.DateTimeField()
    rsvp_opens_at = serializers.DateTimeField(allow_null=True)
    rsvp_closes_at = serializers.DateTimeField(allow_null=True)
    venue_name = serializers.CharField()
    city = serializers.CharField()
    address = serializers.CharField(allow_null=True, help_text="Your own events only")
    online_url = serializers.CharField(allow_null=True, help_text="Your own events only")
    latitude = serializers.FloatField(allow_null=True, help_text="Your own events only")
    longitude = serializers.FloatField(allow_null=True, help_text="Your own events only")
    is_online = serializers.BooleanField()
    capacity = serializers.IntegerField(allow_null=True)
    guests_allowed = serializers.IntegerField()
    going_count = serializers.IntegerField(help_text="RSVPs going")
    waitlist_count = serializers.IntegerField(help_text="RSVPs on the waitlist")
    seats_taken = serializers.IntegerField(help_text="Seats of people going, guests included")
    cost_note = serializers.CharField()
    newcomers_welcome = serializers.BooleanField()
    step_free_access = serializers.BooleanField()
    quiet_room = serializers.BooleanField()
    sign_language = serializers.BooleanField()
    accessibility_notes = serializers.CharField()
    cancellation_message = serializers.CharField()
    own = serializers.BooleanField(help_text="An event of your organization's groups")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RsvpOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["going", "waitlisted"])
    guests = serializers.IntegerField()
    name = serializers.CharField(help_text="The name the person shows to others")
    waitlist_position = serializers.IntegerField(allow_null=True)
    checked_in = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class TombstoneOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="The event's id")
    reason = serializers.ChoiceField(choices=["cancelled", "deleted", "hidden"])
    gone_at = serializers.DateTimeField()


class Problem(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field; `__all__` for the request as a whole",
    )


def _page(name, item):
    return type(
        name,
        (serializers.Serializer,),
        {
            "data": item(many=True),
            "next": serializers.URLField(allow_null=True, help_text="The next page, or null"),
        },
    )


def _one(name, item):
    return type(name, (serializers.Serializer,), {"data": item()})


GroupPage = _page("GroupPage", GroupOut)
RsvpPage = _page("RsvpPage", RsvpOut)
EventPage = type(
    "EventPage",
    (_page("EventPageBase", EventOut),),
    {
        "deleted": TombstoneOut(
            many=True,
            required=False,
            help_text="With updated_since, on the first page: events cancelled or deleted since",
        )
    },
)
GroupOne = _one("GroupOne", GroupOut)
EventOne = _one("EventOne", EventOut)

PAGE_PARAMETERS = [
    OpenApiParameter("limit", int, description="Page size, 1 to 100 (default 50)"),
    OpenApiParameter("cursor", str, description="The `next` link's cursor"),
]
EVENT_FILTERS = [
    OpenApiParameter("starts_after", OpenApiTypes.DATETIME, description="ISO 8601 with offset"),
    OpenApiParameter("starts_before", OpenApiTypes.DATETIME),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="Changed since; past events included, with tombstones in `deleted`",
    ),
    OpenApiParameter("group", int, description="A group's id"),
    OpenApiParameter("category", str, enum=[c for c, _l in Category.choices]),
    OpenApiParameter("q", str, description="Words in the title, description or group name"),
    OpenApiParameter("near", str, description="`lat,lon`, e.g. 53.80,-1.55"),
    OpenApiParameter("radius_km", float, description="With near: 0.1 to 500 (default 25)"),
]
GROUP_FILTERS = [
    OpenApiParameter("updated_since", OpenApiTypes.DATETIME),
    OpenApiParameter("category", str, enum=[c for c, _l in Category.choices]),
    OpenApiParameter("q", str),
]
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    description="Repeat a POST safely: the same key and body return the first answer",
)
# Every error is RFC 9457 problem+json, and the schema says so (schemathesis checks it).
PROBLEM_JSON = "application/problem+json"
ERRORS = {(code, PROBLEM_JSON): Problem for code in (400, 401, 403, 404, 409, 413, 422, 429)}
READ_ERRORS = {(code, PROBLEM_JSON): Problem for code in (400, 401, 403, 404, 429)}
EVENT_EXAMPLE = OpenApiExample(
    "A new event",
    request_only=True,
    value={
        "group": 12,
        "title": "Open rehearsal",
        "category": "music",
        "venue_name": "St Aidan's Church Hall",
        "timezone": "Europe/London",
        "starts_at": "2031-03-01T18:00:00+00:00",
        "ends_at": "2031-03-01T20:00:00+00:00",
        "capacity": 40,
        "tags": ["Singing"],
    },
)
PROBLEM_EXAMPLE = OpenApiExample(
    "A broken rule",
    response_only=True,
    status_codes=["422"],
    media_type=PROBLEM_JSON,
    value={
        "type": "https://connect.example/problems/rule-broken",
        "title": "Unprocessable content",
        "status": 422,
        "detail": "The request breaks a rule; see errors.",
        "errors": {"ends_at": ["The event must end after it starts."]},
    },
)
