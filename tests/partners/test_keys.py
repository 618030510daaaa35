"""API keys: created once and shown once, hashed at rest, revocable, expiring; the command line
and the authentication that reads them."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.activity import for_group
from core.models import Activity
from partners.models import PartnerApiKey
from tests.commands import manage
from tests.factories import EventFactory
from tests.partners.conftest import api

pytestmark = pytest.mark.django_db


def test_partner_key_command_prints_the_key_alone_on_its_last_line(partner):
    out, err = StringIO(), StringIO()
    call_command(
        "partner_key", "create", "demo-partner", "--scopes", "read,write", stdout=out, stderr=err
    )
    key = out.getvalue().strip().splitlines()[-1]
    prefix, _dot, secret = key.partition(".")
    api_key = PartnerApiKey.objects.get(prefix=prefix)
    assert api_key.client.scopes == ["read", "write"]
    assert secret not in api_key.hashed_key
    assert key not in api_key.id
    assert api(key).get("/api/v1/events").status_code == 200


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["create", "demo-partner", "--scopes", "read,admin"], "Unknown scope: admin"),
        (["create", "demo-partner", "--scopes", ","], "at least one scope"),
        (["create", "demo-partner", "--expires-days", "0"], "--expires-days"),
    ],
)
def test_partner_key_command_refuses_bad_input_with_one_line_and_a_non_zero_exit(args, words):
    """Checked before any database read, so a process of its own shows the real exit."""
    result = manage(
        "partner_key",
        *args,
        env={"DJANGO_SETTINGS_MODULE": "connect_site.test_settings", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert words in result.stderr


def test_partner_key_command_refusals_name_the_problem(partner):
    from django.core.management import CommandError

    for args, words in [
        (["create", "no-such-partner", "--scopes", "read"], "No partner organization"),
        (["revoke", "nope"], "No API key"),
    ]:
        with pytest.raises(CommandError, match=words) as error:
            call_command("partner_key", *args, stdout=StringIO(), stderr=StringIO())
        assert "\n" not in str(error.value)


def test_revoked_key_is_refused_at_once(partner):
    key = partner.key(["read"])
    assert api(key).get("/api/v1/groups").status_code == 200
    call_command("partner_key", "revoke", key.split(".")[0], stdout=StringIO())
    response = api(key).get("/api/v1/groups")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response["Content-Type"] == "application/problem+json"


def test_expired_key_is_refused(partner):
    key = partner.key(["read"], expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api(key).get("/api/v1/groups").status_code == 401


@pytest.mark.parametrize(
    "header", ["Api-Key nonsense", "Api-Key abcdefgh.wrongsecret", "Bearer x", "Api-Key "]
)
def test_malformed_or_wrong_keys_are_refused(partner, header):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/events").status_code == 401


def test_a_right_prefix_with_a_wrong_secret_is_refused(partner):
    prefix = partner.read_key.split(".")[0]
    assert api(f"{prefix}.{'x' * 32}").get("/api/v1/events").status_code == 401


def test_the_client_is_the_actor_in_the_activity_log(partner):
    response = api(partner.write_key).post(
        "/api/v1/events",
        {
            "group": partner.group.pk,
            "title": "Open rehearsal",
            "category": "music",
            "venue_name": "Hall",
            "starts_at": "2031-03-01T18:00:00+00:00",
            "ends_at": "2031-03-01T20:00:00+00:00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    row = for_group(partner.group.pk).get(verb="event.created")
    prefix = partner.write_key.split(".")[0]
    client = PartnerApiKey.objects.get(prefix=prefix).client
    assert row.actor_kind == Activity.ActorKind.CLIENT
    assert row.actor_client_id == client.pk
    assert row.actor_user is None


def test_events_of_another_organization_are_not_the_clients_to_manage(partner, other_partner):
    from core.exceptions import NotAllowed
    from events.services import event_cancel
    from partners.api.auth import PartnerKeyAuthentication

    event = EventFactory(group=other_partner.group)
    request = type("R", (), {"META": {"HTTP_AUTHORIZATION": f"Api-Key {partner.write_key}"}})()
    _user, credentials = PartnerKeyAuthentication().authenticate(request)
    with pytest.raises(NotAllowed):
        event_cancel(event=event, actor=credentials.actor)
    own = EventFactory(group=partner.group)
    event_cancel(event=own, actor=credentials.actor)


def test_a_read_key_client_may_manage_nothing(partner):
    from core.exceptions import NotAllowed
    from events.services import event_cancel
    from partners.api.auth import PartnerKeyAuthentication

    request = type("R", (), {"META": {"HTTP_AUTHORIZATION": f"Api-Key {partner.read_key}"}})()
    _user, credentials = PartnerKeyAuthentication().authenticate(request)
    with pytest.raises(NotAllowed):
        event_cancel(event=EventFactory(group=partner.group), actor=credentials.actor)
