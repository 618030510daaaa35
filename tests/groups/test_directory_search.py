"""The directory's `q`: its pages list what the plain match lists (name or description), in
name order, and never a group the reader may not see listed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from core.paging import page_of
from groups import selectors, services
from groups.models import Group, Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDS = [
    "choir",
    "CHOIR",
    "Choir practice",
    "oir",
    "ch",
    "e",
    "leeds",
    "walk",
    "zebra",
    "50%",
    "a_b",
]


def plain(user, text: str) -> list[str]:
    """What the directory lists for `text`: the plain match, in name order."""
    return list(
        Group.objects.listed_for(user)
        .filter(Q(name__icontains=text) | Q(description__icontains=text))
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )


def pages(user, text: str, per_page: int) -> list[str]:
    names, number = [], 1
    while True:
        page = page_of(
            selectors.group_list_visible(user=user, filters={"q": text}), number, per_page
        )
        names += [group.name for group in page]
        if not page.has_next:
            return names
        number += 1


@pytest.fixture
def directory():
    """Groups whose names and descriptions hold the words in many places, two of the same name,
    and the ones only members may find."""
    names = [
        ("Anchor choir", "Sea shanties."),
        ("Board games 1", "A board games group in Leeds."),
        ("Board games 2", "Dice and cards, no choir."),
        ("Choir practice", "Choir practice on Tuesdays, 50% singing."),
        ("choir", "Lower-case name."),
        ("Choir", "Same name, another group."),
        ("Choir", "Same name, a third group."),
        ("Park walk", "Walk and talk; a_b testing of boots."),
        ("Zumba", "Not a choir at all? It is: CHOIR."),
        ("Ümlaut choir", "Non-ASCII name."),
    ]
    for name, description in names:
        GroupFactory(name=name, description=description)
    for i in range(25):
        GroupFactory(name=f"Choir {i:02}", description="Sing.")
    member = UserFactory()
    hidden = {
        "private_listed": GroupFactory(
            name="Choir private listed",
            visibility=Group.Visibility.PRIVATE,
            listed_when_private=True,
        ),
        "private": GroupFactory(name="Choir private", visibility=Group.Visibility.PRIVATE),
        "unlisted": GroupFactory(name="Choir unlisted", visibility=Group.Visibility.UNLISTED),
    }
    for group in hidden.values():
        MembershipFactory(group=group, user=member)
    pending = UserFactory()
    MembershipFactory(group=hidden["private"], user=pending, status=Membership.Status.PENDING)
    return {"member": member, "pending": pending, **hidden}


@pytest.mark.parametrize("text", WORDS)
@pytest.mark.parametrize("per_page", [1, 7, 20])
def test_pages_list_what_the_plain_match_lists_in_name_order(directory, text, per_page):
    for user in (AnonymousUser(), UserFactory(), directory["pending"], directory["member"]):
        assert pages(user, text, per_page) == plain(user, text), (text, per_page)


def test_groups_only_members_may_find_stay_hidden(directory):
    visitor = pages(AnonymousUser(), "choir", 20)
    assert "Choir private listed" in visitor  # listed when private: shown to anyone
    assert "Choir private" not in visitor
    assert "Choir unlisted" not in visitor
    assert "Choir private" not in pages(directory["pending"], "choir", 20)
    member = pages(directory["member"], "choir", 20)
    assert {"Choir private", "Choir unlisted", "Choir private listed"} <= set(member)


def test_a_renamed_or_redescribed_group_is_found_by_its_new_words_only(directory):
    organizer = UserFactory()
    group = GroupFactory(organizer=organizer, name="Knitting circle", description="Wool.")
    services.group_update(group=group, actor=organizer, name="Quilting bee")
    assert "Quilting bee" in pages(AnonymousUser(), "quilt", 20)
    assert pages(AnonymousUser(), "knitting", 20) == []
    services.group_update(group=group, actor=organizer, description="Patchwork and tea.")
    assert pages(AnonymousUser(), "patchwork", 20) == ["Quilting bee"]
    assert pages(AnonymousUser(), "wool", 20) == []
    # The new name places it among the others by name.
    services.group_update(group=group, actor=organizer, name="Choir 05a")
    names = pages(AnonymousUser(), "choir", 20)
    assert names == plain(AnonymousUser(), "choir")
    assert names[names.index("Choir 05") + 1] == "Choir 05a"


def test_a_deleted_group_is_no_longer_found(directory):
    organizer = UserFactory()
    group = GroupFactory(organizer=organizer, name="Choir to close")
    assert "Choir to close" in pages(AnonymousUser(), "close", 20)
    services.group_delete(group=group, actor=organizer)
    assert pages(AnonymousUser(), "close", 20) == []
