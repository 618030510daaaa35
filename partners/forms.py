"""Website forms of the partners app: they check the shape of input; the services hold the
rules."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationAnswerForm(forms.Form):
    """Accept or decline a partner's registration; a shift's agreement and minimum age are
    asked here as on the shift's page."""

    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    accept_waiver = forms.BooleanField(
        label=_("I have read and accept the project's agreement"), required=False
    )
    age_confirmed = forms.BooleanField(label=_("I am old enough for this project"), required=False)
    guardian_name = forms.CharField(
        label=_("Or: the parent or guardian who consents"), max_length=200, required=False
    )

    def __init__(self, *args, needs_waiver: bool = False, needs_age: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_waiver:
            del self.fields["accept_waiver"]
        if not needs_age:
            del self.fields["age_confirmed"]
            del self.fields["guardian_name"]
