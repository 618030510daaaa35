"""Website forms for care calendars: they check the shape of input; the rules are the models'
and the services'."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import when
from core.timezones import timezone_choices
from volunteering.care_models import (
    MAX_HELPERS_PER_SLOT,
    CareCalendar,
    CareHelper,
    HelpKind,
)

WEEKDAYS = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
LOCAL_INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


class CareCalendarForm(forms.ModelForm):
    help_needed = forms.MultipleChoiceField(
        label=_("Help needed"),
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)

    class Meta:
        model = CareCalendar
        fields = [
            "title",
            "recipient_name",
            "about",
            "help_needed",
            "dietary_notes",
            "access_notes",
            "address",
            "private_notes",
            "timezone",
            "visibility",
        ]
        widgets = {"visibility": forms.RadioSelect}

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"] = forms.ModelChoiceField(
                label=_("Group"), queryset=groups, empty_label=None
            )
            self.fields["recipient_email"] = forms.EmailField(
                label=_("Their email address on Connect"),
                required=False,
                help_text=_(
                    "If the person helped is a member of the group, they can then see the "
                    "calendar and post updates. Leave blank otherwise."
                ),
            )
            self.order_fields(["group", "title", "recipient_name", "recipient_email"])

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CareSlotForm(forms.Form):
    """One slot, or a weekly repeating one."""

    kind = forms.ChoiceField(label=_("Kind of help"), choices=HelpKind.choices)
    title = forms.CharField(
        label=_("What"),
        max_length=150,
        required=False,
        help_text=_("For example: dinner for two, no nuts"),
    )
    starts_at = forms.CharField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("In the calendar's time zone."),
    )
    length_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=48 * 60, initial=60
    )
    capacity = forms.IntegerField(
        label=_("Helpers needed"), min_value=1, max_value=MAX_HELPERS_PER_SLOT, initial=1
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Repeat every week on"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a single slot."),
    )
    weeks_ahead = forms.IntegerField(
        label=_("Show repeating slots this many weeks ahead"), min_value=1, max_value=16, initial=4
    )

    def __init__(self, *args, calendar: CareCalendar, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = calendar

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        for fmt in LOCAL_INPUT_FORMATS:
            try:
                naive = dt.datetime.strptime(value.strip(), fmt)  # noqa: DTZ007 - zone below
            except ValueError:
                continue
            if not 2000 <= naive.year <= 2999:
                break
            zone = when.zone(self.calendar.timezone)
            aware = naive.replace(tzinfo=zone)
            if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
                raise ValidationError(_("This time does not exist then: the clocks change."))
            return aware
        raise ValidationError(_("Enter a date and time."))

    @property
    def repeats(self) -> bool:
        return bool(self.cleaned_data.get("weekdays"))

    def slot_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "starts_at": data["starts_at"],
            "ends_at": data["starts_at"] + dt.timedelta(minutes=data["length_minutes"]),
            "capacity": data["capacity"],
        }

    def series_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "rrule": "FREQ=WEEKLY;BYDAY=" + ",".join(data["weekdays"]),
            "first_starts_at": data["starts_at"],
            "duration": dt.timedelta(minutes=data["length_minutes"]),
            "capacity": data["capacity"],
            "horizon_days": data["weeks_ahead"] * 7,
        }


class CareSlotMoveForm(forms.Form):
    """Move one slot: a new start and length (the helpers who took it keep it and are told
    through their reminders, which move with it)."""

    starts_at = CareSlotForm.base_fields["starts_at"]
    length_minutes = CareSlotForm.base_fields["length_minutes"]

    def __init__(self, *args, calendar: CareCalendar, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = calendar

    clean_starts_at = CareSlotForm.clean_starts_at

    @staticmethod
    def initial_for(slot) -> dict:
        local = when.local(slot.starts_at, slot.calendar.timezone)
        return {
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "length_minutes": int((slot.ends_at - slot.starts_at).total_seconds() // 60),
        }

    def slot_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["starts_at"] + dt.timedelta(minutes=data["length_minutes"]),
        }


class CoordinatorAddForm(forms.Form):
    email = forms.EmailField(label=_("Their email address"))


class CareUpdateForm(forms.Form):
    body = forms.CharField(label=_("Update"), widget=forms.Textarea(attrs={"rows": 4}))
    is_thanks = forms.BooleanField(label=_("This is a thank-you"), required=False)


class WeeklyLimitForm(forms.ModelForm):
    class Meta:
        model = CareHelper
        fields = ["weekly_limit"]


class CareSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
