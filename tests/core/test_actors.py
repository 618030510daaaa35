import pytest
from django.contrib.auth.models import AnonymousUser

from core.actors import Actor, as_actor, person_of
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_signed_in_user_acts_as_a_person():
    user = UserFactory()
    actor = as_actor(user)
    assert actor.is_person
    assert actor.user == user
    assert actor.user_id == user.pk
    assert person_of(actor) == user
    assert person_of(user) == user


def test_nobody_and_anonymous_visitors_are_no_actor():
    assert as_actor(None) is None
    assert as_actor(AnonymousUser()) is None
    assert person_of(AnonymousUser()) is None


def test_an_actor_passes_through_unchanged():
    actor = Actor.system("group closed")
    assert as_actor(actor) is actor


def test_the_system_acts_for_a_stated_reason():
    actor = Actor.system("demo data")
    assert actor.is_system
    assert not actor.is_person
    assert actor.reason == "demo data"
    assert person_of(actor) is None
    assert str(actor) == "system (demo data)"
    with pytest.raises(ValueError, match="reason"):
        Actor.system("")


def test_an_api_client_is_neither_a_person_nor_the_system():
    actor = Actor.client(client_id=7, name="Wellbeing Trust")
    assert actor.is_client
    assert not actor.is_person
    assert not actor.is_system
    assert person_of(actor) is None
    assert "Wellbeing Trust" in str(actor)


def test_an_anonymous_visitor_cannot_be_made_a_person():
    with pytest.raises(ValueError, match="signed in"):
        Actor.person(AnonymousUser())
