"""Changing the team that comes along: a smaller team frees places for the waitlist, whether
the team that shrank held places or was itself waiting; bad input on the team form is never a
500."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.bad_input import NASTY
from tests.factories import MembershipFactory, ShiftFactory
from volunteering.models import ShiftSignup
from volunteering.services import signup_create, signup_team_change

pytestmark = pytest.mark.django_db


def _shift(capacity):
    shift = ShiftFactory(capacity=capacity, starts_at=timezone.now() + dt.timedelta(days=2))
    return shift, shift.role.project.group


def test_a_waitlisted_team_that_now_fits_gets_the_free_places():
    shift, group = _shift(3)
    alone = MembershipFactory(group=group).user
    leader = MembershipFactory(group=group).user
    signup_create(shift=shift, user=alone)
    waiting = signup_create(shift=shift, user=leader, team=["Ann", "Bo"])  # 3 places, 2 free
    assert waiting.status == ShiftSignup.Status.WAITLISTED

    signup_team_change(signup=waiting, actor=leader, team=["Ann"])  # 2 places: they fit now

    waiting.refresh_from_db()
    shift.refresh_from_db()
    assert waiting.status == ShiftSignup.Status.SIGNED_UP
    assert waiting.waitlist_position is None
    assert shift.seats_taken == 3


def test_a_waitlisted_team_that_still_does_not_fit_keeps_waiting():
    shift, group = _shift(3)
    signup_create(shift=shift, user=MembershipFactory(group=group).user, team=["Al"])
    leader = MembershipFactory(group=group).user
    waiting = signup_create(shift=shift, user=leader, team=["Ann", "Bo"])  # 3 places, 1 free

    signup_team_change(signup=waiting, actor=leader, team=["Ann"])  # 2 places: still too many

    waiting.refresh_from_db()
    shift.refresh_from_db()
    assert waiting.status == ShiftSignup.Status.WAITLISTED
    assert shift.seats_taken == 2


def test_a_signed_up_team_that_shrinks_lets_the_next_in_line_in():
    shift, group = _shift(3)
    leader = MembershipFactory(group=group).user
    team = signup_create(shift=shift, user=leader, team=["Ann", "Bo"])
    next_in_line = signup_create(shift=shift, user=MembershipFactory(group=group).user)
    assert next_in_line.status == ShiftSignup.Status.WAITLISTED

    signup_team_change(signup=team, actor=leader, team=["Ann"])

    next_in_line.refresh_from_db()
    assert next_in_line.status == ShiftSignup.Status.SIGNED_UP


def test_the_team_form_with_bad_input_is_never_a_500(client):
    shift = ShiftFactory(capacity=3, starts_at=timezone.now() + dt.timedelta(days=2))
    group = shift.role.project.group
    user = MembershipFactory(group=group).user
    signup_create(shift=shift, user=user)
    client.force_login(user)
    url = reverse("volunteering:team", kwargs={"slug": shift.role.project.slug, "pk": shift.pk})
    for value in [*NASTY, "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk", "\n".join(["x"] * 200)]:
        response = client.post(url, {"team": value})
        assert response.status_code in (302, 200, 400), (value, response.status_code)
