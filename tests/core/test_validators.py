"""The shared text rules: one line for names, plain text for descriptions, and never the
invisible characters that turn the direction of text around."""

import pytest
from django.core.exceptions import ValidationError

from core.validators import validate_plain_text, validate_single_line

BIDI_CONTROLS = [
    "\u202a",  # left-to-right embedding
    "\u202b",  # right-to-left embedding
    "\u202c",  # pop directional formatting
    "\u202d",  # left-to-right override
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2067",  # right-to-left isolate
    "\u2068",  # first strong isolate
    "\u2069",  # pop directional isolate
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
]


@pytest.mark.parametrize("char", BIDI_CONTROLS)
def test_single_line_refuses_direction_controls(char):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(f"Ann{char}exe.jpg")
    assert refused.value.code == "bidi_control"


@pytest.mark.parametrize("char", BIDI_CONTROLS)
def test_plain_text_refuses_direction_controls(char):
    with pytest.raises(ValidationError) as refused:
        validate_plain_text(f"First line\nSecond {char}line")
    assert refused.value.code == "bidi_control"


@pytest.mark.parametrize("value", ["Ann\nB", "Ann\rB", "Ann\tB", "A\x00", "A\x1b[31m", "A\x7f"])
def test_single_line_refuses_line_breaks_and_control_characters(value):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(value)
    assert refused.value.code == "single_line"


@pytest.mark.parametrize("value", ["A\x00", "A\x1b[31m", "A\x7f", "A\x0bB", "A\x0cB", "A\x08"])
def test_plain_text_refuses_control_characters(value):
    with pytest.raises(ValidationError) as refused:
        validate_plain_text(value)
    assert refused.value.code == "control_character"


@pytest.mark.parametrize(
    "value",
    ["Line one\nLine two", "Windows\r\nbreaks", "A\ttab", "", "مرحبا بكم", "שלום", "Zoë 🎶"],
)
def test_plain_text_accepts_line_breaks_tabs_and_every_script(value):
    validate_plain_text(value)


@pytest.mark.parametrize("value", ["Ann Example", "مرحبا", "שלום עולם", "Zoë 🎶", "O'Brien"])
def test_single_line_accepts_names_in_every_script(value):
    validate_single_line(value)


def test_single_line_still_deconstructs_as_before():
    """Adding the direction rule must not ask every app for a migration."""
    path, _args, kwargs = validate_single_line.deconstruct()
    assert path == "django.core.validators.RegexValidator"
    assert kwargs["regex"] == r"[\x00-\x1f\x7f]"
