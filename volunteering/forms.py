"""Website forms of the volunteering app: they check the shape of input; the services hold the
rules."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from volunteering.models import MAX_TEAM_SIZE, Cause

DEFAULT_RADIUS_KM = 25.0
MAX_RADIUS_KM = 500.0
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(9000, 12, 31)


class ProjectFilterForm(forms.Form):
    """The search form on /volunteer/ (GET). Every field is optional."""

    REMOTE_CHOICES = [
        ("", _("Remote or in person")),
        ("remote", _("Remote")),
        ("in_person", _("In person")),
    ]

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    cause = forms.ChoiceField(
        label=_("Cause"), required=False, choices=[("", _("Any cause")), *Cause.choices]
    )
    skills = forms.CharField(label=_("Skill"), max_length=100, required=False)
    date_from = forms.DateField(
        label=_("Shifts from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Shifts to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    remote = forms.ChoiceField(label=_("Where"), required=False, choices=REMOTE_CHOICES)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius_km = forms.FloatField(
        label=_("Within (km)"),
        required=False,
        min_value=0.1,
        max_value=MAX_RADIUS_KM,
        help_text=_("With a latitude and longitude, or the location in your profile."),
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _date(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise ValidationError(_("Give a date between 1900 and 9000."))
        return value

    def clean_date_from(self):
        return self._date("date_from")

    def clean_date_to(self):
        return self._date("date_to")

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date is before the start date."))
        if self.has_error("lat") or self.has_error("lon") or self.has_error("radius_km"):
            return data
        lat, lon, radius = data.get("lat"), data.get("lon"), data.get("radius_km")
        if (lat is None) != (lon is None):
            raise ValidationError(_("Give both a latitude and a longitude, or neither."))
        if lat is None and radius:
            user = self.user
            if user is not None and user.is_authenticated and user.latitude is not None:
                data["lat"], data["lon"] = user.latitude, user.longitude
            else:
                self.add_error(
                    "radius_km",
                    _(
                        "To search by distance, give a latitude and longitude, or add your "
                        "location to your profile."
                    ),
                )
        elif lat is not None and not radius:
            data["radius_km"] = DEFAULT_RADIUS_KM
        return data

    def filters(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields if name != "page"}


class SignupForm(forms.Form):
    """The sign-up step: the waiver and the minimum age when the project has them, and the
    names of a team coming along."""

    accept_waiver = forms.BooleanField(
        label=_("I have read and accept the agreement"), required=False
    )
    age_confirmed = forms.BooleanField(required=False)
    guardian_name = forms.CharField(
        label=_("Or: name of the parent or guardian who consents"),
        max_length=200,
        required=False,
    )
    team = forms.CharField(
        label=_("Bringing others? Their names, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each person takes a place. At most %(count)s.") % {"count": MAX_TEAM_SIZE},
    )

    def __init__(self, *args, project, needs_waiver: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_waiver:
            del self.fields["accept_waiver"]
        if project.minimum_age:
            self.fields["age_confirmed"].label = _("I am at least %(age)s years old") % {
                "age": project.minimum_age
            }
        else:
            del self.fields["age_confirmed"]
            del self.fields["guardian_name"]

    def clean_team(self):
        return [line.strip() for line in self.cleaned_data["team"].splitlines() if line.strip()]
