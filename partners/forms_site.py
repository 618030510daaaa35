"""The shapes of what a partner's organizers type on the website (the rules are the services')."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.webhooks import CATALOGUE

SCOPE_CHOICES = [
    ("read", _("Read: public listings and your own groups' data")),
    ("write", _("Write: create, change and cancel your own groups' events")),
]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("What is this key for?"),
        max_length=50,
        help_text=_("For example: our website, our CRM."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=SCOPE_CHOICES,
        initial=["read"],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The key stops working at the start of that day (UTC)."),
    )

    def expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.now().date():
            raise forms.ValidationError(_("Choose a day after today."))
        return day


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address (https)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where Connect sends a signed POST request for each event you choose."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=[(key, key) for key in CATALOGUE],
        widget=forms.CheckboxSelectMultiple,
    )


class EmbedOriginsForm(forms.Form):
    embed_origins = forms.CharField(
        label=_("Sites that may show the list"),
        required=False,
        max_length=500,
        help_text=_("Their https addresses separated by spaces, like https://example.org"),
    )
