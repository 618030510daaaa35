"""Hours forms: they check the shape of input; the services own the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import when
from groups.models import Membership
from volunteering.models import Shift, ShiftSignup, VolunteerProject

HOURS_FIELD = {
    "max_digits": 4,
    "decimal_places": 2,
    "max_value": Decimal(24),
    "widget": forms.NumberInput(attrs={"step": "0.25"}),
}


def minutes_of(hours: Decimal) -> int:
    return int((hours * 60).to_integral_value())


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class HoursLogForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=VolunteerProject.objects.none(), empty_label=None
    )
    shift = forms.ModelChoiceField(
        label=_("Shift"),
        queryset=Shift.objects.none(),
        required=False,
        empty_label=_("No particular shift"),
        help_text=_("A shift you were signed up to; its date is the date worked."),
    )
    worked_on = forms.DateField(label=_("Date worked"), widget=_DateInput(), required=False)
    hours = forms.DecimalField(label=_("Hours"), min_value=Decimal("0.25"), **HOURS_FIELD)
    description = forms.CharField(label=_("What you did"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        signed_up = ShiftSignup.objects.filter(user=user, status=ShiftSignup.Status.SIGNED_UP)
        member_of = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
        self.fields["project"].queryset = (
            VolunteerProject.objects.visible_to(user)
            .filter(
                Q(pk__in=signed_up.values("shift__role__project_id"))
                | Q(group_id__in=member_of.values("group_id"))
            )
            .select_related("group")
        )
        self.fields["project"].label_from_instance = lambda p: f"{p.title} ({p.group.name})"
        self.fields["shift"].queryset = (
            Shift.objects.filter(
                pk__in=signed_up.values("shift_id"),
                starts_at__lte=timezone.now(),
                status=Shift.Status.SCHEDULED,
            )
            .select_related("role__project")
            .order_by("-starts_at")
        )
        self.fields["shift"].label_from_instance = lambda s: (
            f"{s.role.project.title}: {s.role.name}, {when.moment(s.starts_at, s.timezone)}"
        )

    def clean(self):
        data = super().clean()
        shift, project = data.get("shift"), data.get("project")
        if shift is not None and project is not None and shift.role.project_id != project.pk:
            self.add_error("shift", _("This shift belongs to another project."))
        if shift is None and not data.get("worked_on") and "worked_on" not in self.errors:
            self.add_error("worked_on", _("Give the date you worked, or choose the shift."))
        return data


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the volunteer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class CorrectionForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Correct hours"),
        min_value=Decimal(0),
        help_text=_("0 voids the entry: the hours were not worked."),
        **HOURS_FIELD,
    )
    worked_on = forms.DateField(label=_("Date worked"), widget=_DateInput(), required=False)
    note = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class StatementForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None)
    period_from = forms.DateField(label=_("From"), widget=_DateInput())
    period_to = forms.DateField(label=_("To"), widget=_DateInput())

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        today = timezone.localdate()
        self.fields["period_from"].initial = dt.date(today.year, 1, 1)
        self.fields["period_to"].initial = today


class ExportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=_DateInput(), required=False)
    date_to = forms.DateField(label=_("To"), widget=_DateInput(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end comes on or after the start."))
        return data
