"""`manage.py seed_demo`: demo data a newcomer can click through: groups, people, events, RSVPs
and three logins.

The demo itself is plain data in `demo.data`; this command walks it through the groups and events
services, so seats, waitlists, memberships and reminders are exactly what the site itself would
have produced. Running it again adds only what is missing; dates are relative to today, and a
fixed random seed picks who RSVPs.
"""

import datetime as dt
import random
import zoneinfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.actors import Actor
from core.capacity import seats_take
from demo.data import (
    CARE_CALENDAR,
    CHECK_IN_SHIFT,
    CHOIR,
    CITIES,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DERIVED_DETAILS,
    EVENTS,
    GROUPS,
    HOURS,
    HOURS_PROJECT,
    HOURS_STATEMENT_DAYS,
    MEMBER_EMAIL,
    ORGANIZER_EMAIL,
    PARTNERS,
    PEOPLE,
    PROJECTS,
    SEED,
    SERIES,
    STAFF_EMAIL,
    TIMEZONE,
    DemoDetails,
    DemoEvent,
    DemoGroup,
    DemoProject,
    DemoSeries,
)
from events import services as event_services
from events.models import Event, EventSeries, Rsvp
from events.services._common import DETAIL_FIELDS
from groups import services as group_services
from groups.models import Group, Membership, Report
from groups.reports import report_create
from notifications.models import Channel
from notifications.services import notification_preferences_get, notification_preferences_set
from partners import services as partner_services
from partners.models import PartnerOrganization
from volunteering import services as volunteering_services
from volunteering.care import services as care_services
from volunteering.care_models import CALENDAR_FIELDS as CARE_FIELDS
from volunteering.care_models import CareCalendar, CareSlot
from volunteering.hours import services as hours_services
from volunteering.models import (
    HoursEntry,
    HoursStatement,
    Role,
    Shift,
    ShiftSeries,
    ShiftSignup,
    VolunteerProject,
)

# Who acts where no person of the data does (approving members, making hosts, creating
# series and events): the system, for the demo's own reason.
DEMO = Actor.system("demo data")


def local_datetime(*, days_from_today: int, at: dt.time, tz: str, now: dt.datetime) -> dt.datetime:
    """An aware datetime `days_from_today` days from today's date in `tz`, at the local time."""
    zone = zoneinfo.ZoneInfo(tz)
    day = now.astimezone(zone).date() + dt.timedelta(days=days_from_today)
    return dt.datetime.combine(day, at, tzinfo=zone)


def detail_fields(spec: DemoDetails, group: Group) -> dict:
    """The services' detail fields for a demo event or series: the data's own values, with the
    zone, category and map position from the group (an online event has no map position)."""
    derived = {
        "timezone": TIMEZONE,
        "category": group.category,
        "latitude": None if spec.online_url else group.latitude,
        "longitude": None if spec.online_url else group.longitude,
    }
    return {
        name: derived[name] if name in DERIVED_DETAILS else getattr(spec, name)
        for name in sorted(DETAIL_FIELDS)
    }


def next_weekday(*, weekday: int, at: dt.time, tz: str, now: dt.datetime) -> dt.datetime:
    """The next local `weekday` at `at` that is still ahead of `now`."""
    today = now.astimezone(zoneinfo.ZoneInfo(tz)).date()
    days = (weekday - today.weekday()) % 7
    candidate = local_datetime(days_from_today=days, at=at, tz=tz, now=now)
    if candidate <= now:
        candidate = local_datetime(days_from_today=days + 7, at=at, tz=tz, now=now)
    return candidate


class Command(BaseCommand):
    help = (
        "Load demo groups, people, events and RSVPs, and print the demo logins. "
        "Safe to run again: only what is missing is added. Runs only with DEBUG on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (creates accounts with a published password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password and runs only with "
                "DEBUG on; pass --force to run it anyway."
            )
        self.now = timezone.now()
        self.rng = random.Random(SEED)
        self.created = {
            "users": 0,
            "groups": 0,
            "memberships": 0,
            "series": 0,
            "events": 0,
            "rsvps": 0,
            "partners": 0,
            "projects": 0,
            "shifts": 0,
            "sign-ups": 0,
            "hours entries": 0,
            "statements": 0,
        }
        with transaction.atomic():
            self.users = self.seed_users()
            groups = {spec.key: self.seed_group(spec) for spec in GROUPS}
            self.seed_partners(groups)
        for spec in SERIES:
            with transaction.atomic():
                self.seed_series(spec, groups[spec.group])
        for spec in EVENTS:
            with transaction.atomic():
                self.seed_event(spec, groups[spec.group])
        for spec in PROJECTS:
            with transaction.atomic():
                self.seed_project(spec, groups[spec.group])
        with transaction.atomic():
            self.statement = self.seed_hours()
        with transaction.atomic():
            self.seed_check_in_shift()
        with transaction.atomic():
            self.seed_care_calendar(groups[CARE_CALENDAR["group"]])
        with transaction.atomic():
            self.seed_moderation_report(groups[CHOIR])
        self.report()

    # People ---------------------------------------------------------------------------------

    def seed_users(self) -> dict[str, User]:
        from allauth.account.models import EmailAddress

        users = {}
        for index, (email, name, first_only, city) in enumerate(DEMO_LOGINS + PEOPLE):
            user = User.objects.filter(email=email).first()
            if user is None:
                latitude, longitude = CITIES[city]
                user = User(
                    email=email,
                    display_name=name,
                    show_first_name_only=first_only,
                    city=city,
                    latitude=latitude,
                    longitude=longitude,
                    timezone=TIMEZONE,
                    is_staff=email == STAFF_EMAIL,
                    is_superuser=email == STAFF_EMAIL,
                )
                is_login = index < len(DEMO_LOGINS)
                if is_login:
                    user.set_password(DEMO_PASSWORD)
                else:
                    # Only the three demo logins can sign in; the others fill the rooms.
                    user.set_unusable_password()
                user.full_clean()
                user.save()
                if not is_login:
                    self.inbox_only(user)
                self.created["users"] += 1
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            users[email] = user
        return users

    def inbox_only(self, user: User) -> None:
        """The invented people read their notices on the site, so the first `make run` does
        not print hundreds of RSVP confirmations for them to the console."""
        choices = {
            (kind, channel): False
            for kind, channel in notification_preferences_get(user=user)
            if channel == Channel.EMAIL
        }
        notification_preferences_set(user=user, choices=choices)

    # Groups and memberships -----------------------------------------------------------------

    def seed_group(self, spec: DemoGroup) -> Group:
        organizer = self.users[spec.organizer]
        # The service makes the web address from the name, so the name is the demo's key.
        group = Group.objects.filter(name=spec.name).first()
        if group is None:
            latitude, longitude = CITIES[spec.city]
            group = group_services.group_create(
                actor=organizer,
                name=spec.name,
                description=spec.description,
                category=spec.category,
                city=spec.city,
                latitude=latitude,
                longitude=longitude,
                visibility=spec.visibility,
                listed_when_private=spec.listed_when_private,
                join_policy=spec.join_policy,
                join_question=spec.join_question,
                member_list_visibility=spec.member_list_visibility,
                code_of_conduct=spec.code_of_conduct,
            )
            self.created["groups"] += 1
        answer = "Happy to be here." if spec.join_question else ""
        for email in dict.fromkeys(spec.members + spec.hosts):
            membership = self.join(group, email, answer=answer)
            if membership.status == Membership.Status.PENDING:
                group_services.membership_approve(membership=membership, actor=DEMO)
        for email in spec.hosts:
            membership = Membership.objects.get(group=group, user=self.users[email])
            if membership.role == Membership.Role.MEMBER:
                group_services.membership_set_role(
                    membership=membership, actor=DEMO, role=Membership.Role.HOST
                )
        for email, pending_answer in spec.pending:
            self.join(group, email, answer=pending_answer)
        return group

    def join(self, group: Group, email: str, *, answer: str) -> Membership:
        user = self.users[email]
        membership = Membership.objects.filter(group=group, user=user).first()
        if membership is None:
            membership = group_services.membership_join(group=group, actor=user, answer=answer)
            self.created["memberships"] += 1
        return membership

    def members_of(self, group: Group) -> list[User]:
        return [
            m.user
            for m in group.memberships.filter(status=Membership.Status.ACTIVE)
            .select_related("user")
            .order_by("user__email")
        ]

    # API partners ---------------------------------------------------------------------------

    def seed_partners(self, groups: dict[str, Group]) -> None:
        for spec in PARTNERS:
            partner = PartnerOrganization.objects.filter(slug=spec.slug).first()
            if partner is None:
                partner = partner_services.partner_create(
                    name=spec.name, slug=spec.slug, website=spec.website
                )
                self.created["partners"] += 1
            for key in spec.groups:
                partner_services.partner_group_add(partner=partner, group=groups[key])

    # Events ---------------------------------------------------------------------------------

    def seed_series(self, spec: DemoSeries, group: Group) -> None:
        series = EventSeries.objects.filter(group=group, title=spec.title).first()
        if series is not None:
            return
        first = next_weekday(weekday=spec.weekday, at=spec.start, tz=TIMEZONE, now=self.now)
        series = event_services.event_series_create(
            group=group,
            actor=DEMO,
            rrule=spec.rrule,
            first_starts_at=first,
            duration=spec.duration,
            tags=spec.tags,
            **detail_fields(spec, group),
        )
        self.created["series"] += 1
        occurrences = list(series.occurrences.order_by("starts_at"))
        self.created["events"] += len(occurrences)
        # RSVPs on the next four occurrences, fewer the further away they are.
        members = self.members_of(group)
        for weeks_ahead, event in enumerate(occurrences[:4]):
            count = max(len(members) - 2 * weeks_ahead, 1)
            self.rsvp_some(
                event, members, count=count, member_going=spec.member_going and weeks_ahead == 0
            )
        # A regular goes to every date: their standing RSVP books the rest of the coming ones.
        for email in spec.regulars:
            regular = self.users[email]
            before = Rsvp.objects.filter(user=regular).count()
            event_services.series_rsvp_start(series=series, user=regular, actor=DEMO)
            self.created["rsvps"] += Rsvp.objects.filter(user=regular).count() - before

    def seed_event(self, spec: DemoEvent, group: Group) -> None:
        if Event.objects.filter(group=group, title=spec.title, series__isnull=True).exists():
            return
        starts_at = local_datetime(
            days_from_today=spec.days_from_today, at=spec.start, tz=TIMEZONE, now=self.now
        )
        event = event_services.event_create(
            group=group,
            actor=DEMO,
            tags=spec.tags,
            **detail_fields(spec, group),
            starts_at=starts_at,
            ends_at=starts_at + spec.duration,
        )
        self.created["events"] += 1
        self.rsvp_some(
            event, self.members_of(group), count=spec.rsvps, member_going=spec.member_going
        )
        if event.ends_at <= self.now:
            # Someone came without an RSVP, added at the door (the workspace's walk-ins).
            event_services.walk_in_add(event=event, actor=DEMO, name="Jo (first time)")

    def rsvp_some(
        self, event: Event, members: list[User], *, count: int, member_going: bool
    ) -> None:
        """RSVP `count` members, picked with the fixed seed (the demo member first, if going)."""
        member = [u for u in members if u.email == MEMBER_EMAIL][:1] if member_going else []
        others = [u for u in members if u.email != MEMBER_EMAIL]
        people = member + self.rng.sample(others, k=min(count, len(others)))
        for user in people[:count]:
            if Rsvp.objects.filter(event=event, user=user).exists():
                continue
            guests = 1 if event.guests_allowed and self.rng.random() < 0.25 else 0
            if event.ends_at <= self.now:
                if not self.record_attendance(event, user):
                    continue
            else:
                event_services.rsvp_create(event=event, user=user, guests=guests, actor=DEMO)
            self.created["rsvps"] += 1

    def record_attendance(self, event: Event, user: User) -> bool:
        """History for a past event. The RSVP service rightly refuses events that have ended, so
        the demo writes what it would have written then: a seat taken and a check-in."""
        if not seats_take(model=Event, pk=event.pk, seats=1):
            return False
        rsvp = Rsvp(
            event=event,
            user=user,
            status=Rsvp.Status.GOING,
            # Most came; a few did not, so the workspace has no-shows to show.
            checked_in_at=(
                event.starts_at + dt.timedelta(minutes=self.rng.randint(0, 20))
                if self.rng.random() < 0.8
                else None
            ),
        )
        rsvp.full_clean()
        rsvp.save()
        return True

    # Output ---------------------------------------------------------------------------------

    # Volunteering ---------------------------------------------------------------------------

    def seed_project(self, spec: DemoProject, group: Group) -> None:
        """The project, its roles with weekly shifts, and volunteers on each role's next shift
        (more than its places on one, so it has a waitlist)."""
        project = VolunteerProject.objects.filter(group=group, title=spec.title).first()
        if project is None:
            project = volunteering_services.project_create(
                group=group,
                actor=DEMO,
                title=spec.title,
                cause=spec.cause,
                description=spec.description,
                timezone=TIMEZONE,
                venue_name=spec.venue_name,
                address=spec.address,
                latitude=group.latitude,
                longitude=group.longitude,
                skills=spec.skills,
                minimum_age=spec.minimum_age,
                waiver_text=spec.waiver_text,
                contact=group.memberships.filter(role=Membership.Role.ORGANIZER).first().user,
            )
            self.created["projects"] += 1
        volunteers = [self.users[email] for email in spec.volunteers]
        for role_spec in spec.roles:
            role = Role.objects.filter(project=project, name=role_spec.name).first()
            if role is None:
                role = volunteering_services.role_create(
                    project=project,
                    actor=DEMO,
                    name=role_spec.name,
                    description=role_spec.description,
                    skills=role_spec.skills,
                )
            if not ShiftSeries.objects.filter(role=role).exists():
                before = Shift.objects.filter(role=role).count()
                volunteering_services.shift_series_create(
                    role=role,
                    actor=DEMO,
                    rrule="FREQ=WEEKLY",
                    first_starts_at=next_weekday(
                        weekday=role_spec.weekday, at=role_spec.start, tz=TIMEZONE, now=self.now
                    ),
                    duration=role_spec.duration,
                    capacity=role_spec.capacity,
                    timezone=TIMEZONE,
                    horizon_days=56,
                )
                self.created["shifts"] += Shift.objects.filter(role=role).count() - before
            shift = Shift.objects.filter(role=role, starts_at__gt=self.now).order_by("starts_at")
            shift = shift.select_related("role__project__group").first()
            people = volunteers[: role_spec.signups]
            if role_spec.member_signs_up:
                people.append(self.users[MEMBER_EMAIL])
            for person in people:
                if ShiftSignup.objects.filter(shift=shift, user=person).exists():
                    continue
                volunteering_services.signup_create(
                    shift=shift, user=person, actor=DEMO, accept_waiver=True, age_confirmed=True
                )
                self.created["sign-ups"] += 1

    def seed_hours(self) -> HoursStatement:
        """Hours logged on the food bank's past Saturdays, most verified by the group's
        organizer (so the statement names a verifier), and the member's statement."""
        project = VolunteerProject.objects.select_related("group").get(title=HOURS_PROJECT)
        organizer = (
            project.group.memberships.filter(
                role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
            )
            .select_related("user")
            .first()
            .user
        )
        today = timezone.localdate()
        for spec in HOURS:
            volunteer = self.users[spec.volunteer]
            worked_on = today - dt.timedelta(days=spec.days_ago)
            if HoursEntry.objects.filter(
                volunteer=volunteer, project=project, worked_on=worked_on
            ).exists():
                continue
            entry = hours_services.hours_entry_log(
                volunteer=volunteer,
                project=project,
                worked_on=worked_on,
                minutes=spec.minutes,
                description=spec.description,
                actor=DEMO,
            )
            if spec.verified:
                hours_services.hours_entry_verify(entry=entry, actor=organizer, note="Thank you!")
            self.created["hours entries"] += 1
        member = self.users[MEMBER_EMAIL]
        statement = HoursStatement.objects.filter(volunteer=member, group=project.group).first()
        if statement is None:
            statement = hours_services.hours_statement_issue(
                volunteer=member,
                group=project.group,
                period_from=today - dt.timedelta(days=HOURS_STATEMENT_DAYS),
                period_to=today,
                actor=DEMO,
            )
            self.created["statements"] += 1
        return statement

    def seed_check_in_shift(self) -> None:
        """A shift starting soon with volunteers signed up, some already checked in by the
        organizer (their hours then wait for verification): once."""
        spec = CHECK_IN_SHIFT
        project = VolunteerProject.objects.select_related("group").get(title=spec["project"])
        role = Role.objects.get(project=project, name=spec["role"])
        if Shift.objects.filter(role=role, notes=spec["notes"]).exists():
            return
        organizer = self.users[ORGANIZER_EMAIL]
        starts = (self.now + spec["starts_in"]).replace(second=0, microsecond=0)
        shift = volunteering_services.shift_create(
            role=role,
            actor=DEMO,
            starts_at=starts,
            ends_at=starts + spec["duration"],
            capacity=spec["capacity"],
            notes=spec["notes"],
            timezone=TIMEZONE,
        )
        self.created["shifts"] += 1
        for email in spec["volunteers"]:
            signup = volunteering_services.signup_create(
                shift=shift,
                user=self.users[email],
                actor=DEMO,
                accept_waiver=True,
                age_confirmed=True,
            )
            self.created["sign-ups"] += 1
            if email in spec["checked_in"]:
                hours_services.shift_check_in(signup=signup, actor=organizer)
                self.created["hours entries"] += 1

    # Care calendar ------------------------------------------------------------------------

    def seed_care_calendar(self, group: Group) -> None:
        """A care calendar with meal slots repeating weekly and a few rides, errands and visits,
        some taken (through the care services, as the system; once)."""
        spec = CARE_CALENDAR
        if CareCalendar.objects.filter(group=group, title=spec["title"]).exists():
            return
        fields = {name: spec[name] for name in CARE_FIELDS if name in spec}
        calendar = care_services.care_calendar_create(
            actor=self.users[spec["opener"]],
            group=group,
            timezone=TIMEZONE,
            visibility=CareCalendar.Visibility.GROUP,
            **fields,
        )
        email, limit = spec["helper_weekly_limit"]
        care_services.care_helper_limit_set(
            calendar=calendar, user=self.users[email], weekly_limit=limit
        )
        for kind, title, days, at, minutes, helpers, taker in spec["slots"]:
            starts = local_datetime(days_from_today=days, at=at, tz=TIMEZONE, now=self.now)
            slot = care_services.care_slot_create(
                calendar=calendar,
                actor=DEMO,
                kind=kind,
                title=title,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=minutes),
                capacity=helpers,
            )
            if taker:
                care_services.care_slot_take(slot=slot, user=self.users[taker], actor=DEMO)
        first = local_datetime(days_from_today=1, at=spec["meal_start"], tz=TIMEZONE, now=self.now)
        series = care_services.care_slot_series_create(
            calendar=calendar,
            actor=DEMO,
            kind="meal",
            title="Hot dinner",
            rrule=f"FREQ=WEEKLY;BYDAY={spec['meal_days']}",
            first_starts_at=first,
            duration=dt.timedelta(hours=1),
            capacity=1,
            horizon_days=28,
        )
        meals = CareSlot.objects.filter(series=series).order_by("starts_at")
        for slot, email in zip(meals, spec["meal_takers"], strict=False):
            care_services.care_slot_take(slot=slot, user=self.users[email], actor=DEMO)
        self.created["care calendars"] = 1

    def seed_moderation_report(self, group: Group) -> Report:
        """A report for the demo organizer to review in the choir's workspace (filing it again
        while it is open keeps the one report)."""
        reported = self.users["tariq@example.com"]
        return report_create(
            actor=self.users["niamh.walsh@example.com"],
            group=group,
            about=Report.About.MEMBER,
            subject=reported,
            reported_user=reported,
            reason=(
                "He keeps talking over the section leaders during rehearsal and laughed at "
                "someone who sang a wrong note."
            ),
            subject_label=reported.public_name,
        )

    def report(self) -> None:
        added = ", ".join(f"{n} {what}" for what, n in self.created.items())
        self.stdout.write(f"Demo data ready (added now: {added}).")
        self.stdout.write(
            f"{Group.objects.count()} groups, {User.objects.count()} people, "
            f"{Event.objects.count()} events, "
            f"{Rsvp.objects.count()} RSVPs in the database."
        )
        self.stdout.write("")
        login_url = settings.SITE_URL + reverse("account_login")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins at {login_url} (password: {DEMO_PASSWORD})")
        )
        self.stdout.write(f"  {ORGANIZER_EMAIL:<24} organizes most groups")
        self.stdout.write(f"  {MEMBER_EMAIL:<24} member of several, including a private circle")
        self.stdout.write(f"  {STAFF_EMAIL:<24} staff and superuser (/admin/)")
        self.stdout.write(
            "Partner API keys: manage.py partner_key create demo-partner --scopes read,write"
        )
        self.stdout.write(
            f"Hours statement: {MEMBER_EMAIL} downloads it at "
            f"{settings.SITE_URL}{reverse('volunteering:my_hours')}; anyone checks it at "
            f"{hours_services.statement_verify_url(self.statement)}"
        )
        self.stdout.write(
            f"Volunteering workspace: {ORGANIZER_EMAIL} checks volunteers in and verifies hours "
            f"at {settings.SITE_URL}{reverse('workspace:index')}"
        )
