"""core.models.ChoiceLabels: get_FOO_display() by one lookup, in the language of the moment."""

import copy

import pytest
from django.utils import translation
from django.utils.choices import CallableChoiceIterator

from core.models import Category, ChoiceLabels
from events.models import Event
from groups.models import Group, Membership
from volunteering.models import VolunteerProject


def test_the_models_displays_go_through_choice_labels():
    for model, name in [
        (Group, "category"),
        (Event, "category"),
        (Membership, "role"),
        (VolunteerProject, "cause"),
    ]:
        display = model.__dict__.get(f"get_{name}_display") or getattr(model, f"get_{name}_display")
        assert display.func is ChoiceLabels._get_FIELD_display, model


@pytest.mark.parametrize("value", [choice.value for choice in Category])
def test_a_label_is_django_s_own_in_each_language(value):
    group = Group(category=value)
    for language in ("en", "es"):
        with translation.override(language):
            expected = str(Category(value).label)
            assert group.get_category_display() == expected
            assert group.get_category_display() == expected  # kept labels, same answer
    with translation.override("es"):
        assert Group(category=Category.GAMES).get_category_display() == "Juegos"


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Group(category="no-such").get_category_display() == "no-such"
    assert Group(category="").get_category_display() == ""


def test_a_field_with_callable_choices_is_left_to_django():
    field = copy.copy(Group._meta.get_field("category"))
    field.__dict__.pop("labels_by_value", None)
    field.choices = CallableChoiceIterator(lambda: [("games", "Board and card games")])
    assert Group(category="games")._get_FIELD_display(field) == "Board and card games"
    assert "labels_by_value" not in field.__dict__
