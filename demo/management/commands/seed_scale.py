"""`manage.py seed_scale --events N`: a site of a given size, to measure what pages cost.

The shape is the one the performance figures are quoted for: 20 events a group (half of them
past, half coming), 10 people going to each event, a tenth of the groups private, people who
belong to a few groups each. Rows go in with bulk inserts, in batches of groups, each batch in
one transaction, and keep what the services keep true: every group has an active organizer,
every RSVP is by an active member, an event's seats_taken is the seats of its going RSVPs,
private groups' and their events' slugs end in the services' random suffix. It writes no
notices and no activity rows (nothing happened: the rows are history).

`--projects P` also gives the first P groups a volunteer project each, with one role and
SHIFTS_PER_PROJECT shifts (half past, half coming), each with SIGNUPS_PER_SHIFT of the group's
members signed up (its first plain members by id; with a project in every group, as the
benchmarks seed, the member they log in as has shifts in two groups' projects) and seats_taken
counting them; a private group's project has the services' unguessable address.

Running it again adds only the groups (with their events) and projects still missing. It
refuses to run with DEBUG off unless given --force (it is for benchmark and staging databases).
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from core.models import Category
from events.models import Event, Rsvp
from events.services._common import _random_suffix as event_slug_suffix
from groups.models import Group, Membership
from groups.services import hidden_slug as group_hidden_slug
from volunteering.models import Cause, Role, Shift, ShiftSignup, VolunteerProject
from volunteering.services._common import _suffix as project_slug_suffix

EVENTS_PER_GROUP = 20
RSVPS_PER_EVENT = 10
MEMBERS_PER_GROUP = RSVPS_PER_EVENT + 1  # the organizer and ten members
PRIVATE_EVERY = 10  # one group in ten is private
GROUPS_PER_BATCH = 100
PEOPLE_PER_GROUP = 5  # the pool of people: each belongs to about two groups
EMAIL_DOMAIN = "scale.example"
NAME_PREFIX = "Scale"
MAX_EVENTS = 10_000_000
SHIFTS_PER_PROJECT = 10
SIGNUPS_PER_SHIFT = 3

# (what the group and its events are called, category): one event in five is a choir's.
KINDS = (
    ("choir", Category.MUSIC),
    ("board games", Category.GAMES),
    ("recovery circle", Category.RECOVERY),
    ("park walk", Category.OUTDOORS),
    ("shared meal", Category.FOOD),
)
CITIES = (
    ("Leeds", 53.80, -1.55),
    ("Manchester", 53.48, -2.24),
    ("Bristol", 51.45, -2.59),
    ("Glasgow", 55.86, -4.25),
    ("Cardiff", 51.48, -3.18),
)


def group_name(index: int) -> str:
    kind = KINDS[index % len(KINDS)][0]
    return f"{NAME_PREFIX} {kind} {index}"


def person_email(index: int) -> str:
    return f"person{index}@{EMAIL_DOMAIN}"


class Command(BaseCommand):
    help = "Add bulk groups, people, events and RSVPs to reach N events (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, required=True, help="events to reach")
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (not on a live site)"
        )
        parser.add_argument(
            "--projects", type=int, default=0, help="volunteer projects to reach (one a group)"
        )

    def handle(self, *args, events: int, force: bool, projects: int = 0, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_scale fills the database with made-up rows; with DEBUG off pass --force."
            )
        if events < EVENTS_PER_GROUP or events > MAX_EVENTS or events % EVENTS_PER_GROUP:
            raise CommandError(
                f"--events must be a multiple of {EVENTS_PER_GROUP} between "
                f"{EVENTS_PER_GROUP} and {MAX_EVENTS}."
            )
        group_count = events // EVENTS_PER_GROUP
        if projects < 0 or projects > group_count:
            raise CommandError(f"--projects must be between 0 and {group_count} (one a group).")
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        people = self._people(group_count * PEOPLE_PER_GROUP)
        existing = set(
            Group.objects.filter(name__startswith=f"{NAME_PREFIX} ").values_list("name", flat=True)
        )
        missing = [i for i in range(group_count) if group_name(i) not in existing]
        for start in range(0, len(missing), GROUPS_PER_BATCH):
            self._add_groups(missing[start : start + GROUPS_PER_BATCH], people=people, now=now)
        added_projects = self._add_projects(projects, now=now)
        self._add_signups(projects)
        self.stdout.write(
            f"scale projects: {projects} (added {added_projects}), "
            f"scale groups: {group_count} (added {len(missing)}), "
            f"events: {Event.objects.filter(group__name__startswith=f'{NAME_PREFIX} ').count()}"
        )

    @transaction.atomic
    def _add_projects(self, count: int, *, now: dt.datetime) -> int:
        titles = [f"{NAME_PREFIX} project {i}" for i in range(count)]
        have = set(
            VolunteerProject.objects.filter(title__in=titles).values_list("title", flat=True)
        )
        wanted = [i for i in range(count) if titles[i] not in have]
        groups = {g.name: g for g in Group.objects.filter(name__in=[group_name(i) for i in wanted])}
        projects = []
        for i in wanted:
            group = groups[group_name(i)]
            slug = slugify(titles[i])
            if group.is_private:
                slug = f"{slug}-{project_slug_suffix()}"
            projects.append(
                VolunteerProject(
                    group=group,
                    title=titles[i],
                    slug=slug,
                    description="Sorting and handing out food. No experience needed.",
                    cause=Cause.FOOD,
                    timezone="Europe/London",
                    venue_name="Community pantry",
                    address=f"{i} Mill Lane",
                    city=group.city,
                    latitude=group.latitude,
                    longitude=group.longitude,
                )
            )
        VolunteerProject.objects.bulk_create(projects, batch_size=2000)
        roles = Role.objects.bulk_create(
            [Role(project=project, name="Packing") for project in projects], batch_size=2000
        )
        shifts = []
        for i, role in zip(wanted, roles, strict=True):
            for k in range(SHIFTS_PER_PROJECT):
                # Weekly, half past and half coming, each project at its own hour.
                starts = now + dt.timedelta(days=7 * (k - SHIFTS_PER_PROJECT // 2), hours=i % 168)
                shifts.append(
                    Shift(
                        role=role,
                        timezone="Europe/London",
                        capacity=5,
                        starts_at=starts,
                        ends_at=starts + dt.timedelta(hours=3),
                    )
                )
        Shift.objects.bulk_create(shifts, batch_size=5000)
        return len(projects)

    @transaction.atomic
    def _add_signups(self, count: int) -> int:
        """Sign-ups for the scale projects' shifts that have none yet, and their seats."""
        titles = [f"{NAME_PREFIX} project {i}" for i in range(count)]
        shifts = list(
            Shift.objects.filter(role__project__title__in=titles)
            .exclude(Exists(ShiftSignup.objects.filter(shift=OuterRef("pk"))))
            .values_list("pk", "role__project__group_id")
        )
        signers: dict[int, list[int]] = {}
        members = Membership.objects.filter(
            group_id__in={group_id for _pk, group_id in shifts},
            status=Membership.Status.ACTIVE,
            role=Membership.Role.MEMBER,
        ).order_by("group_id", "user_id")
        for group_id, user_id in members.values_list("group_id", "user_id"):
            chosen = signers.setdefault(group_id, [])
            if len(chosen) < SIGNUPS_PER_SHIFT:
                chosen.append(user_id)
        ShiftSignup.objects.bulk_create(
            (
                ShiftSignup(shift_id=pk, user_id=user_id, status=ShiftSignup.Status.SIGNED_UP)
                for pk, group_id in shifts
                for user_id in signers.get(group_id, [])
            ),
            batch_size=5000,
        )
        by_seats: dict[int, list[int]] = {}
        for pk, group_id in shifts:
            by_seats.setdefault(len(signers.get(group_id, [])), []).append(pk)
        for seats, ids in by_seats.items():
            for start in range(0, len(ids), 5000):
                Shift.objects.filter(pk__in=ids[start : start + 5000]).update(seats_taken=seats)
        return len(shifts)

    def _people(self, count: int) -> list[int]:
        """Ids of the pool of people, created when missing."""
        count = max(count, MEMBERS_PER_GROUP)
        have = set(
            User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("email", flat=True)
        )
        new = [
            User(
                email=person_email(i),
                display_name=f"Person {i}",
                show_first_name_only=False,
                password="!",  # noqa: S106 - an unusable password: nobody logs in as them
            )
            for i in range(count)
            if person_email(i) not in have
        ]
        User.objects.bulk_create(new, batch_size=2000)
        by_email = dict(
            User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("email", "pk")
        )
        return [by_email[person_email(i)] for i in range(count)]

    @transaction.atomic
    def _add_groups(self, indexes: list[int], *, people: list[int], now: dt.datetime) -> None:
        groups = []
        for i in indexes:
            kind, category = KINDS[i % len(KINDS)]
            city, lat, lon = CITIES[i % len(CITIES)]
            private = i % PRIVATE_EVERY == PRIVATE_EVERY - 1
            name = group_name(i)
            groups.append(
                Group(
                    name=name,
                    slug=group_hidden_slug(name) if private else slugify(name),
                    description=f"A {kind} group in {city}. Everyone is welcome.",
                    category=category,
                    city=city,
                    latitude=lat,
                    longitude=lon,
                    visibility=Group.Visibility.PRIVATE if private else Group.Visibility.PUBLIC,
                )
            )
        Group.objects.bulk_create(groups)
        groups = list(Group.objects.filter(name__in=[g.name for g in groups]))
        index_of = {group_name(i): i for i in indexes}

        memberships, events, members_of = [], [], {}
        for group in groups:
            i = index_of[group.name]
            members = [people[(i * PEOPLE_PER_GROUP + k) % len(people)] for k in range(11)]
            members_of[group.pk] = members[1:]
            for k, user_id in enumerate(members):
                role = Membership.Role.ORGANIZER if k == 0 else Membership.Role.MEMBER
                memberships.append(
                    Membership(
                        group=group,
                        user_id=user_id,
                        role=role,
                        status=Membership.Status.ACTIVE,
                        joined_at=now - dt.timedelta(days=200),
                    )
                )
            kind, category = KINDS[i % len(KINDS)]
            for j in range(EVENTS_PER_GROUP):
                # Weekly, ten weeks back and ten ahead, each group at its own hour.
                starts = now + dt.timedelta(days=7 * (j - EVENTS_PER_GROUP // 2), hours=i % 168)
                title = f"{kind.capitalize()} {i}-{j}"
                slug = f"{slugify(title)}-{starts.date().isoformat()}"
                if group.is_private:
                    slug = f"{slug}-{event_slug_suffix()}"
                events.append(
                    Event(
                        group=group,
                        title=title,
                        description=f"Our {kind}, week {j}. Bring a friend.",
                        category=category,
                        timezone="Europe/London",
                        venue_name="Community hall",
                        address=f"{i} High Street",
                        latitude=group.latitude,
                        longitude=group.longitude,
                        capacity=30 if j % 2 else None,
                        slug=slug,
                        starts_at=starts,
                        ends_at=starts + dt.timedelta(hours=2),
                        seats_taken=RSVPS_PER_EVENT,
                        newcomers_welcome=j % 3 == 0,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=5000)
        Event.objects.bulk_create(events, batch_size=2000)
        event_ids = Event.objects.filter(group__in=groups).values_list("pk", "group_id")
        Rsvp.objects.bulk_create(
            (
                Rsvp(event_id=event_id, user_id=user_id, status=Rsvp.Status.GOING)
                for event_id, group_id in event_ids
                for user_id in members_of[group_id][:RSVPS_PER_EVENT]
            ),
            batch_size=5000,
        )
