"""Form fields shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _


def latitude_formfield(*, help_text) -> forms.FloatField:
    """An optional latitude, range-checked before the form's clean() compares the pair."""
    return forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=help_text,
    )


def longitude_formfield(*, help_text) -> forms.FloatField:
    """An optional longitude, range-checked before the form's clean() compares the pair."""
    return forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=help_text,
    )


class CoordinatesFormMixin:
    """For a form with latitude and longitude fields, given both or neither."""

    def missing_coordinate(self) -> str | None:
        """The field left empty while the other one was given, else None.

        None too when either field already has an error: an out-of-range value is reported as
        such, not also as "give the other one".
        """
        if "latitude" in self.errors or "longitude" in self.errors:
            return None
        latitude = self.cleaned_data.get("latitude")
        longitude = self.cleaned_data.get("longitude")
        if latitude is None and longitude is not None:
            return "latitude"
        if longitude is None and latitude is not None:
            return "longitude"
        return None
