"""The shape of what people type into the groups pages; the rules live in groups.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CoordinatesFormMixin, latitude_formfield, longitude_formfield
from core.models import Category
from groups.models import REPORT_REASON_MAX_LENGTH, Group, Membership
from groups.services import EDITABLE_FIELDS


class GroupForm(CoordinatesFormMixin, forms.ModelForm):
    latitude = latitude_formfield(
        help_text=_("Optional: where the group usually meets. Between -90 and 90, e.g. 53.8008.")
    )
    longitude = longitude_formfield(
        help_text=_("Optional, with the latitude. Between -180 and 180, e.g. -1.5491.")
    )

    class Meta:
        model = Group
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "visibility": forms.RadioSelect,
            "join_policy": forms.RadioSelect,
            "member_list_visibility": forms.RadioSelect,
        }
        help_texts = {
            "visibility": _(
                "A private or unlisted group's web address ends in random letters, so it cannot "
                "be guessed; making a group private or unlisted gives it a new one."
            ),
            "join_question": _(
                "Asked when someone asks to join a group that needs approval; helps keep out spam."
            ),
            "listed_when_private": _(
                "Outsiders then see only the name, the description and how to ask to join."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        missing = self.missing_coordinate()
        if missing == "latitude":
            self.add_error("latitude", _("Give the latitude too, or leave both empty."))
        elif missing == "longitude":
            self.add_error("longitude", _("Give the longitude too, or leave both empty."))
        return cleaned


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *Category.choices],
        required=False,
        error_messages={"invalid_choice": _("Unknown category: pick one from the list.")},
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)


class JoinForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks_question = bool(
            group.join_policy == Group.JoinPolicy.APPROVAL and group.join_question
        )
        if self.asks_question:
            self.fields["answer"].label = group.join_question
        else:
            del self.fields["answer"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ReportForm(forms.Form):
    """Why something is reported (the rules are groups.reports')."""

    reason = forms.CharField(
        label=_("What happened?"),
        help_text=_(
            "Only the people who review reports read this. "
            "Your name is never shown to the person you report."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REPORT_REASON_MAX_LENGTH,
    )


class ContactOrganizersForm(forms.Form):
    """A message to the group's organizers (the rules are groups.services.clean_message's)."""

    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
