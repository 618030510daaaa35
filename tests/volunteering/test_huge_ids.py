"""Ids beyond 64 bits in the volunteering addresses (public and workspace) are 404s, not
500s."""

import pytest

from tests.factories import GroupFactory, UserFactory, VolunteerProjectFactory

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


def test_ids_beyond_64_bits_in_volunteering_addresses_are_404s(client):
    organizer = UserFactory()
    group = GroupFactory(organizer=organizer)
    project = VolunteerProjectFactory(group=group, slug="p-x1")
    client.force_login(organizer)
    base = f"/organize/{group.slug}/volunteering/{project.slug}/"
    # The addresses are real ones: the project's own pages open for its organizer.
    assert client.get(base).status_code == 200
    assert client.get(project.get_absolute_url()).status_code == 200
    for method, url in (
        ("get", f"/volunteer/projects/{project.slug}/shifts/{HUGE}/"),
        ("post", f"/volunteer/projects/{project.slug}/shifts/{HUGE}/team/"),
        ("post", f"/volunteer/projects/{project.slug}/shifts/{HUGE}/signup/"),
        ("get", f"/volunteer/care/abc/slots/{HUGE}/move/"),
        ("get", f"/volunteer/care/abc/series/{HUGE}/stop/"),
        ("get", base + f"shifts/{HUGE}/"),
        ("get", base + f"roles/{HUGE}/"),
        ("get", base + f"series/{HUGE}/stop/"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (url, response.status_code)
