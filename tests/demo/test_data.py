"""The demo data names its event details as the events services do, so a detail field added to
the services cannot be forgotten by the demo."""

import dataclasses

from demo.data import DERIVED_DETAILS, EVENTS, SERIES, DemoDetails
from demo.management.commands.seed_demo import detail_fields
from events.services._common import DETAIL_FIELDS
from groups.models import Group


def test_every_detail_field_comes_from_the_data_or_the_group():
    own = {f.name for f in dataclasses.fields(DemoDetails)}
    assert DERIVED_DETAILS <= DETAIL_FIELDS
    assert own >= DETAIL_FIELDS - DERIVED_DETAILS


def test_detail_fields_are_exactly_the_services_fields():
    group = Group(category="arts", latitude=51.45, longitude=-2.59)
    for spec in [*SERIES, *EVENTS]:
        fields = detail_fields(spec, group)
        assert set(fields) == DETAIL_FIELDS
        assert fields["category"] == "arts"
        assert (fields["latitude"] is None) == bool(spec.online_url)
