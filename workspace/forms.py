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


class RequestsDecisionForm(forms.Form):
    """Approve or decline the chosen requests to join (the choices are the group's pending
    requests, so nobody else's id can be posted)."""

    people = forms.TypedMultipleChoiceField(
        label=_("Requests"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    note = forms.CharField(
        label=_("A kind note for those declined (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(m.user_id, m.user.public_name) for m in requests]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class DateRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date comes before the start."))
        if start and end and (end - start).days > 3660:
            raise forms.ValidationError(_("Choose at most ten years."))
        return data


class ActivityFilterForm(forms.Form):
    verb = forms.ChoiceField(label=_("What happened"), required=False)
    actor_kind = forms.ChoiceField(
        label=_("Done by"),
        required=False,
        choices=[
            ("", _("Anyone")),
            ("person", _("A person")),
            ("system", _("The system")),
            ("client", _("An API client")),
        ],
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To (included)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, verbs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", _("Anything")), *((v, v) for v in verbs)]


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))


class ReportDecisionForm(forms.Form):
    """What the organizers did about a report (the outcomes a report allows are the
    service's rule)."""

    outcome = forms.ChoiceField(
        label=_("What was done"),
        choices=[
            ("dismissed", _("Dismissed: nothing to act on")),
            ("warned", _("Warned: we spoke to them")),
            ("removed", _("Removed: the member or the content is gone")),
            ("banned", _("Banned: the member may not come back")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (kept with the decision; a removed member is told it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
