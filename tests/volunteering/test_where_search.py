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


def test_each_part_of_a_search_finds_its_projects_and_a_private_groups_never(client):
    """Title, description, skills, a role's name (its skills for `skills`), the group's town
    for a project without one: each found (the parts PostgreSQL reads from its indexes),
    nothing else; a private group's project only for its members."""
    from groups.models import Group
    from tests.factories import MembershipFactory, RoleFactory

    VolunteerProjectFactory(title="Quince pickers")
    VolunteerProjectFactory(title="Tidy up", description="Bring quince jam.")
    VolunteerProjectFactory(title="Orchard", skills="quince grafting")
    RoleFactory(project=VolunteerProjectFactory(title="Jam stall"), name="Quince seller")
    RoleFactory(project=VolunteerProjectFactory(title="Press"), skills="quince pressing")
    VolunteerProjectFactory(title="Townless", city="", group=GroupFactory(city="Quincetown"))
    VolunteerProjectFactory(title="Has a town", city="York", group=GroupFactory(city="Quincetown"))
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    VolunteerProjectFactory(title="Quince secret", group=private)
    VolunteerProjectFactory(title="Apples")
    found = sorted(titles(client.get(LIST, {"q": "QUINCE"})))
    assert found == ["Jam stall", "Orchard", "Quince pickers", "Tidy up", "Townless"]
    assert sorted(titles(client.get(LIST, {"skills": "quince"}))) == ["Orchard", "Press"]
    assert titles(client.get(LIST, {"q": "zebra"})) == []
    client.force_login(MembershipFactory(group=private).user)
    assert "Quince secret" in titles(client.get(LIST, {"q": "quince"}))
