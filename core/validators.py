"""Validators shared by every app's models."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Characters that reorder how text is displayed without being seen: the right-to-left override
# and its family (U+202A-U+202E), the isolates (U+2066-U+2069), the left-to-right and
# right-to-left marks (U+200E, U+200F) and the Arabic letter mark (U+061C). In a name or a
# description they can make "gpj.exe" read as "exe.jpg" or turn one person's name into another's.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Control characters other than the line breaks and tabs that multi-line text may hold.
_CONTROLS_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_bidi_controls(value: str) -> None:
    if BIDI_CONTROLS.search(str(value)):
        raise ValidationError(
            _("Remove the invisible characters that change the direction of the text."),
            code="bidi_control",
        )


@deconstructible(path="django.core.validators.RegexValidator")
class SingleLineValidator(RegexValidator):
    """No line break, control character or text-direction control.

    It deconstructs as the plain RegexValidator it extends (the control-character rule), so the
    direction-control rule added here changes no app's migrations: historical models in
    migrations never validate, and the rule lives here, once, for every model that uses it.
    """

    def __call__(self, value):
        super().__call__(value)
        refuse_bidi_controls(value)


# Names, titles and places are one line: a line break or control character in them would break
# calendar files, email headers and page layouts.
validate_single_line = SingleLineValidator(
    regex=r"[\x00-\x1f\x7f]",
    inverse_match=True,
    message=_("Use one line, without line breaks or control characters."),
    code="single_line",
)


def validate_plain_text(value: str) -> None:
    """Multi-line text (descriptions, bios, answers): line breaks and tabs are fine; other
    control characters and text-direction controls are not."""
    if _CONTROLS_IN_TEXT.search(str(value)):
        raise ValidationError(
            _("Remove the control characters from the text."), code="control_character"
        )
    refuse_bidi_controls(value)
