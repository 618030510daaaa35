from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from accounts.models import PROFILE_FIELDS, User
from accounts.services import user_profile_update
from core import places
from core.timezones import common_timezone_choices


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=User._meta.get_field("display_name").max_length,
        help_text=_("How other members see you. A first name is enough."),
    )

    show_first_name_only = forms.BooleanField(
        label=_("Show only my first name"),
        required=False,
        help_text=_("Others then see only the first word of your display name."),
    )
    city = forms.CharField(
        label=_("Your town or city"),
        max_length=User._meta.get_field("city").max_length,
        required=False,
        help_text=_("Optional. Helps us suggest events near you; you can change it later."),
    )

    def clean_display_name(self):
        # The model's rules (one line, no text-direction controls), as the profile form has them.
        return User._meta.get_field("display_name").clean(self.cleaned_data["display_name"], None)

    def clean_city(self):
        return User._meta.get_field("city").clean(self.cleaned_data["city"].strip(), None)

    def save(self, request):
        user = super().save(request)
        city = self.cleaned_data["city"]
        # The town's point, for "near you", as the profile form finds it (none when unknown).
        place = places.locate_town(city) if city else None
        return user_profile_update(
            user=user,
            display_name=self.cleaned_data["display_name"],
            show_first_name_only=self.cleaned_data["show_first_name_only"],
            city=city,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
        )


def language_choices():
    """Each language named in itself ("Español"), so anyone can find their own."""
    named = [
        (code, capfirst(get_language_info(code)["name_local"])) for code, _n in settings.LANGUAGES
    ]
    return [("", _("My browser's language")), *named]


class ProfileForm(forms.ModelForm):
    """The profile as a person edits it: a town, never coordinates (they follow from the town,
    through core.places, for "near you")."""

    timezone = forms.TypedChoiceField(
        label=_("Time zone"),
        choices=common_timezone_choices,
        help_text=_(
            "Common zones come first, then all the others. Times of events are shown in your "
            "time zone as well as the event's."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        required=False,
        help_text=_("The language of the site and of your emails."),
    )

    class Meta:
        model = User
        fields = [name for name in PROFILE_FIELDS if name not in ("latitude", "longitude")]
        help_texts = {
            "display_name": _("How other members see you."),
            "pronouns": _("Optional, for example: she/her, they/them."),
            "bio": _("Optional, up to 1000 characters. Shown to members of your groups."),
            "city": _("Optional: your town or city. Events near it are shown to you first."),
            "interests": _(
                "Comma-separated, e.g. singing, hiking. Your home page suggests events that "
                "match them."
            ),
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
        }

    def profile_fields(self) -> dict:
        """What the profile service takes: the fields, and the town's coordinates (none when the
        town is unknown or left empty)."""
        fields = {name: self.cleaned_data[name] for name in self.fields}
        place = places.locate_town(fields["city"]) if fields.get("city") else None
        fields["latitude"] = place.latitude if place else None
        fields["longitude"] = place.longitude if place else None
        return fields


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
