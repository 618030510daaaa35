"""References to rows ("app_label.model:pk") are built and read one way, in Python and SQL."""

import pytest

from core.models import Activity
from core.refs import dedupe_key, parse_ref, ref, ref_for, ref_pk, ref_pk_sql
from groups.models import Group, Membership
from tests.factories import GroupFactory


def test_ref_names_the_model_label_and_primary_key():
    assert ref(Group(pk=42)) == "groups.group:42"
    assert ref_for(Group, 42) == "groups.group:42"
    assert ref_for("events.event", "7") == "events.event:7"


def test_an_unsaved_row_has_no_reference():
    with pytest.raises(ValueError, match="unsaved"):
        ref(Group())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("events.event:42", ("events.event", 42)),
        ("groups.membership:7", ("groups.membership", 7)),
        ("events.event:", None),
        ("events.event:4x", None),
        ("events.event:-1", None),
        ("event:42", None),
        ("42", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_ref_reads_only_well_formed_references(value, expected):
    assert parse_ref(value) == expected


def test_ref_pk_answers_only_for_the_model_named():
    assert ref_pk("groups.group:5", Group) == 5
    assert ref_pk("groups.group:5", "groups.group") == 5
    assert ref_pk("groups.membership:5", Group) is None
    assert ref_pk("nonsense", Group) is None


def test_dedupe_key_joins_its_parts_with_rows_as_references():
    assert dedupe_key("events.reminder", Group(pk=3), 7, 1440, "email") == (
        "events.reminder:groups.group:3:7:1440:email"
    )
    assert dedupe_key("groups.join_approved", "groups.membership:9") == (
        "groups.join_approved:groups.membership:9"
    )


def test_the_formats_stored_in_the_outbox_keep_their_shape():
    # Rows written before references were centralised read back the same.
    stored = "events.event:42"
    assert ref_for(*parse_ref(stored)) == stored


@pytest.mark.django_db
def test_ref_pk_sql_reads_the_primary_key_in_sql_and_ignores_other_subjects():
    group = GroupFactory()
    subjects = [
        ref(group),
        "groups.group:12345",
        ref_for(Membership, group.pk),  # the same number, another model
        "groups.group:abc",
        "groups.groupie:1",
        "groups.group:",
    ]
    for subject in subjects:
        Activity.objects.create(actor_kind="system", verb="test.ref", subject=subject)

    found = dict(
        Activity.objects.annotate(pk_in=ref_pk_sql("subject", Group)).values_list(
            "subject", "pk_in"
        )
    )

    assert found == {
        ref(group): group.pk,
        "groups.group:12345": 12345,
        ref_for(Membership, group.pk): None,
        "groups.group:abc": None,
        "groups.groupie:1": None,
        "groups.group:": None,
    }
    # Used to join: the subjects naming an existing group.
    existing = Activity.objects.alias(group_pk=ref_pk_sql("subject", Group)).filter(
        group_pk__in=Group.objects.values("pk")
    )
    assert list(existing.values_list("subject", flat=True)) == [ref(group)]
