"""Website forms for events: they check the shape of input. The rules are the models'
(`Event.clean`, `EventSeries.clean`), asked here too so their messages show beside the field
before anything is sent to a service."""

import datetime as dt
import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import places, repeat
from core.exceptions import ServiceError
from core.forms import (
    WhenAndWhereSearchMixin,
    coordinate_formfields,
    radius_formfield,
    when_formfield,
    where_formfield,
)
from core.models import Category
from core.recurrence import MAX_COUNT, occurrences_between
from core.timezones import common_timezone_choices, site_timezone
from events.models import DETAIL_FIELDS, EVENT_TIME_FIELDS, Event, EventSeries, check_date_range

LOCAL_INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


class EventFilterForm(WhenAndWhereSearchMixin, forms.Form):
    """The search form on /events/ (GET). Every field is optional."""

    MODE_CHOICES = [
        ("", _("Online or in person")),
        ("online", _("Online")),
        ("in_person", _("In person")),
    ]

    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        help_text=_("Words in the title, description, group, venue or town."),
    )
    where = where_formfield()
    radius_km = radius_formfield()
    when = when_formfield()
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Any category")), *Category.choices],
    )
    mode = forms.ChoiceField(label=_("Online or in person"), required=False, choices=MODE_CHOICES)
    lat, lon = coordinate_formfields()
    include_past = forms.BooleanField(label=_("Include past events"), required=False)
    group = forms.SlugField(required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    per_page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def filters(self) -> dict:
        """The cleaned input in the shape `event_list_visible` takes."""
        data = self.cleaned_data
        return {
            "text": data.get("q") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "category": data.get("category") or "",
            "group": data.get("group") or "",
            "mode": data.get("mode") or "",
            "lat": data.get("lat"),
            "lon": data.get("lon"),
            "radius_km": data.get("radius_km"),
            "include_past": bool(data.get("include_past")),
        }

    def page_size(self) -> int:
        return min(self.cleaned_data.get("per_page") or settings.PAGE_SIZE, settings.MAX_PAGE_SIZE)


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time from a datetime-local input, left naive: the form makes it aware in the
    time zone chosen beside it, not in the server's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        for fmt in LOCAL_INPUT_FORMATS:
            try:
                parsed = dt.datetime.strptime(str(value).strip(), fmt)  # noqa: DTZ007 - see class
            except ValueError:
                continue
            check_date_range(parsed.date())
            return parsed
        raise ValidationError(self.error_messages["invalid"], code="invalid")


def _model_field(name: str, **kwargs):
    return Event._meta.get_field(name).formfield(**kwargs)


def _aware(naive: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The wall-clock time in `tz`, or None when the clocks skip it (a DST gap)."""
    aware = naive.replace(tzinfo=tz)
    round_trip = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    return aware if round_trip == naive else None


def _time_error(zone: str) -> str:
    return _("This time does not exist in %(zone)s: the clocks change then.") % {"zone": zone}


class EventDetailsForm(forms.Form):
    """What one event and a repeating event share: what, where, places, welcome and access."""

    title = _model_field("title")
    description = _model_field("description")
    category = _model_field("category")
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Comma-separated, e.g. singing, beginners"),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=common_timezone_choices, initial=site_timezone
    )
    venue_name = _model_field("venue_name")
    address = _model_field("address")
    city = _model_field("city")
    online_url = _model_field("online_url", assume_scheme="https")
    capacity = _model_field("capacity")
    guests_allowed = _model_field("guests_allowed")
    cost_note = _model_field("cost_note")
    newcomers_welcome = _model_field("newcomers_welcome")
    step_free_access = _model_field("step_free_access")
    quiet_room = _model_field("quiet_room")
    sign_language = _model_field("sign_language")
    accessibility_notes = _model_field("accessibility_notes")

    DETAIL_FIELDS = DETAIL_FIELDS

    PLACE_FIELDS = ("venue_name", "address", "city", "online_url")

    def __init__(self, *args, group=None, current=None, **kwargs):
        """`group`: the event's group (its town and point stand in for the event's); `current`:
        the event or series being edited, whose point is kept while its place is unchanged."""
        super().__init__(*args, **kwargs)
        self.group = group
        self.current = current

    def clean(self):
        data = super().clean()
        data["latitude"], data["longitude"] = self._coordinates(data)
        return data

    def _coordinates(self, data) -> tuple[float | None, float | None]:
        """The event's point (core.places.point_for_place): none for an event only online."""
        only_online = not (data.get("address") or data.get("venue_name")) and bool(
            data.get("online_url")
        )
        return places.point_for_place(
            data,
            fields=self.PLACE_FIELDS,
            current=self.current,
            group=self.group,
            no_place=only_online,
        )

    @classmethod
    def details_initial(cls, obj) -> dict:
        """Starting values from an event or a series (tags included)."""
        initial = {name: getattr(obj, name) for name in cls.DETAIL_FIELDS}
        initial["tags"] = ", ".join(tag.name for tag in obj.tags.all())
        return initial

    def clean_tags(self) -> list[str]:
        names = []
        for raw in self.cleaned_data["tags"].split(","):
            name = " ".join(raw.split())
            if len(name) > 40:
                raise ValidationError(_("A tag can be at most 40 characters long."))
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        return names

    def _values(self, names) -> dict:
        """Cleaned values by name, for a throwaway model instance to ask its rules."""
        return {name: self.cleaned_data.get(name) for name in names}

    def check_rules(self, instance, *, aliases: dict[str, str] | None = None) -> None:
        """The model's rules (its fields' validators and its clean()) on what was entered, each
        message beside the field it names (or the field the form asks it with); fields already
        in error are left be."""
        aliases = aliases or {}
        exclude = [
            field.name
            for field in instance._meta.fields
            if field.name not in self.cleaned_data and aliases.get(field.name) is None
        ]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, errors in error.update_error_dict({}).items():
                name = aliases.get(name, name)
                if name not in self.fields:
                    self.add_error(None, errors)
                elif name in self.cleaned_data:
                    self.add_error(name, errors)

    def detail_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.DETAIL_FIELDS}


class PictureFormMixin(forms.Form):
    """A picture for an event or a whole series: the upload, its description and, when there
    is one already, a box to remove it (core.pictures checks and resizes it in the services)."""

    picture = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=_("Optional: a JPEG, PNG or WebP photo or drawing, up to 10 MB."),
    )
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)
    picture_alt = forms.CharField(
        label=_("What the picture shows"),
        max_length=Event._meta.get_field("picture_alt").max_length,
        required=False,
        validators=Event._meta.get_field("picture_alt").validators,
        help_text=_("Needed with a picture, for people who cannot see it."),
    )

    def __init__(self, *args, has_picture: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_picture:
            del self.fields["remove_picture"]

    def picture_fields(self) -> dict:
        """The picture's part of the form, as the services take it."""
        data = {
            "picture": self.cleaned_data.get("picture"),
            "picture_alt": self.cleaned_data.get("picture_alt", ""),
        }
        if "remove_picture" in self.fields:
            data["remove_picture"] = self.cleaned_data.get("remove_picture", False)
        return data


class EventForm(PictureFormMixin, EventDetailsForm):
    """Create or edit one event. Times are read in the event's own time zone."""

    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    rsvp_opens_at = LocalDateTimeField(
        label=_("RSVPs open"), required=False, help_text=_("Leave blank to open them now.")
    )
    rsvp_closes_at = LocalDateTimeField(
        label=_("RSVPs close"), required=False, help_text=_("Leave blank to keep them open.")
    )

    TIME_FIELDS = EVENT_TIME_FIELDS

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        """The form's starting values for an existing event, times in its own time zone."""
        tz = zoneinfo.ZoneInfo(event.timezone)
        initial = cls.details_initial(event)
        initial["picture_alt"] = event.picture_alt
        for name in cls.TIME_FIELDS:
            value = getattr(event, name)
            initial[name] = value.astimezone(tz).replace(tzinfo=None) if value else None
        return initial

    def clean(self):
        data = super().clean()
        tz_name = data.get("timezone")
        if not tz_name:
            return data
        tz = zoneinfo.ZoneInfo(tz_name)
        for name in self.TIME_FIELDS:
            if data.get(name) is None:
                continue
            aware = _aware(data[name], tz)
            if aware is None:
                self.add_error(name, _time_error(tz_name))
                data.pop(name, None)
            else:
                data[name] = aware
        self.check_rules(Event(**self._values((*self.DETAIL_FIELDS, *self.TIME_FIELDS))))
        return data

    def event_fields(self) -> dict:
        """Cleaned values in the shape `event_create` / `event_update` take (tags apart)."""
        fields = self.detail_fields()
        fields.update({name: self.cleaned_data.get(name) for name in self.TIME_FIELDS})
        return fields


CUSTOM = "custom"
CUSTOM_CHOICE = (CUSTOM, _("Advanced: keep the custom rule (RFC 5545 RRULE)"))
RRULE_HELP = _("Only for a repeating event whose rule the plain choices above cannot express.")


def plain_repeat(rule: str, first_day: dt.date, timezone: str) -> dict | None:
    """The plain choices (core.repeat) that make `rule` for a series starting on `first_day`
    (local), with its last date or number of times; None when they cannot express it."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    until, count = parts.pop("UNTIL", None), parts.pop("COUNT", None)
    last_day = None
    if until is not None:
        try:
            moment = dt.datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            return None
        local = moment.astimezone(zoneinfo.ZoneInfo(timezone))
        if local.time() != dt.time(23, 59, 59):
            return None
        last_day = local.date()
    for choice, _label in repeat.REPEAT_CHOICES[1:]:
        made = repeat.rule_from_choices(repeat=choice, first_day=first_day)
        if dict(part.split("=", 1) for part in made.split(";")) == parts:
            return {
                "repeats": choice,
                "until": last_day,
                "count": int(count) if count and count.isdigit() else None,
            }
    return None


class RepeatChoicesMixin:
    """How a series repeats, in plain choices: every week, every other week or monthly on the
    same weekday (core.repeat), until a date or N times, skipping one date. `repeat_first_day`
    gives the local first date from the cleaned data; the rule lands in cleaned_data["rrule"]."""

    def repeat_fields(self) -> dict:
        return {
            "until": forms.DateField(
                label=_("Repeat until"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=_("The last date, or leave blank to keep repeating."),
            ),
            "count": forms.IntegerField(
                label=_("Or: this many times"),
                required=False,
                min_value=1,
                max_value=MAX_COUNT,
                help_text=_("For example 10 for ten dates. Leave blank to keep repeating."),
            ),
            "skip_date": forms.DateField(
                label=_("Skip a date"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=_(
                    "A date the event would fall on but will not take place (a holiday): "
                    "that date is cancelled."
                ),
            ),
        }

    def clean_until(self):
        value = self.cleaned_data.get("until")
        if value is not None:
            check_date_range(value)
        return value

    def clean_skip_date(self):
        value = self.cleaned_data.get("skip_date")
        if value is not None:
            check_date_range(value)
        return value

    def clean_repeat_choices(self, data: dict, first_day: dt.date | None, tz_name: str) -> None:
        """Put the rule made from the choices in data["rrule"], or add errors beside them."""
        choice = data.get("repeats")
        if choice == CUSTOM:
            data["rrule"] = (data.get("rrule") or "").strip().removeprefix("RRULE:")
            if not data["rrule"]:
                self.add_error("rrule", _("Write the rule, or choose one of the plain choices."))
            return
        data["rrule"] = ""
        if not choice:
            for name in ("until", "count", "skip_date"):
                if data.get(name):
                    self.add_error(name, _("Choose how the event repeats first."))
            return
        until, count = data.get("until"), data.get("count")
        if until and count:
            self.add_error("count", _("Give a last date or a number of times, not both."))
            return
        if first_day is None:
            return
        if until and until < first_day:
            self.add_error("until", _("The last date must be on or after the first date."))
            return
        data["rrule"] = repeat.rule_from_choices(
            repeat=choice, first_day=first_day, until=until, count=count
        )
        skip = data.get("skip_date")
        if skip is not None and not self._on_pattern(data["rrule"], first_day, skip, tz_name):
            self.add_error(
                "skip_date", _("The event does not fall on this date: pick one of its dates.")
            )

    @staticmethod
    def _on_pattern(rule: str, first_day: dt.date, day: dt.date, tz_name: str) -> bool:
        if day < first_day:
            return False
        tz = zoneinfo.ZoneInfo(tz_name)
        noon = dt.time(12)
        try:
            found = occurrences_between(
                rule=rule,
                first_starts_at=dt.datetime.combine(first_day, noon, tzinfo=tz),
                timezone=tz_name,
                after=dt.datetime.combine(day, dt.time(0), tzinfo=tz),
                before=dt.datetime.combine(day, dt.time(23, 59), tzinfo=tz),
            )
            return next(iter(found), None) is not None
        except (ServiceError, OverflowError, ValueError):
            return False


class EventCreateForm(RepeatChoicesMixin, EventForm):
    """A new event, which may repeat (a recurring series) with plain choices."""

    repeats = forms.ChoiceField(
        label=_("Repeats"),
        choices=repeat.REPEAT_CHOICES,
        required=False,
        help_text=_("Repeating dates fall on the first date's weekday."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(self.repeat_fields())

    def clean(self):
        data = super().clean()
        repeats, starts = data.get("repeats"), data.get("starts_at")
        tz_name = data.get("timezone")
        if repeats and starts is not None and tz_name:
            for name in ("rsvp_opens_at", "rsvp_closes_at"):
                if data.get(name):
                    self.add_error(
                        name, _("Repeating events take RSVPs from when they are created.")
                    )
            first_day = starts.astimezone(zoneinfo.ZoneInfo(tz_name)).date()
        else:
            first_day = None
        self.clean_repeat_choices(data, first_day, tz_name or "UTC")
        ends = data.get("ends_at")
        if data["rrule"] and starts is not None and ends is not None and ends > starts:
            series = EventSeries(
                rrule=data["rrule"],
                first_starts_at=starts,
                duration=ends - starts,
                **self._values(self.DETAIL_FIELDS),
            )
            self.check_rules(
                series,
                aliases={"first_starts_at": "starts_at", "duration": "ends_at", "rrule": "repeats"},
            )
            data["rrule"] = series.rrule
        return data

    def skip_dates(self) -> list[dt.date]:
        day = self.cleaned_data.get("skip_date")
        return [day] if day else []


class EventSeriesForm(RepeatChoicesMixin, PictureFormMixin, EventDetailsForm):
    """Edit a repeating event as a whole: its details, how it repeats, time of day and length.
    Times are read in the series' own time zone. A series whose rule the plain choices cannot
    express keeps it as an "advanced" choice."""

    repeats = forms.ChoiceField(label=_("Repeats"), choices=repeat.REPEAT_CHOICES[1:])
    first_date = forms.DateField(
        label=_("Repeats from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Repeating dates fall on this date's weekday."),
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration = forms.IntegerField(
        label=_("Lasts (minutes)"),
        min_value=1,
        max_value=14 * 24 * 60,
        help_text=_("For example 90 for an hour and a half."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(self.repeat_fields())
        series = self.current
        custom = series is not None and self.plain_for(series) is None
        if custom or (self.initial.get("repeats") == CUSTOM):
            self.fields["repeats"].choices = [*repeat.REPEAT_CHOICES[1:], CUSTOM_CHOICE]
            self.fields["rrule"] = forms.CharField(
                label=_("Custom rule"), required=False, max_length=500, help_text=RRULE_HELP
            )

    @staticmethod
    def plain_for(series: EventSeries) -> dict | None:
        local = series.first_starts_at.astimezone(zoneinfo.ZoneInfo(series.timezone))
        return plain_repeat(series.rrule, local.date(), series.timezone)

    @classmethod
    def initial_for(cls, series: EventSeries) -> dict:
        """The form's starting values for a series, its times in its own time zone."""
        initial = cls.details_initial(series)
        initial["picture_alt"] = series.picture_alt
        local = series.first_starts_at.astimezone(zoneinfo.ZoneInfo(series.timezone))
        initial.update(
            first_date=local.date(),
            start_time=local.time().replace(second=0, microsecond=0),
            duration=int(series.duration.total_seconds() // 60),
        )
        plain = cls.plain_for(series)
        if plain is None:
            initial.update(repeats=CUSTOM, rrule=series.rrule)
        else:
            initial.update(plain)
        return initial

    def clean_first_date(self):
        value = self.cleaned_data["first_date"]
        check_date_range(value)
        return value

    def clean(self):
        data = super().clean()
        tz_name, day, time = data.get("timezone"), data.get("first_date"), data.get("start_time")
        series = EventSeries(**self._values(self.DETAIL_FIELDS))
        aliases = {"first_starts_at": "start_time", "rrule": "repeats"}
        if data.get("repeats") == CUSTOM:
            aliases["rrule"] = "rrule"
        self.clean_repeat_choices(data, day, tz_name or "UTC")
        if not (tz_name and day and time):
            self.check_rules(series, aliases=aliases)
            return data
        starts = _aware(dt.datetime.combine(day, time), zoneinfo.ZoneInfo(tz_name))
        if starts is None:
            self.add_error("start_time", _time_error(tz_name))
            return data
        data["first_starts_at"] = series.first_starts_at = starts
        if data.get("duration"):
            series.duration = dt.timedelta(minutes=data["duration"])
        series.rrule = data.get("rrule") or ""
        self.check_rules(series, aliases=aliases)
        if series.rrule:
            data["rrule"] = series.rrule
        return data

    def skip_dates(self) -> list[dt.date]:
        day = self.cleaned_data.get("skip_date")
        return [day] if day else []

    def series_fields(self, series: EventSeries) -> dict:
        """Cleaned values in the shape `event_series_update` takes (tags apart). The first
        start is kept to the second when the form's minute is unchanged."""
        data = self.cleaned_data
        fields = self.detail_fields()
        first_starts_at = data["first_starts_at"]
        if series.first_starts_at.replace(second=0, microsecond=0) == first_starts_at:
            first_starts_at = series.first_starts_at
        fields.update(
            rrule=data["rrule"],
            first_starts_at=first_starts_at,
            duration=dt.timedelta(minutes=data["duration"]),
        )
        return fields


class EventCancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to attendees"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text=_("Sent to everyone going or on the waitlist, and shown on the event page."),
    )


class RsvpForm(forms.Form):
    """What the RSVP buttons on an event page post."""

    ACTION_CHOICES = [("going", _("Going")), ("decline", _("Not going")), ("cancel", _("Cancel"))]

    action = forms.ChoiceField(choices=ACTION_CHOICES, widget=forms.HiddenInput)
    guests = forms.TypedChoiceField(label=_("Guests"), coerce=int, required=False, empty_value=0)
    conduct_accepted = forms.BooleanField(
        label=_("I have read the group's code of conduct and I accept it"), required=False
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guests"].choices = [(n, str(n)) for n in range(event.guests_allowed + 1)]
        self.fields["guests"].help_text = _("People you bring along, besides yourself.")
