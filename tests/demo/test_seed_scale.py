"""`manage.py seed_scale`: the benchmark's shape, with every invariant the services keep."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from events.models import Event, Rsvp
from groups.models import Group, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def test_makes_the_shape_and_keeps_the_services_invariants():
    call_command("seed_scale", events=200)
    groups = Group.objects.filter(name__startswith="Scale ")
    assert groups.count() == 10
    assert Event.objects.filter(group__in=groups).count() == 200
    assert Rsvp.objects.filter(status=Rsvp.Status.GOING).count() == 2000
    private = groups.filter(visibility=Group.Visibility.PRIVATE)
    assert private.count() == 1
    # every group has an active organizer
    assert not groups.annotate(
        organizers=Count(
            "memberships",
            filter=Q(
                memberships__role=Membership.Role.ORGANIZER,
                memberships__status=Membership.Status.ACTIVE,
            ),
        )
    ).filter(organizers=0)
    # every RSVP is by an active member of the event's group
    for rsvp in Rsvp.objects.select_related("event"):
        assert Membership.objects.filter(
            group_id=rsvp.event.group_id, user_id=rsvp.user_id, status=Membership.Status.ACTIVE
        ).exists()
    # hidden groups' and their events' addresses end in a random suffix with a letter
    for group in private:
        assert re.fullmatch(r".+-[a-z0-9]{12}", group.slug)
        assert re.search(r"[a-z]", group.slug.rsplit("-", 1)[1])
        for event in group.events.all():
            assert not event.slug.endswith(event.starts_at.date().isoformat())
    # seats_taken equals the going RSVPs' seats: checked after every test (tests/conftest.py)


def test_running_again_adds_only_what_is_missing():
    call_command("seed_scale", events=100)
    slugs = set(Group.objects.values_list("slug", flat=True))
    call_command("seed_scale", events=100)
    assert set(Group.objects.values_list("slug", flat=True)) == slugs
    assert Event.objects.count() == 100
    call_command("seed_scale", events=140)
    assert Event.objects.count() == 140
    assert Rsvp.objects.count() == 1400


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_scale", events=20)
    assert not Event.objects.exists()
    call_command("seed_scale", events=20, force=True)
    assert Event.objects.count() == 20


@pytest.mark.parametrize("events", [0, 7, -20, 30])
def test_bad_numbers_are_refused_in_one_line(events):
    with pytest.raises(CommandError, match="multiple of 20"):
        call_command("seed_scale", events=events)
    assert not Event.objects.exists()


def test_projects_with_shifts_once_each_and_hidden_addresses_for_private_groups():
    from volunteering.models import Shift, ShiftSignup, VolunteerProject

    call_command("seed_scale", events=200, projects=10)
    call_command("seed_scale", events=200, projects=10)
    projects = VolunteerProject.objects.select_related("group")
    assert projects.count() == 10
    assert Shift.objects.count() == 100
    # three members signed up to every shift, once (seats_taken checked by tests/conftest.py)
    assert ShiftSignup.objects.count() == 300
    assert not Shift.objects.exclude(seats_taken=3).exists()
    for signup in ShiftSignup.objects.select_related("shift__role__project"):
        assert signup.status == ShiftSignup.Status.SIGNED_UP
        assert Membership.objects.filter(
            group_id=signup.shift.role.project.group_id,
            user_id=signup.user_id,
            status=Membership.Status.ACTIVE,
        ).exists()
    # the member the benchmarks log in as: two groups' projects, ten shifts each
    assert ShiftSignup.objects.filter(user__email="person0@scale.example").count() == 20
    for project in projects:
        if project.group.is_private:
            assert re.search(r"-(?=[a-z0-9]*[a-z])[a-z0-9]{10,}$", project.slug)
        else:
            assert project.slug == f"scale-project-{project.title.rsplit(' ', 1)[1]}"
    with pytest.raises(CommandError):
        call_command("seed_scale", events=200, projects=11)
