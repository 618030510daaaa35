"""Website forms of the volunteering app: they check the shape of input; the services hold the
rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import (
    WhenAndWhereSearchMixin,
    coordinate_formfields,
    radius_formfield,
    when_formfield,
    where_formfield,
)
from volunteering.models import MAX_TEAM_SIZE, Cause


class ProjectFilterForm(WhenAndWhereSearchMixin, forms.Form):
    """The search form on /volunteer/ (GET). Every field is optional."""

    REMOTE_CHOICES = [
        ("", _("Remote or in person")),
        ("remote", _("Remote")),
        ("in_person", _("In person")),
    ]

    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        help_text=_("Words in the title, description, skills, roles, venue or town."),
    )
    where = where_formfield()
    radius_km = radius_formfield()
    cause = forms.ChoiceField(
        label=_("Cause"), required=False, choices=[("", _("Any cause")), *Cause.choices]
    )
    skills = forms.CharField(label=_("Skill"), max_length=100, required=False)
    when = when_formfield()
    date_from = forms.DateField(
        label=_("Shifts from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Shifts to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    remote = forms.ChoiceField(
        label=_("Remote or in person"), required=False, choices=REMOTE_CHOICES
    )
    lat, lon = coordinate_formfields()
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

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


class TeamForm(forms.Form):
    """Change who comes along, keeping one's own place."""

    team = forms.CharField(
        label=_("People coming with you, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each person takes a place. Leave empty to come alone."),
    )

    def clean_team(self):
        return [line.strip() for line in self.cleaned_data["team"].splitlines() if line.strip()]
