"""Schemathesis against the live schema: every operation of /api/v1, at least 50 generated
requests each (valid and invalid), sent with a write key to a seeded database through the WSGI
application. No answer may be a 5xx, and every answer must be one the schema documents (status,
content type, headers, body)."""

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.actors import Actor
from events.services import event_cancel
from groups.services import group_update
from tests.factories import EventFactory, GroupFactory, RsvpFactory
from tests.partners.conftest import Partner

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 50
SYSTEM = Actor.system("test")

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
# The coverage phase (every boundary case of every parameter) takes over a minute here and
# found nothing more than fuzzing when tried (93 s against about 25 s for the whole file).
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture
def wsgi_keeps_connection():
    """The raw WSGI handler closes the database connection after each request; the test's
    transaction must survive (Django's test client disconnects the same signals)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def requests_sent():
    """The operation's generated requests: the bound is a floor as well as a ceiling."""
    sent = []
    yield sent
    assert len(sent) >= EXAMPLES, f"only {len(sent)} requests for {set(sent)}"


@pytest.fixture
def write_key(db, settings, wsgi_keeps_connection):
    """A partner with a private group, its events and RSVPs, public events of others, and
    another partner's private group; limits raised so the fuzzing is never throttled."""
    settings.RATE_LIMITS = {scope: (10**6, 60) for scope in settings.RATE_LIMITS}
    partner = Partner("demo-partner", visibility="private")
    other = Partner("other-partner", visibility="private")
    hidden = GroupFactory()
    for group in (partner.group, GroupFactory(), other.group, hidden):
        for _n in range(3):
            RsvpFactory(event=EventFactory(group=group))
    event_cancel(event=EventFactory(group=partner.group), actor=SYSTEM)
    group_update(group=hidden, actor=SYSTEM, visibility="private")
    return partner.write_key


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_answers_as_documented_never_5xx(case, write_key, requests_sent):
    response = case.call(headers={"Authorization": f"Api-Key {write_key}"})
    requests_sent.append(case.operation.label)
    case.validate_response(response, checks=CHECKS)
