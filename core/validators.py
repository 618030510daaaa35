"""Validators shared by every app's models."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Names, titles and places are one line: a line break or control character in them would break
# calendar files, email headers and page layouts.
validate_single_line = RegexValidator(
    regex=r"[\x00-\x1f\x7f]",
    inverse_match=True,
    message=_("Use one line, without line breaks or control characters."),
    code="single_line",
)
