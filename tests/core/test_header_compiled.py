"""core.header.compiled_count_of: a count's query is compiled once and reused with the
reader's id only when nothing else of the reader shapes it."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from core import header
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _count(expression, user) -> int:
    rows = get_user_model().objects.filter(pk=user.pk).values(n=expression)
    return rows.values_list("n", flat=True)[0]


def test_a_count_reading_only_the_id_is_compiled_once():
    ann, bob = UserFactory(), UserFactory()

    def themselves(user):
        return get_user_model().objects.filter(pk=user.pk)

    header._compiled.clear()
    for user in (ann, bob):
        assert _count(header.compiled_count_of(themselves, user, key=("self",)), user) == 1
    assert header._compiled[(connection.vendor, "self")] is not None


def test_a_count_that_reads_more_than_the_id_is_built_each_time():
    ann, bob = UserFactory(email="ann@example.com"), UserFactory(email="bob@example.com")

    def by_email(user):
        return get_user_model().objects.filter(pk=user.pk, email=user.email)

    header._compiled.clear()
    for user in (ann, bob):
        assert _count(header.compiled_count_of(by_email, user, key=("by email",)), user) == 1
    assert header._compiled[(connection.vendor, "by email")] is None
