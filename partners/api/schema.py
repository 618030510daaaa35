"""The API's shapes for the OpenAPI document (drf-spectacular). The read path builds plain
dicts (partners.api.representations); these serializers only describe them, and a test holds
the two to the same fields."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

from core.models import Category
from volunteering.models import Cause


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


class ProjectRef(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()


class RoleOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    skills = serializers.ListField(child=serializers.CharField())


class RoleRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ShiftSeriesRef(serializers.Serializer):
    id = serializers.IntegerField()
    rrule = serializers.CharField(help_text="RFC 5545 repeat rule")


class ProjectOut(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.CharField(help_text="Path of the project's page on the site")
    title = serializers.CharField()
    description = serializers.CharField(help_text="Markdown")
    cause = serializers.ChoiceField(choices=Cause.choices)
    skills = serializers.ListField(child=serializers.CharField())
    group = GroupRef()
    status = serializers.ChoiceField(choices=["active", "cancelled"])
    remote = serializers.BooleanField(help_text="Volunteers help from home")
    timezone = serializers.CharField(help_text="IANA time zone of the project")
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    venue_name = serializers.CharField()
    city = serializers.CharField()
    address = serializers.CharField(allow_null=True, help_text="Your own projects only")
    latitude = serializers.FloatField(allow_null=True, help_text="Your own projects only")
    longitude = serializers.FloatField(allow_null=True, help_text="Your own projects only")
    minimum_age = serializers.IntegerField(allow_null=True)
    has_waiver = serializers.BooleanField(help_text="Volunteers accept an agreement first")
    roles = RoleOut(many=True)
    own = serializers.BooleanField(help_text="A project of your organization's groups")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ShiftOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="Path of the shift's page on the site")
    project = ProjectRef()
    group = GroupRef()
    role = RoleRef()
    series = ShiftSeriesRef(allow_null=True, help_text="The repeating shift it belongs to")
    status = serializers.ChoiceField(choices=["scheduled", "cancelled"])
    timezone = serializers.CharField(help_text="IANA time zone of the shift")
    starts_at = serializers.DateTimeField(help_text="ISO 8601 in the shift's zone, with offset")
    ends_at = serializers.DateTimeField()
    venue_name = serializers.CharField(help_text="The shift's place, else its project's")
    city = serializers.CharField()
    address = serializers.CharField(allow_null=True, help_text="Your own shifts only")
    latitude = serializers.FloatField(allow_null=True, help_text="Your own shifts only")
    longitude = serializers.FloatField(allow_null=True, help_text="Your own shifts only")
    capacity = serializers.IntegerField(allow_null=True, help_text="Places; null: no limit")
    seats_taken = serializers.IntegerField(help_text="Places taken, team members included")
    signed_up_count = serializers.IntegerField(help_text="Volunteers signed up")
    waitlist_count = serializers.IntegerField(help_text="Volunteers on the waitlist")
    step_free_access = serializers.BooleanField()
    quiet_room = serializers.BooleanField()
    sign_language = serializers.BooleanField()
    accessibility_notes = serializers.CharField()
    notes = serializers.CharField(help_text="Notes for volunteers")
    cancellation_message = serializers.CharField()
    own = serializers.BooleanField(help_text="A shift of your organization's groups")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SignupOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["signed_up", "waitlisted"])
    name = serializers.CharField(help_text="The name the volunteer shows to others")
    places = serializers.IntegerField(help_text="The volunteer and their team members")
    waitlist_position = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class HoursProjectRef(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class VolunteerRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The name the volunteer shows to others")


class HoursOut(serializers.Serializer):
    id = serializers.IntegerField()
    project = HoursProjectRef()
    shift = serializers.IntegerField(allow_null=True)
    volunteer = VolunteerRef()
    worked_on = serializers.DateField()
    minutes = serializers.IntegerField(help_text="Negative for a reversal")
    hours = serializers.CharField(help_text="Minutes as hours with two decimals")
    source = serializers.ChoiceField(choices=["logged", "check_in", "correction", "reversal"])
    reverses = serializers.IntegerField(allow_null=True, help_text="The entry a reversal undoes")
    corrects = serializers.IntegerField(allow_null=True, help_text="The entry a correction fixes")
    verified_at = serializers.DateTimeField()


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


def _synced_page(name, item, what):
    return type(
        name,
        (_page(f"{name}Base", item),),
        {
            "deleted": TombstoneOut(
                many=True,
                required=False,
                help_text=f"With updated_since, on the first page: {what} gone since",
            )
        },
    )


ProjectPage = _synced_page("ProjectPage", ProjectOut, "projects cancelled, deleted or hidden")
ShiftPage = _synced_page("ShiftPage", ShiftOut, "shifts cancelled, deleted or hidden")
SignupPage = _page("SignupPage", SignupOut)
HoursPage = type(
    "HoursPage",
    (_page("HoursPageBase", HoursOut),),
    {"total_minutes": serializers.IntegerField(help_text="Sum over every entry selected")},
)
ProjectOne = _one("ProjectOne", ProjectOut)
ShiftOne = _one("ShiftOne", ShiftOut)
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
PROJECT_FILTERS = [
    OpenApiParameter(
        "starts_after", OpenApiTypes.DATETIME, description="With a shift starting from then"
    ),
    OpenApiParameter(
        "starts_before", OpenApiTypes.DATETIME, description="With a shift starting before then"
    ),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="Changed since; cancelled ones included, with tombstones in `deleted`",
    ),
    OpenApiParameter("group", int, description="A group's id"),
    OpenApiParameter("cause", str, enum=[c for c, _l in Cause.choices]),
    OpenApiParameter("q", str, description="Words in the title, description, skills or group"),
    OpenApiParameter("near", str, description="`lat,lon`, e.g. 53.80,-1.55"),
    OpenApiParameter("radius_km", float, description="With near: 0.1 to 500 (default 25)"),
]
SHIFT_FILTERS = [
    OpenApiParameter("starts_after", OpenApiTypes.DATETIME, description="ISO 8601 with offset"),
    OpenApiParameter("starts_before", OpenApiTypes.DATETIME),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="Changed since; past shifts included, with tombstones in `deleted`",
    ),
    OpenApiParameter("group", int, description="A group's id"),
    OpenApiParameter("project", int, description="A volunteer project's id"),
    OpenApiParameter("q", str, description="Words in the role, project title or notes"),
    OpenApiParameter("near", str, description="`lat,lon`, e.g. 53.80,-1.55"),
    OpenApiParameter("radius_km", float, description="With near: 0.1 to 500 (default 25)"),
]
HOURS_FILTERS = [
    OpenApiParameter("project", int, description="One of your volunteer projects' ids"),
    OpenApiParameter("worked_from", OpenApiTypes.DATE, description="Worked on or after"),
    OpenApiParameter("worked_to", OpenApiTypes.DATE, description="Worked on or before"),
    OpenApiParameter(
        "verified_since", OpenApiTypes.DATETIME, description="Verified since (incremental sync)"
    ),
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


class SeriesOut(serializers.Serializer):
    id = serializers.IntegerField()
    group = GroupRef()
    rrule = serializers.CharField(help_text="RFC 5545 repeat rule, in its canonical form")
    first_starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    horizon_days = serializers.IntegerField(help_text="Dates are made this many days ahead")
    timezone = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    tags = serializers.ListField(child=serializers.CharField())
    venue_name = serializers.CharField()
    city = serializers.CharField()
    address = serializers.CharField()
    online_url = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)
    guests_allowed = serializers.IntegerField()
    cost_note = serializers.CharField()
    newcomers_welcome = serializers.BooleanField()
    step_free_access = serializers.BooleanField()
    quiet_room = serializers.BooleanField()
    sign_language = serializers.BooleanField()
    accessibility_notes = serializers.CharField()
    is_running = serializers.BooleanField(help_text="Still repeating")
    ended_at = serializers.DateTimeField(allow_null=True, help_text="When it stopped repeating")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


SeriesOne = _one("SeriesOne", SeriesOut)

PROJECT_EXAMPLE = OpenApiExample(
    "A new volunteer project",
    request_only=True,
    value={
        "group": 12,
        "title": "Saturday food bank",
        "cause": "food",
        "venue_name": "Community pantry",
        "address": "2 Mill Lane, Leeds",
        "timezone": "Europe/London",
        "skills": "Lifting, food hygiene",
        "roles": [{"name": "Sorter", "description": "Sorting donations"}],
    },
)
PROJECT_UPDATE_EXAMPLE = OpenApiExample(
    "Change a project", request_only=True, value={"minimum_age": 16}
)
SHIFT_EXAMPLE = OpenApiExample(
    "A new shift",
    request_only=True,
    value={
        "role": 31,
        "starts_at": "2031-03-01T09:00:00+00:00",
        "ends_at": "2031-03-01T12:00:00+00:00",
        "capacity": 6,
    },
)
SHIFT_UPDATE_EXAMPLE = OpenApiExample("More places", request_only=True, value={"capacity": 8})
CANCEL_EXAMPLE = OpenApiExample(
    "Cancel with a message", request_only=True, value={"message": "The hall is closed, sorry."}
)
SERIES_EXAMPLE = OpenApiExample(
    "A weekly event",
    request_only=True,
    value={
        "group": 12,
        "title": "Tuesday rehearsal",
        "category": "music",
        "venue_name": "St Aidan's Church Hall",
        "timezone": "Europe/London",
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "first_starts_at": "2031-03-04T19:00:00+00:00",
        "duration_minutes": 120,
        "horizon_days": 60,
    },
)
SERIES_UPDATE_EXAMPLE = OpenApiExample(
    "Move to Wednesdays", request_only=True, value={"rrule": "FREQ=WEEKLY;BYDAY=WE"}
)
SERIES_RESPONSE_EXAMPLE = OpenApiExample(
    "A repeating event",
    response_only=True,
    value={
        "data": {
            "id": 7,
            "group": {"id": 12, "slug": "leeds-community-choir", "name": "Leeds Community Choir"},
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "first_starts_at": "2031-03-04T19:00:00+00:00",
            "duration_minutes": 120,
            "horizon_days": 60,
            "timezone": "Europe/London",
            "title": "Tuesday rehearsal",
            "description": "",
            "category": "music",
            "tags": [],
            "venue_name": "St Aidan's Church Hall",
            "city": "Leeds",
            "address": "",
            "online_url": "",
            "latitude": None,
            "longitude": None,
            "capacity": None,
            "guests_allowed": 0,
            "cost_note": "",
            "newcomers_welcome": True,
            "step_free_access": False,
            "quiet_room": False,
            "sign_language": False,
            "accessibility_notes": "",
            "is_running": True,
            "ended_at": None,
            "created_at": "2031-02-01T10:00:00+00:00",
            "updated_at": "2031-02-01T10:00:00+00:00",
        }
    },
)


class RegistrationOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    event = serializers.IntegerField(allow_null=True)
    shift = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(
        choices=["pending", "accepted", "declined"], help_text="The person's answer"
    )
    outcome = serializers.ChoiceField(
        choices=["going", "waitlisted", "signed_up"],
        allow_null=True,
        help_text="Once accepted: what the RSVP or sign-up became",
    )
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


RegistrationOne = _one("RegistrationOne", RegistrationOut)
REGISTRATION_EXAMPLE = OpenApiExample(
    "Register someone who agreed",
    request_only=True,
    value={"email": "sam@example.org", "consent": True},
)
REGISTRATION_RESPONSE_EXAMPLE = OpenApiExample(
    "Waiting for the person's answer",
    response_only=True,
    status_codes=["201"],
    value={
        "data": {
            "id": 5,
            "email": "sam@example.org",
            "event": 42,
            "shift": None,
            "status": "pending",
            "outcome": None,
            "created_at": "2031-02-01T10:00:00+00:00",
            "decided_at": None,
        }
    },
)


# Response examples, one per read operation (the docs show them beside the shapes).
_GROUP_REF = {"id": 12, "slug": "leeds-community-choir", "name": "Leeds Community Choir"}
GROUP_VALUE = {
    **_GROUP_REF,
    "description": "We sing on Tuesdays.",
    "category": "music",
    "city": "Leeds",
    "visibility": "public",
    "join_policy": "open",
    "url": "/groups/leeds-community-choir/",
    "own": True,
    "updated_at": "2031-02-01T10:00:00+00:00",
}
EVENT_VALUE = {
    "id": 42,
    "slug": "open-rehearsal-2031-03-01",
    "url": "/events/open-rehearsal-2031-03-01/",
    "title": "Open rehearsal",
    "description": "Come and sing.",
    "category": "music",
    "tags": ["Singing"],
    "group": _GROUP_REF,
    "series": None,
    "status": "scheduled",
    "timezone": "Europe/London",
    "starts_at": "2031-03-01T18:00:00+00:00",
    "ends_at": "2031-03-01T20:00:00+00:00",
    "rsvp_opens_at": None,
    "rsvp_closes_at": None,
    "venue_name": "St Aidan's Church Hall",
    "city": "Leeds",
    "address": "1 Church Lane, Leeds",
    "online_url": "",
    "latitude": 53.8,
    "longitude": -1.55,
    "is_online": False,
    "capacity": 40,
    "guests_allowed": 1,
    "going_count": 12,
    "waitlist_count": 0,
    "seats_taken": 14,
    "cost_note": "",
    "newcomers_welcome": True,
    "step_free_access": True,
    "quiet_room": False,
    "sign_language": False,
    "accessibility_notes": "",
    "cancellation_message": "",
    "own": True,
    "created_at": "2031-02-01T10:00:00+00:00",
    "updated_at": "2031-02-01T10:00:00+00:00",
}
RSVP_VALUE = {
    "id": 301,
    "status": "going",
    "guests": 1,
    "name": "Ada",
    "waitlist_position": None,
    "checked_in": False,
    "created_at": "2031-02-03T09:00:00+00:00",
}
PROJECT_VALUE = {
    "id": 8,
    "slug": "saturday-food-bank",
    "url": "/volunteer/projects/saturday-food-bank/",
    "title": "Saturday food bank",
    "description": "Sorting and handing out food.",
    "cause": "food",
    "skills": ["Lifting"],
    "group": _GROUP_REF,
    "status": "active",
    "remote": False,
    "timezone": "Europe/London",
    "starts_on": None,
    "ends_on": None,
    "venue_name": "Community pantry",
    "city": "Leeds",
    "address": None,
    "latitude": None,
    "longitude": None,
    "minimum_age": 16,
    "has_waiver": True,
    "roles": [{"id": 31, "name": "Sorter", "description": "Sorting donations", "skills": []}],
    "own": False,
    "created_at": "2031-02-01T10:00:00+00:00",
    "updated_at": "2031-02-01T10:00:00+00:00",
}
SHIFT_VALUE = {
    "id": 77,
    "url": "/volunteer/projects/saturday-food-bank/shifts/77/",
    "project": {"id": 8, "slug": "saturday-food-bank", "title": "Saturday food bank"},
    "group": _GROUP_REF,
    "role": {"id": 31, "name": "Sorter"},
    "series": None,
    "status": "scheduled",
    "timezone": "Europe/London",
    "starts_at": "2031-03-01T09:00:00+00:00",
    "ends_at": "2031-03-01T12:00:00+00:00",
    "venue_name": "Community pantry",
    "city": "Leeds",
    "address": None,
    "latitude": None,
    "longitude": None,
    "capacity": 6,
    "seats_taken": 6,
    "signed_up_count": 5,
    "waitlist_count": 2,
    "step_free_access": True,
    "quiet_room": False,
    "sign_language": False,
    "accessibility_notes": "",
    "notes": "Wear closed shoes.",
    "cancellation_message": "",
    "own": False,
    "created_at": "2031-02-01T10:00:00+00:00",
    "updated_at": "2031-02-01T10:00:00+00:00",
}
SIGNUP_VALUE = {
    "id": 501,
    "status": "signed_up",
    "name": "Sam",
    "places": 2,
    "waitlist_position": None,
    "created_at": "2031-02-03T09:00:00+00:00",
}
HOURS_VALUE = {
    "id": 900,
    "project": {"id": 8, "title": "Saturday food bank"},
    "shift": 77,
    "volunteer": {"id": 55, "name": "Sam"},
    "worked_on": "2031-03-01",
    "minutes": 180,
    "hours": "3.00",
    "source": "check_in",
    "reverses": None,
    "corrects": None,
    "verified_at": "2031-03-02T10:00:00+00:00",
}
_NEXT = "https://connect.example/api/v1/shifts?cursor=eyJ..."


def _page_example(name: str, value: dict, **extra) -> OpenApiExample:
    return OpenApiExample(name, response_only=True, value={"data": [value], "next": _NEXT, **extra})


def _one_example(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, response_only=True, value={"data": value})


GROUP_PAGE_EXAMPLE = _page_example("A page of groups", GROUP_VALUE)
GROUP_ONE_EXAMPLE = _one_example("A group", GROUP_VALUE)
EVENT_PAGE_EXAMPLE = _page_example(
    "A page of events (with updated_since: and those gone)",
    EVENT_VALUE,
    deleted=[{"id": 40, "reason": "cancelled", "gone_at": "2031-02-02T08:00:00+00:00"}],
)
EVENT_ONE_EXAMPLE = _one_example("An event", EVENT_VALUE)
EVENT_CANCELLED_EXAMPLE = _one_example(
    "The cancelled event",
    {**EVENT_VALUE, "status": "cancelled", "cancellation_message": "The hall is closed, sorry."},
)
RSVP_PAGE_EXAMPLE = _page_example("A page of RSVPs", RSVP_VALUE)
PROJECT_PAGE_EXAMPLE = _page_example("A page of volunteer projects", PROJECT_VALUE)
PROJECT_ONE_EXAMPLE = _one_example("A volunteer project", PROJECT_VALUE)
SHIFT_PAGE_EXAMPLE = _page_example("A page of shifts", SHIFT_VALUE)
SHIFT_ONE_EXAMPLE = _one_example("A shift", SHIFT_VALUE)
SIGNUP_PAGE_EXAMPLE = _page_example("A page of sign-ups", SIGNUP_VALUE)
HOURS_PAGE_EXAMPLE = _page_example("A page of verified hours", HOURS_VALUE, total_minutes=4260)
RegistrationPage = _page("RegistrationPage", RegistrationOut)
REGISTRATION_PAGE_EXAMPLE = OpenApiExample(
    "Registrations and their answers",
    response_only=True,
    value={
        "data": [
            {
                "id": 5,
                "email": "sam@example.org",
                "event": 42,
                "shift": None,
                "status": "accepted",
                "outcome": "going",
                "created_at": "2031-02-01T10:00:00+00:00",
                "decided_at": "2031-02-01T18:20:00+00:00",
            }
        ],
        "next": None,
    },
)
