from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import registry
from notifications.models import Channel, NotificationSettings
from notifications.services import REMINDER_OFFSET_CHOICES


def offset_label(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        if days == 1:
            return str(_("24 hours before"))
        return ngettext("%(n)d day before", "%(n)d days before", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour before", "%(n)d hours before", hours) % {"n": hours}
    return ngettext("%(n)d minute before", "%(n)d minutes before", minutes) % {"n": minutes}


def reminder_offset_choices() -> list[tuple[int, str]]:
    """Built per form, so the labels are in the language of the request."""
    return [(m, offset_label(m)) for m in REMINDER_OFFSET_CHOICES]


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per kind and channel, the reminder lead times and the digest day."""

    reminder_offsets = forms.TypedMultipleChoiceField(
        label=_("Remind me before events I'm going to"),
        choices=reminder_offset_choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none for no reminders."),
    )
    digest_weekday = forms.TypedChoiceField(
        label=_("Send my weekly digest on"),
        choices=NotificationSettings.Weekday.choices,
        coerce=int,
    )

    def __init__(self, *args, preferences: dict[tuple[str, str], bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind in registry.all_kinds():
            cells = []
            for channel, channel_label in Channel.choices:
                if channel not in kind.channels:
                    cells.append(None)
                    continue
                name = field_name(kind.key, channel)
                self.fields[name] = forms.BooleanField(
                    label=_("%(kind)s by %(channel)s")
                    % {"kind": kind.label, "channel": str(channel_label).lower()},
                    required=False,
                    initial=preferences[(kind.key, channel)],
                )
                cells.append(name)
            self.rows.append((kind, [self[name] if name else None for name in cells]))

    @property
    def channel_labels(self):
        return [label for _value, label in Channel.choices]

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (kind.key, channel): self.cleaned_data[field_name(kind.key, channel)]
            for kind in registry.all_kinds()
            for channel in kind.channels
        }
