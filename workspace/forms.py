"""The shape of what organizers type in the workspace; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import WalkIn


class WalkInForm(forms.Form):
    name = forms.CharField(
        label=_("Name of someone who came without an RSVP"),
        max_length=WalkIn._meta.get_field("name").max_length,
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity (people, guests included)"),
        min_value=1,
        required=False,
        help_text=_("Leave blank for no limit. More seats go to the waitlist in order."),
    )
