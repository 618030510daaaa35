"""Form fields shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import when


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


DEFAULT_RADIUS_KM = 25.0


class WhenAndWhereSearchMixin:
    """Search forms with `date_from`/`date_to` and `lat`/`lon`/`radius_km` (events, volunteer
    projects): dates within the site's range and in order, both coordinates or neither, a
    radius alone meaning "near the place in my profile", coordinates alone a default radius.
    The form is built with `user=` (the person searching, maybe anonymous)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _clean_date(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None:
            when.check_date_range(value)
        return value

    def clean_date_from(self):
        return self._clean_date("date_from")

    def clean_date_to(self):
        return self._clean_date("date_to")

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date is before the start date."))
        if self.has_error("lat") or self.has_error("lon") or self.has_error("radius_km"):
            return data
        lat, lon, radius = data.get("lat"), data.get("lon"), data.get("radius_km")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Give both a latitude and a longitude, or neither."))
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
