"""Embeds: upcoming public events only, framed only by the partner's declared sites, at a cost
that does not grow with the number of events."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.actors import Actor
from events.services import event_cancel
from partners import services, services_site
from tests.factories import EventFactory, GroupFactory

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


@pytest.fixture
def public_partner(db):
    org = services.partner_create(name="Walkers", slug="walkers")
    group = GroupFactory(visibility="public")
    services.partner_group_add(partner=org, group=group)
    services_site.partner_embed_origins_set(
        partner=org,
        actor=SYSTEM,
        embed_origins="https://walkers.example.org https://*.walkers.example.org",
    )
    return org, group


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(p.strip() for p in policy.split(";") if p.strip().startswith("frame-ancestors"))


def test_a_partner_embed_lists_upcoming_public_events_framed_by_its_sites(client, public_partner):
    _org, group = public_partner
    soon = EventFactory(group=group, title="Canal walk")
    EventFactory(group=group, title="Old walk", starts_at=timezone.now() - dt.timedelta(days=3))
    cancelled = EventFactory(group=group, title="Rained off")
    event_cancel(event=cancelled, actor=SYSTEM)
    response = client.get(reverse("partners:embed-partner", args=["walkers"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Canal walk" in body
    assert soon.get_absolute_url() in body
    assert "Old walk" not in body
    assert "Rained off" not in body
    assert "<script" not in body
    assert frame_ancestors(response) == (
        "frame-ancestors https://walkers.example.org https://*.walkers.example.org"
    )
    assert "X-Frame-Options" not in response


def test_the_group_embed_uses_its_partners_sites(client, public_partner):
    _org, group = public_partner
    EventFactory(group=group, title="Canal walk")
    response = client.get(reverse("partners:embed-group", args=[group.slug]))
    assert response.status_code == 200
    assert b"Canal walk" in response.content
    assert "https://walkers.example.org" in frame_ancestors(response)


def test_without_declared_sites_nobody_may_frame_the_embed(client):
    group = GroupFactory(visibility="public")
    EventFactory(group=group)
    response = client.get(reverse("partners:embed-group", args=[group.slug]))
    assert response.status_code == 200
    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("visibility", ["private", "unlisted"])
def test_a_private_or_unlisted_group_has_no_embed(client, visibility):
    group = GroupFactory(visibility=visibility)
    EventFactory(group=group, title="Secret meeting")
    response = client.get(reverse("partners:embed-group", args=[group.slug]))
    assert response.status_code == 404
    assert b"Secret meeting" not in response.content


def test_a_partner_embed_never_shows_its_private_groups_events(client, public_partner):
    org, _group = public_partner
    private = GroupFactory(visibility="private", name="Recovery circle")
    services.partner_group_add(partner=org, group=private)
    EventFactory(group=private, title="Secret meeting", venue_name="Back room")
    response = client.get(reverse("partners:embed-partner", args=["walkers"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Secret meeting" not in body
    assert "Recovery circle" not in body
    assert "Back room" not in body


def test_an_unknown_embed_is_404(client):
    assert client.get(reverse("partners:embed-partner", args=["nobody"])).status_code == 404
    assert client.get(reverse("partners:embed-group", args=["nobody"])).status_code == 404


def test_embeds_cost_the_same_queries_for_1_10_and_100_events(client, public_partner):
    _org, group = public_partner
    urls = [
        reverse("partners:embed-partner", args=["walkers"]),
        reverse("partners:embed-group", args=[group.slug]),
    ]
    made, counts = 0, []
    for n in (1, 10, 100):
        for _i in range(n - made):
            EventFactory(group=group)
        made = n
        row = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            row.append(len(queries))
        counts.append(row)
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] == [2, 3], counts


@pytest.mark.parametrize(
    "value",
    [
        "http://walkers.example.org",
        "https://walkers.example.org/path",
        "https://walkers.example.org 'unsafe-inline'",
        "*",
        "https://walkers.example.org;script-src",
    ],
)
def test_declared_sites_must_be_https_origins(value):
    org = services.partner_create(name="X", slug="x")
    org.embed_origins = value
    with pytest.raises(ValidationError):
        org.full_clean()


def test_organizers_declare_the_sites_on_the_partners_page(client, public_partner):
    from groups.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    _org, group = public_partner
    organizer = UserFactory()
    MembershipFactory(group=group, user=organizer, role=Membership.Role.ORGANIZER)
    url = reverse("partners:embed-origins", args=["walkers"])
    client.force_login(UserFactory())
    assert client.post(url, {"embed_origins": "https://evil.example"}).status_code == 404
    client.force_login(organizer)
    page = client.get(reverse("partners:manage", args=["walkers"]))
    assert b"/embed/partners/walkers/" in page.content
    bad = client.post(url, {"embed_origins": "http://insecure.example"})
    assert bad.status_code == 400
    assert bad.context["embed_form"].errors
    assert client.post(url, {"embed_origins": "https://new.example.org"}).status_code == 302
    response = client.get(reverse("partners:embed-partner", args=["walkers"]))
    assert frame_ancestors(response) == "frame-ancestors https://new.example.org"


def test_the_embed_origins_service_refuses_non_organizers(public_partner):
    from core.exceptions import NotAllowed
    from tests.factories import UserFactory

    org, _group = public_partner
    with pytest.raises(NotAllowed):
        services_site.partner_embed_origins_set(
            partner=org, actor=UserFactory(), embed_origins="https://x.example.org"
        )
