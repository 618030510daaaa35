import zoneinfo

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import PROFILE_FIELDS
from core.forms import CoordinatesFormMixin, latitude_formfield, longitude_formfield

# Zones that exist for backwards compatibility only and would only confuse people.
_HIDDEN_ZONES = {"Factory", "localtime", "posixrules"}


def timezone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone, sorted, as select options."""
    zones = sorted(zoneinfo.available_timezones() - _HIDDEN_ZONES)
    return [(zone, zone.replace("_", " ")) for zone in zones]


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("How other members see you. A first name is enough."),
    )

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
        return user


class ProfileForm(CoordinatesFormMixin, forms.ModelForm):
    latitude = latitude_formfield(help_text=_("Optional, between -90 and 90, e.g. 53.8008."))
    longitude = longitude_formfield(help_text=_("Optional, between -180 and 180, e.g. -1.5491."))
    timezone = forms.TypedChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        help_text=_("Times of events are shown in your time zone as well as the event's."),
    )

    class Meta:
        model = User
        fields = list(PROFILE_FIELDS)
        help_texts = {
            "display_name": _("How other members see you."),
            "pronouns": _("Optional, for example: she/her, they/them."),
            "bio": _("Optional, up to 1000 characters. Shown to members of your groups."),
            "city": _("Optional. Helps us suggest events near you."),
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self):
        cleaned = super().clean()
        if self.missing_coordinate():
            raise forms.ValidationError(_("Give both latitude and longitude, or leave both empty."))
        return cleaned


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is really you."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."))
        return password
