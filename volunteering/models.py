"""Volunteer projects, their roles and shifts, sign-ups and waiver acceptances.

A project belongs to a group and is seen by whoever may see the group's content. A role is a
job in a project ("driver"); a shift is one dated stint of a role with a capacity. Sign-ups take
places with core.capacity (a team books 1 + len(team) places at once); a full shift puts the
sign-up on a waitlist that promotes in arrival order.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core import when
from core.capacity import capacity_constraints
from core.models import Access, Place, TimeStampedModel
from core.recurrence import first_occurrence, normalize_rrule
from core.timezones import timezone_names, validate_timezone
from core.validators import validate_plain_text, validate_single_line
from groups.models import Group, active_member_q

# As long as an organizer's message to people going may be (events has the same limit).
CANCELLATION_MESSAGE_MAX_LENGTH = 2000

PROJECT_FIELDS = (
    "title",
    "description",
    "cause",
    "remote",
    "timezone",
    "venue_name",
    "address",
    "city",
    "latitude",
    "longitude",
    "starts_on",
    "ends_on",
    "contact",
    "minimum_age",
    "skills",
    "waiver_text",
)
ROLE_FIELDS = ("name", "description", "skills")
SHIFT_FIELDS = (
    "starts_at",
    "ends_at",
    "timezone",
    "venue_name",
    "address",
    "city",
    "latitude",
    "longitude",
    "capacity",
    "step_free_access",
    "quiet_room",
    "sign_language",
    "accessibility_notes",
    "notes",
)
SHIFT_SERIES_FIELDS = (
    "rrule",
    "first_starts_at",
    "duration",
    "timezone",
    "venue_name",
    "address",
    "city",
    "latitude",
    "longitude",
    "capacity",
    "horizon_days",
    "ended_at",
)
MAX_TEAM_SIZE = 10
MAX_HORIZON_DAYS = 366
MAX_SHIFT_LENGTH = dt.timedelta(days=2)


def split_skills(text: str) -> list[str]:
    """ "Driving, first aid" -> ["Driving", "first aid"] (blank entries dropped, order kept)."""
    seen: dict[str, str] = {}
    for part in (text or "").split(","):
        name = part.strip()
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


class Cause(models.TextChoices):
    FOOD = "food", _("Food and hunger")
    HOUSING = "housing", _("Housing and homelessness")
    HEALTH = "health", _("Health and care")
    ELDERLY = "elderly", _("Older people")
    CHILDREN = "children", _("Children and youth")
    EDUCATION = "education", _("Education and literacy")
    ENVIRONMENT = "environment", _("Environment")
    ANIMALS = "animals", _("Animals")
    ARTS = "arts", _("Arts and culture")
    COMMUNITY = "community", _("Community")
    REFUGEES = "refugees", _("Refugees and newcomers")
    OTHER = "other", _("Other")


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects the user may open: those of groups whose content the user may see."""
        return self.filter(group__in=Group.objects.content_visible_to(user))

    def listed_for(self, user):
        """Projects in listings, search and feeds: public groups', plus the user's own groups'."""
        return self.filter(
            group__in=Group.objects.content_visible_to(user).filter(
                Q(visibility=Group.Visibility.PUBLIC) | active_member_q(user)
            )
        )

    def active(self):
        return self.filter(status=VolunteerProject.Status.ACTIVE)


class VolunteerProject(Place, TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="volunteer_projects")
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown"), validators=[validate_plain_text]
    )
    cause = models.CharField(_("cause"), max_length=20, choices=Cause)
    remote = models.BooleanField(
        _("remote"), default=False, help_text=_("Volunteers help from home; no place needed.")
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The coordinator volunteers hear from; told when someone withdraws."),
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    skills = models.CharField(
        _("skills wanted"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas, e.g. driving, cooking"),
        validators=[validate_single_line],
    )
    waiver_text = models.TextField(
        _("agreement or waiver"),
        blank=True,
        help_text=_("Volunteers accept it before their first sign-up. Markdown."),
        validators=[validate_plain_text],
    )
    waiver_version = models.PositiveIntegerField(_("waiver version"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("volunteer project")
        verbose_name_plural = _("volunteer projects")
        indexes = [models.Index(fields=["status", "cause"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteering:project", kwargs={"slug": self.slug})

    def clean(self):
        """A place unless the project is remote, coordinates as a pair, and dates in order."""
        super().clean()
        errors = self.place_errors(
            elsewhere=self.remote, message=_("Give a venue or an address, or mark it remote.")
        )
        for name in ("starts_on", "ends_on"):
            value = getattr(self, name)
            if value is not None and not when.EARLIEST_DATE <= value <= when.LATEST_DATE:
                errors[name] = when.date_range_error().messages
        if "starts_on" in errors or "ends_on" in errors:
            raise ValidationError(errors)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = [_("The project must end on or after its start.")]
        if errors:
            raise ValidationError(errors)

    @property
    def skill_list(self) -> list[str]:
        return split_skills(self.skills)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_waiver(self) -> bool:
        return bool(self.waiver_text.strip())

    @property
    def waiver_sha256(self) -> str:
        return hashlib.sha256(self.waiver_text.encode()).hexdigest()

    @property
    def public_city(self) -> str:
        return self.city or self.group.city


class Role(TimeStampedModel):
    project = models.ForeignKey(VolunteerProject, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True, validators=[validate_plain_text])
    skills = models.CharField(
        _("skills"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas"),
        validators=[validate_single_line],
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="role_unique_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def skill_list(self) -> list[str]:
        return split_skills(self.skills)


class ShiftSeries(Place, TimeStampedModel):
    """A repeating shift: an RFC 5545 RRULE whose occurrences are ordinary Shift rows, made over
    a rolling horizon by the same machinery as events' series (core.recurrence)."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="series")
    rrule = models.CharField(
        _("repeats"),
        max_length=500,
        help_text=_("RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=SA"),
        validators=[validate_single_line],
    )
    first_starts_at = models.DateTimeField(_("first shift starts"))
    duration = models.DurationField(_("duration"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave blank for no limit.")
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("create shifts this many days ahead"), default=60
    )
    materialized_until = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(_("stopped repeating"), null=True, blank=True)

    class Meta:
        verbose_name = _("repeating shift")
        verbose_name_plural = _("repeating shifts")

    def __str__(self):
        return f"{self.role} ({self.rrule})"

    def clean(self):
        """Coordinates as a pair, a length, a horizon and a valid rule that gives a date; the rule
        is kept in its canonical form. (The place may be the project's.)"""
        errors = self.place_errors(elsewhere=True)
        if self.first_starts_at is not None and not when.in_date_range(
            self.first_starts_at, self.timezone
        ):
            # Out of range, the rule's arithmetic below could overflow: say so first.
            raise ValidationError({"first_starts_at": when.date_range_error().messages})
        if self.duration is not None and not dt.timedelta(0) < self.duration <= MAX_SHIFT_LENGTH:
            errors["duration"] = [_("A shift lasts more than 0 and up to 48 hours.")]
        if self.horizon_days is not None and not 1 <= self.horizon_days <= MAX_HORIZON_DAYS:
            errors["horizon_days"] = [
                _("Create shifts 1 to %(max)s days ahead.") % {"max": MAX_HORIZON_DAYS}
            ]
        if self.rrule and self.first_starts_at is not None and self.timezone in timezone_names():
            try:
                self.rrule = normalize_rrule(self.rrule, timezone=self.timezone)
                first = first_occurrence(
                    rule=self.rrule, first_starts_at=self.first_starts_at, timezone=self.timezone
                )
            except ValidationError as error:
                errors["rrule"] = error.messages
            else:
                if first is None or (self.ended_at is not None and first > self.ended_at):
                    errors["rrule"] = [_("This rule never gives a date after the first start.")]
        if errors:
            raise ValidationError(errors)


class ShiftQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(role__project__group__in=Group.objects.content_visible_to(user))

    def listed_for(self, user):
        return self.filter(role__project__in=VolunteerProject.objects.listed_for(user))

    def upcoming(self, now: dt.datetime | None = None):
        return self.filter(ends_at__gt=now or dj_timezone.now())

    def scheduled(self):
        return self.filter(status=Shift.Status.SCHEDULED)

    def open(self, now: dt.datetime | None = None):
        """Scheduled shifts that have not started, of active projects."""
        return self.scheduled().filter(
            starts_at__gt=now or dj_timezone.now(),
            role__project__status=VolunteerProject.Status.ACTIVE,
        )


class Shift(Place, Access, TimeStampedModel):
    """One dated stint of a role. An empty place means the project's place."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="shifts")
    series = models.ForeignKey(
        ShiftSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts"
    )
    recurrence_id = models.DateTimeField(_("original start in the series"), null=True, blank=True)
    edited_from_series = models.BooleanField(default=False)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave blank for no limit.")
    )
    seats_taken = models.PositiveIntegerField(_("places taken"), default=0)
    notes = models.TextField(
        _("notes for volunteers"), blank=True, validators=[validate_plain_text]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancellation_message = models.TextField(
        _("message to volunteers"),
        blank=True,
        validators=[validate_plain_text, MaxLengthValidator(CANCELLATION_MESSAGE_MAX_LENGTH)],
    )

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            *capacity_constraints("shift"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_id"],
                condition=Q(series__isnull=False),
                name="shift_one_per_series_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["role", "starts_at"]),
        ]

    def __str__(self):
        return f"{self.role} {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("volunteering:shift", kwargs={"slug": self.role.project.slug, "pk": self.pk})

    def clean(self):
        """Coordinates as a pair, an end after the start within 48 hours, and a capacity no lower
        than the places already taken."""
        errors = self.place_errors(elsewhere=True)
        starts, ends = self.starts_at, self.ends_at
        for name, value in (("starts_at", starts), ("ends_at", ends)):
            if value is not None and not when.in_date_range(value, self.timezone):
                errors[name] = when.date_range_error().messages
        if "starts_at" in errors or "ends_at" in errors:
            raise ValidationError(errors)
        if starts is not None and ends is not None:
            if ends <= starts:
                errors["ends_at"] = [_("The shift must end after it starts.")]
            elif ends - starts > MAX_SHIFT_LENGTH:
                errors["ends_at"] = [_("A shift lasts up to 48 hours.")]
        if self.capacity is not None and self.capacity < (self.seats_taken or 0):
            errors["capacity"] = [
                _("%(taken)s places are already taken: the capacity cannot be lower than that.")
                % {"taken": self.seats_taken}
            ]
        if errors:
            raise ValidationError(errors)

    @property
    def project(self) -> VolunteerProject:
        return self.role.project

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def has_ended(self, now: dt.datetime | None = None) -> bool:
        return when.has_ended(self.ends_at, now)

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return when.has_started(self.starts_at, now)

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_left == 0

    @property
    def place(self) -> Place:
        """Where the shift happens: its own place, else its project's."""
        return self if self.has_place else self.role.project


class ShiftSignup(TimeStampedModel):
    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        WAITLISTED = "waitlisted", _("On the waitlist")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class AgeConsent(models.TextChoices):
        NOT_NEEDED = "", _("Not needed")
        CONFIRMED = "confirmed", _("Volunteer confirmed the minimum age")
        GUARDIAN = "guardian", _("A parent or guardian consented")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    team = models.JSONField(
        _("team members"),
        default=list,
        blank=True,
        help_text=_("Names of the people coming with the volunteer; each takes a place."),
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    waitlist_position = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("Arrival order on the waitlist.")
    )
    age_consent = models.CharField(
        _("minimum age"), max_length=10, choices=AgeConsent.choices, blank=True, default=""
    )
    guardian_name = models.CharField(
        _("parent or guardian"), max_length=200, blank=True, validators=[validate_single_line]
    )
    age_consent_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="shift_signup_one_per_user"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlist_position__isnull=False),
                name="shift_signup_waitlist_has_position",
            ),
        ]
        indexes = [models.Index(fields=["shift", "status", "waitlist_position"])]

    def __str__(self):
        return f"{self.user} → {self.shift} ({self.status})"

    @property
    def seats(self) -> int:
        return 1 + len(self.team or [])

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.SIGNED_UP, self.Status.WAITLISTED)


class WaiverAcceptance(models.Model):
    """A volunteer accepted a project's waiver: which version, the text's SHA-256, and when."""

    project = models.ForeignKey(
        VolunteerProject, on_delete=models.CASCADE, related_name="waiver_acceptances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waiver_acceptances"
    )
    version = models.PositiveIntegerField(_("version"))
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)
    accepted_at = models.DateTimeField(_("accepted"), default=dj_timezone.now)

    class Meta:
        verbose_name = _("waiver acceptance")
        verbose_name_plural = _("waiver acceptances")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user", "version"], name="waiver_accepted_once_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.user} accepted {self.project} v{self.version}"


from volunteering.care_models import *  # noqa: E402, F403 - care calendars (volunteering.care)
from volunteering.models_hours import HoursEntry, HoursStatement  # noqa: E402, F401 - hours
