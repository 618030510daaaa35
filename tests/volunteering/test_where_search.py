"""Finding a way to help near me (/volunteer/): the same "where" box as the events, and words
matching a project's venue and town."""

import re

import pytest
from django.urls import reverse

from tests.factories import GroupFactory, UserFactory, VolunteerProjectFactory

pytestmark = pytest.mark.django_db

LIST = reverse("volunteering:list")


@pytest.fixture
def projects():
    VolunteerProjectFactory(title="Leeds pantry", latitude=53.8, longitude=-1.55, city="Leeds")
    VolunteerProjectFactory(
        title="London pantry",
        latitude=51.5,
        longitude=-0.12,
        city="London",
        venue_name="Camden Hall",
        group=GroupFactory(city="London"),
    )


def titles(response) -> list[str]:
    return [project.title for project in response.context["page"]]


def test_typing_a_town_finds_projects_near_it(client, projects):
    assert titles(client.get(LIST, {"where": "Leeds"})) == ["Leeds pantry"]
    page = client.get(LIST).content.decode()
    assert 'name="where"' in page
    assert 'name="lat"' not in page


def test_an_unknown_town_offers_did_you_mean(client, projects):
    response = client.get(LIST, {"where": "Leds"})
    assert response.context["page"] is None
    link = re.search(r'<li><a href="([^"]+)">Leeds, GB</a></li>', response.content.decode())
    assert link
    assert titles(client.get(link.group(1).replace("&amp;", "&"))) == ["Leeds pantry"]


def test_a_members_town_is_the_default_place(client, projects):
    client.force_login(UserFactory(city="London"))
    assert titles(client.get(LIST)) == ["London pantry"]
    assert len(titles(client.get(LIST, {"where": ""}))) == 2


@pytest.mark.parametrize(
    ("word", "expected"), [("camden", "London pantry"), ("leeds", "Leeds pantry")]
)
def test_words_match_the_venue_and_the_town(client, projects, word, expected):
    assert titles(client.get(LIST, {"q": word})) == [expected]
