"""The shape of what people type into the groups pages; the rules live in groups.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import places
from core.models import Category
from groups.models import REPORT_REASON_MAX_LENGTH, Group, Membership
from groups.services import EDITABLE_FIELDS


class GroupForm(forms.ModelForm):
    """A group's details; where it meets on a map follows from its town (core.places), never
    asked of the organizer."""

    class Meta:
        model = Group
        fields = [name for name in EDITABLE_FIELDS if name not in ("latitude", "longitude")]
        widgets = {
            "visibility": forms.RadioSelect,
            "join_policy": forms.RadioSelect,
            "member_list_visibility": forms.RadioSelect,
            "after_request": forms.Textarea(attrs={"rows": 3}),
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
                "Outsiders then see the name, the description, how to ask to join, and the "
                "parts you choose below."
            ),
            "meeting_pattern": _("Optional, in a few words, e.g. Thursdays 18:30, Chapeltown."),
            "after_request": _(
                "Optional, e.g. “An organizer will call you for a short chat before your "
                "first meeting.” Shown on the page where people ask to join."
            ),
            "outsiders_see_reply_time": _(
                "Worked out from how long past requests waited; shown once there are a few."
            ),
        }

    picture = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=_("Optional: a JPEG, PNG or WebP photo or drawing, up to 10 MB."),
    )
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance.pk and self.instance.picture):
            del self.fields["remove_picture"]
        order = list(self.fields)
        for name in ("picture", "remove_picture"):
            if name in order:
                order.remove(name)
                order.insert(order.index("picture_alt"), name)
        self.order_fields(order)

    def clean(self):
        cleaned = super().clean()
        city = cleaned.get("city") or ""
        point = places.locate_address(address="", city=city)
        before = self.instance
        if point is None and before.pk is not None and before.city == city:
            point = (before.latitude, before.longitude)  # a town the gazetteer does not know
        cleaned["latitude"], cleaned["longitude"] = point or (None, None)
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
