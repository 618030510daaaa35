"""Care calendars ("let people show up for you"): a calendar of help for one person going through
a hard time, its slots (dated or repeating), the helpers who take them, and updates to helpers.

The recipient's address and private notes are for the calendar's coordinators and for helpers
with a confirmed slot only: `volunteering.care.permissions.can_see_care_private` decides it
everywhere (pages, the slot feed, emails, exports, search, error messages).
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import when
from core.capacity import capacity_constraints
from core.models import TimeStampedModel
from core.recurrence import first_occurrence, normalize_rrule
from core.timezones import timezone_names, validate_timezone
from core.validators import validate_plain_text, validate_single_line
from groups.models import Group, active_member_q

__all__ = [
    "CareCalendar",
    "CareCoordinator",
    "CareHelper",
    "CareSignup",
    "CareSlot",
    "CareSlotSeries",
    "CareUpdate",
    "HelpKind",
]

MAX_SLOT_LENGTH = dt.timedelta(days=2)
MAX_HORIZON_DAYS = 120
MAX_HELPERS_PER_SLOT = 20


def new_care_code() -> str:
    """The calendar's web address: random, so an address says nothing about who is ill."""
    return secrets.token_urlsafe(12)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class HelpKind(models.TextChoices):
    MEAL = "meal", _("Meals")
    RIDE = "ride", _("Rides")
    VISIT = "visit", _("Visits")
    ERRAND = "errand", _("Errands")
    CHILDCARE = "childcare", _("Childcare")
    OTHER = "other", _("Other help")


def validate_help_kinds(value) -> None:
    allowed = set(HelpKind.values)
    if not isinstance(value, list) or any(item not in allowed for item in value):
        raise ValidationError(_("Choose the kinds of help from the list."), code="help_kinds")


# The fields a coordinator sets on a calendar, named once (form, services, demo data).
CALENDAR_FIELDS = (
    "title",
    "recipient_name",
    "about",
    "help_needed",
    "dietary_notes",
    "access_notes",
    "address",
    "private_notes",
    "timezone",
    "visibility",
)
# What only coordinators and helpers with a confirmed slot may read.
PRIVATE_FIELDS = ("address", "private_notes")


class CareCalendarQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Calendars the user may open: its coordinators and recipient; the group's active
        members for a group calendar; people who accepted the invitation for an invited-only
        one. Closed calendars stay visible to the people who may see them."""
        if user is None or not user.is_authenticated:
            return self.none()
        group_members = Q(visibility=CareCalendar.Visibility.GROUP) & active_member_q(
            user, prefix="group__"
        )
        return self.filter(
            group_members
            | Q(recipient=user)
            | Q(pk__in=CareCoordinator.objects.filter(user=user).values("calendar_id"))
            | Q(pk__in=CareHelper.objects.filter(user=user, invited=True).values("calendar_id"))
        )


class CareCalendar(TimeStampedModel):
    class Visibility(models.TextChoices):
        GROUP = "group", _("The group's members")
        INVITED = "invited", _("Only people I invite with a link")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="care_calendars")
    code = models.CharField(max_length=32, unique=True, default=new_care_code, editable=False)
    title = models.CharField(
        _("title"),
        max_length=150,
        validators=[validate_single_line],
        help_text=_("For example: Meals for Sam after the operation"),
    )
    recipient_name = models.CharField(
        _("who the help is for"), max_length=100, validators=[validate_single_line]
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_calendars_for_me",
        verbose_name=_("recipient's account"),
    )
    about = models.TextField(
        _("what is going on"), blank=True, help_text=_("Markdown"), validators=[validate_plain_text]
    )
    help_needed = models.JSONField(
        _("help needed"), default=list, blank=True, validators=[validate_help_kinds]
    )
    dietary_notes = models.TextField(
        _("dietary notes"), blank=True, validators=[validate_plain_text]
    )
    access_notes = models.TextField(
        _("access notes"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Stairs, parking, pets, the best time to knock."),
    )
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Shown only to coordinators and to helpers with a confirmed slot."),
    )
    private_notes = models.TextField(
        _("private notes"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Door codes, phone numbers: only coordinators and confirmed helpers see them."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    visibility = models.CharField(
        _("who may see it"), max_length=10, choices=Visibility.choices, default=Visibility.GROUP
    )
    invitation_token = models.CharField(
        max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CareCalendarQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("care calendar")
        verbose_name_plural = _("care calendars")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteering:care:detail", kwargs={"code": self.code})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def help_labels(self) -> list[str]:
        labels = dict(HelpKind.choices)
        return [str(labels[kind]) for kind in self.help_needed if kind in labels]


class CareCoordinator(models.Model):
    """Who runs a calendar: the person who opened it and the people they add."""

    calendar = models.ForeignKey(
        CareCalendar, on_delete=models.CASCADE, related_name="coordinators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_coordinating"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["calendar", "user"], name="care_coordinator_once")
        ]

    def __str__(self):
        return f"{self.user} coordinates {self.calendar_id}"


class CareHelper(models.Model):
    """A person's standing with one calendar: they accepted its invitation (an invited-only
    calendar), and how many slots a week they are willing to take (none: no cap)."""

    calendar = models.ForeignKey(CareCalendar, on_delete=models.CASCADE, related_name="helpers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_helping"
    )
    invited = models.BooleanField(default=False)
    weekly_limit = models.PositiveSmallIntegerField(
        _("at most this many slots a week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(21)],
        help_text=_("Leave blank for no limit."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["calendar", "user"], name="care_helper_once")
        ]

    def __str__(self):
        return f"{self.user} helps {self.calendar_id}"


class CareSlotSeries(TimeStampedModel):
    """A repeating slot ("a meal every Tuesday and Thursday at 18:00"), made into ordinary
    slots over a rolling horizon."""

    calendar = models.ForeignKey(CareCalendar, on_delete=models.CASCADE, related_name="series")
    kind = models.CharField(_("kind of help"), max_length=12, choices=HelpKind.choices)
    title = models.CharField(
        _("what"), max_length=150, blank=True, validators=[validate_single_line]
    )
    rrule = models.CharField(
        _("repeats"),
        max_length=500,
        help_text=_("RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=TU,TH"),
        validators=[validate_single_line],
    )
    first_starts_at = models.DateTimeField(_("first slot starts"))
    duration = models.DurationField(_("length"))
    capacity = models.PositiveSmallIntegerField(
        _("helpers per slot"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HELPERS_PER_SLOT)],
    )
    horizon_days = models.PositiveSmallIntegerField(default=28)
    materialized_until = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.get_kind_display()} ({self.rrule})"

    def clean(self):
        zone = self.calendar.timezone if self.calendar_id else "UTC"
        if self.first_starts_at is not None and not when.in_date_range(
            self.first_starts_at, zone if zone in timezone_names() else "UTC"
        ):
            # Out of range, the rule's arithmetic below could overflow: say so first.
            raise ValidationError({"first_starts_at": when.date_range_error().messages})
        errors = {}
        if self.duration is not None and not dt.timedelta(0) < self.duration <= MAX_SLOT_LENGTH:
            errors["duration"] = [_("A slot lasts more than 0 minutes and up to 2 days.")]
        if self.horizon_days is not None and not 1 <= self.horizon_days <= MAX_HORIZON_DAYS:
            errors["horizon_days"] = [
                _("Make slots 1 to %(max)s days ahead.") % {"max": MAX_HORIZON_DAYS}
            ]
        zone = self.calendar.timezone if self.calendar_id else "UTC"
        if self.rrule and self.first_starts_at is not None and zone in timezone_names():
            try:
                self.rrule = normalize_rrule(self.rrule, timezone=zone)
                first = first_occurrence(
                    rule=self.rrule, first_starts_at=self.first_starts_at, timezone=zone
                )
            except ValidationError as error:
                errors["rrule"] = error.messages
            else:
                if first is None:
                    errors["rrule"] = [_("This rule never gives a date after the first start.")]
        if errors:
            raise ValidationError(errors)


class CareSlotQuerySet(models.QuerySet):
    def upcoming(self, now: dt.datetime | None = None):
        from django.utils import timezone as dj_timezone

        return self.filter(ends_at__gt=now or dj_timezone.now())


class CareSlot(TimeStampedModel):
    """One time someone can help: a meal on Tuesday at 18:00, a ride on Friday morning. One
    helper unless the coordinator allows more (`capacity`, taken with core.capacity)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CANCELLED = "cancelled", _("Cancelled")

    calendar = models.ForeignKey(CareCalendar, on_delete=models.CASCADE, related_name="slots")
    series = models.ForeignKey(
        CareSlotSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )
    recurrence_id = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(_("kind of help"), max_length=12, choices=HelpKind.choices)
    title = models.CharField(
        _("what"),
        max_length=150,
        blank=True,
        validators=[validate_single_line],
        help_text=_("For example: dinner for two, no nuts"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(
        _("helpers needed"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HELPERS_PER_SLOT)],
    )
    seats_taken = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    objects = CareSlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("care slot")
        verbose_name_plural = _("care slots")
        constraints = [
            *capacity_constraints("care_slot"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="care_slot_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_id"],
                condition=Q(series__isnull=False),
                name="care_slot_one_per_series_slot",
            ),
        ]
        indexes = [models.Index(fields=["calendar", "starts_at"])]

    def __str__(self):
        return self.title or self.get_kind_display()

    @property
    def label(self) -> str:
        return self.title or str(self.get_kind_display())

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.capacity

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return when.has_started(self.starts_at, now)

    @property
    def when_html(self):
        """From-to in the calendar's time zone, named (core.when)."""
        return when.span_html(self.starts_at, self.ends_at, self.calendar.timezone)

    def clean(self):
        zone = self.calendar.timezone if self.calendar_id else "UTC"
        zone = zone if zone in timezone_names() else "UTC"
        errors = {}
        for name in ("starts_at", "ends_at"):
            value = getattr(self, name)
            if value is not None and not when.in_date_range(value, zone):
                errors[name] = when.date_range_error().messages
        if errors:
            raise ValidationError(errors)
        if self.starts_at is not None and self.ends_at is not None:
            if self.ends_at <= self.starts_at:
                errors["ends_at"] = [_("The slot must end after it starts.")]
            elif self.ends_at - self.starts_at > MAX_SLOT_LENGTH:
                errors["ends_at"] = [_("A slot lasts up to 2 days.")]
        if self.capacity is not None and self.capacity < (self.seats_taken or 0):
            errors["capacity"] = [
                _("%(taken)s helpers have already taken this slot.") % {"taken": self.seats_taken}
            ]
        if errors:
            raise ValidationError(errors)


class CareSignup(TimeStampedModel):
    """A helper's place on a slot. Released by the helper, or cancelled with the slot."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        RELEASED = "released", _("Released")
        CANCELLED = "cancelled", _("Slot cancelled")

    slot = models.ForeignKey(CareSlot, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_signups"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "user"], name="care_signup_once"),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.user} → slot {self.slot_id} ({self.status})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class CareUpdate(models.Model):
    """News or thanks from the recipient or a coordinator, to the calendar's helpers."""

    calendar = models.ForeignKey(CareCalendar, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("update"), max_length=4000, validators=[validate_plain_text])
    is_thanks = models.BooleanField(_("this is a thank-you"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"update {self.pk} on {self.calendar_id}"
