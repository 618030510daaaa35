"""The shape of what organizers type in the workspace's volunteering section: projects, roles,
one-off and repeating shifts (plain repeat choices, core.repeat), cancelling, and reviewing hours
in bulk. The rules are the volunteering services' (their ServiceErrors land on these fields)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import places, repeat
from core.recurrence import MAX_COUNT
from core.timezones import common_timezone_choices, site_timezone
from events.forms import LocalDateTimeField
from volunteering.models import (
    CANCELLATION_MESSAGE_MAX_LENGTH,
    MAX_SHIFT_LENGTH,
    PROJECT_FIELDS,
    ROLE_FIELDS,
    Role,
    Shift,
    VolunteerProject,
)

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"})}


def _project_field(name: str, **kwargs):
    return VolunteerProject._meta.get_field(name).formfield(**kwargs)


def _shift_field(name: str, **kwargs):
    return Shift._meta.get_field(name).formfield(**kwargs)


def _aware(naive: dt.datetime, zone: str) -> dt.datetime | None:
    """The wall-clock time in the zone, or None when the clocks skip it."""
    tz = zoneinfo.ZoneInfo(zone)
    aware = naive.replace(tzinfo=tz)
    back = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    return aware if back == naive else None


def local_initial(value: dt.datetime | None, zone: str) -> dt.datetime | None:
    return value.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None) if value else None


class ProjectForm(forms.Form):
    """Every field of a volunteer project; the contact person is one of the group's organizers
    or hosts."""

    title = _project_field("title")
    description = _project_field("description")
    cause = _project_field("cause")
    remote = _project_field("remote")
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=common_timezone_choices, initial=site_timezone
    )
    venue_name = _project_field("venue_name")
    address = _project_field("address")
    city = _project_field("city")
    starts_on = _project_field("starts_on", **DATE_WIDGET)
    ends_on = _project_field("ends_on", **DATE_WIDGET)
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=None,
        required=False,
        help_text=_("The coordinator volunteers hear from; told when someone withdraws."),
    )
    minimum_age = _project_field("minimum_age")
    skills = _project_field("skills")
    waiver_text = _project_field("waiver_text")

    PLACE_FIELDS = ("venue_name", "address", "city")

    def __init__(self, *args, coordinators, group, current=None, **kwargs):
        """`group`: the project's group (its town and point stand in for the project's);
        `current`: the project being edited, whose point is kept while its place is unchanged."""
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = coordinators
        self.fields["contact"].label_from_instance = lambda user: user.public_name
        self.group = group
        self.current = current

    @staticmethod
    def initial_for(project: VolunteerProject) -> dict:
        return {name: getattr(project, name) for name in PROJECT_FIELDS}

    def project_fields(self) -> dict:
        fields = {
            name: self.cleaned_data[name]
            for name in PROJECT_FIELDS
            if name not in ("latitude", "longitude")
        }
        fields["latitude"], fields["longitude"] = self._coordinates(fields)
        return fields

    def _coordinates(self, data) -> tuple[float | None, float | None]:
        """The project's point (core.places.point_for_place): none for a remote project with
        no place given."""
        no_place = bool(data.get("remote")) and not any(
            data.get(name) for name in self.PLACE_FIELDS
        )
        return places.point_for_place(
            data,
            fields=self.PLACE_FIELDS,
            current=self.current,
            group=self.group,
            no_place=no_place,
        )


class RoleForm(forms.Form):
    name = Role._meta.get_field("name").formfield()
    description = Role._meta.get_field("description").formfield(
        widget=forms.Textarea(attrs={"rows": 3})
    )
    skills = Role._meta.get_field("skills").formfield()

    def role_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ROLE_FIELDS}


class ShiftForm(forms.Form):
    """One shift (or, with a repeat choice, the first of a repeating shift): times are read in
    the chosen zone; a blank place means the project's."""

    role = forms.ModelChoiceField(label=_("Role"), queryset=None, empty_label=None)
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=common_timezone_choices, initial=site_timezone
    )
    capacity = _shift_field("capacity")
    venue_name = _shift_field("venue_name", help_text=_("Leave the place blank for the project's."))
    address = _shift_field("address")
    city = _shift_field("city")
    step_free_access = _shift_field("step_free_access")
    quiet_room = _shift_field("quiet_room")
    sign_language = _shift_field("sign_language")
    accessibility_notes = _shift_field("accessibility_notes")
    notes = _shift_field("notes", widget=forms.Textarea(attrs={"rows": 3}))

    ONE_SHIFT_FIELDS = (
        "starts_at",
        "ends_at",
        "timezone",
        "capacity",
        "venue_name",
        "address",
        "city",
        "step_free_access",
        "quiet_room",
        "sign_language",
        "accessibility_notes",
        "notes",
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles

    def clean(self):
        data = super().clean()
        zone = data.get("timezone")
        if not zone:
            return data
        for name in ("starts_at", "ends_at"):
            if data.get(name) is None:
                continue
            aware = _aware(data[name], zone)
            if aware is None:
                self.add_error(
                    name,
                    _("This time does not exist in %(zone)s: the clocks change then.")
                    % {"zone": zone},
                )
            else:
                data[name] = aware
        return data

    def shift_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.ONE_SHIFT_FIELDS}


class NewShiftForm(ShiftForm):
    """A new shift: once, or repeating with plain choices (every week, every other week,
    monthly on the same weekday), until a date or a number of times, skipping a date."""

    repeat = forms.ChoiceField(
        label=_("Repeats"), choices=repeat.REPEAT_CHOICES, required=False, initial=""
    )
    until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        help_text=_("The last date, or leave blank."),
        **DATE_WIDGET,
    )
    count = forms.IntegerField(
        label=_("Or: this many times"), required=False, min_value=1, max_value=MAX_COUNT
    )
    skip_date = forms.DateField(
        label=_("Skip a date"),
        required=False,
        help_text=_("A date the shift would fall on but will not take place (a holiday)."),
        **DATE_WIDGET,
    )

    def clean(self):
        data = super().clean()
        choice = data.get("repeat")
        if not choice:
            for name in ("until", "count", "skip_date"):
                if data.get(name):
                    self.add_error(name, _("Choose how the shift repeats first."))
            return data
        if data.get("until") and data.get("count"):
            self.add_error("count", _("Give a last date or a number of times, not both."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts is None or ends is None:
            return data
        if not dt.timedelta(0) < ends - starts <= MAX_SHIFT_LENGTH:
            self.add_error("ends_at", _("A shift lasts more than 0 and up to 48 hours."))
            return data
        if data.get("until") and data["until"] < starts.date():
            self.add_error("until", _("The last date must be on or after the first shift."))
            return data
        data["rrule"] = repeat.rule_from_choices(
            repeat=choice, first_day=starts.date(), until=data.get("until"), count=data.get("count")
        )
        return data

    @property
    def repeating(self) -> bool:
        return bool(self.cleaned_data.get("repeat"))

    def series_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "rrule": data["rrule"],
            "first_starts_at": data["starts_at"],
            "duration": data["ends_at"] - data["starts_at"],
            "timezone": data["timezone"],
            "capacity": data["capacity"],
            "venue_name": data["venue_name"],
            "address": data["address"],
            "city": data["city"],
            "skip_dates": [data["skip_date"]] if data.get("skip_date") else [],
        }


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the volunteers"),
        required=False,
        max_length=CANCELLATION_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HoursReviewForm(forms.Form):
    """Verify or reject the chosen entries (the choices are the project's pending entries, so
    nobody else's id can be posted); rejecting needs a note."""

    entries = forms.TypedMultipleChoiceField(
        label=_("Hours"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verify")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
        initial="verify",
    )
    note = forms.CharField(
        label=_("Note to the volunteers (needed to reject)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(entry.pk, str(entry.pk)) for entry in entries]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", ValidationError(_("Say why the hours are rejected.")))
        return data
