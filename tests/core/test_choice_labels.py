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
    field.__dict__.pop("labels_by_value", None)  # a copy shares what the field keeps
    field.choices = CallableChoiceIterator(lambda: [("games", "Board and card games")])
    assert Group(category="games")._get_FIELD_display(field) == "Board and card games"
    assert "labels_by_value" not in field.__dict__


def test_new_choices_given_to_a_field_are_seen():
    field = copy.copy(Group._meta.get_field("category"))
    group = Group(category="games")
    assert group._get_FIELD_display(field) == "Games"
    field.choices = [("games", "Board and card games")]
    assert group._get_FIELD_display(field) == "Board and card games"


def test_values_that_depend_on_the_language_are_left_to_django():
    from django.utils.translation import gettext_lazy

    field = copy.copy(Group._meta.get_field("category"))
    field.choices = [(gettext_lazy("Games"), "The games")]
    with translation.override("es"):
        assert Group(category="Juegos")._get_FIELD_display(field) == "The games"
    assert Group(category="Games")._get_FIELD_display(field) == "The games"
