"""Events, recurring series and RSVPs."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import validate_timezone
from core.capacity import capacity_constraints
from core.models import Category, TimeStampedModel, latitude_field, longitude_field
from core.validators import validate_single_line
from groups.models import Group, active_member_q


class Tag(models.Model):
    name = models.CharField(
        _("name"), max_length=40, unique=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("slug"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class EventDetails(TimeStampedModel):
    """What a single event and a recurring series share: the template of an occurrence."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    venue_name = models.CharField(
        _("venue"), max_length=200, blank=True, validators=[validate_single_line]
    )
    address = models.CharField(
        _("address"), max_length=300, blank=True, validators=[validate_single_line]
    )
    city = models.CharField(
        _("city"),
        max_length=100,
        blank=True,
        help_text=_("Shown to everyone. Leave blank to use the group's city."),
        validators=[validate_single_line],
    )
    latitude = latitude_field()
    longitude = longitude_field()
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to people who RSVP'd.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave blank for no limit.")
    )
    guests_allowed = models.PositiveSmallIntegerField(
        _("guests allowed per RSVP"), default=0, validators=[MaxValueValidator(20)]
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    quiet_room = models.BooleanField(_("quiet room available"), default=False)
    sign_language = models.BooleanField(_("sign language interpretation"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    newcomers_welcome = models.BooleanField(_("newcomers welcome"), default=True)
    cost_note = models.CharField(
        _("cost"),
        max_length=100,
        blank=True,
        help_text=_("For example: free, sliding scale"),
        validators=[validate_single_line],
    )

    class Meta:
        abstract = True

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.address

    @property
    def public_city(self) -> str:
        """The city everyone may know: the event's own, else its group's."""
        return self.city or self.group.city


class EventSeries(EventDetails):
    """A recurring event: an RFC 5545 RRULE that materializes occurrences as ordinary events."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="series")
    rrule = models.CharField(
        _("repeats"), max_length=500, help_text=_("RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=TU")
    )
    first_starts_at = models.DateTimeField(_("first occurrence starts"))
    duration = models.DurationField(_("duration"))
    horizon_days = models.PositiveSmallIntegerField(
        _("create occurrences this many days ahead"), default=90
    )
    materialized_until = models.DateTimeField(null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="series")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("stopped repeating"), null=True, blank=True)

    class Meta:
        verbose_name = _("recurring event")
        verbose_name_plural = _("recurring events")

    def __str__(self):
        return f"{self.title} ({self.rrule})"


class EventQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=dj_timezone.now())

    def past(self):
        return self.filter(ends_at__lt=dj_timezone.now())

    def scheduled(self):
        return self.filter(status=Event.Status.SCHEDULED)

    def visible_to(self, user):
        """Events the user may open: those of groups whose content the user may see."""
        return self.filter(group__in=Group.objects.content_visible_to(user))

    def listed_for(self, user):
        """Events shown in listings, search and feeds: public groups', plus the user's own groups'
        (never an unlisted group's to outsiders, never a private group's to non-members)."""
        return self.filter(
            group__in=Group.objects.content_visible_to(user).filter(
                Q(visibility=Group.Visibility.PUBLIC) | active_member_q(user)
            )
        )


class Event(EventDetails):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="events")
    series = models.ForeignKey(
        EventSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="occurrences"
    )
    edited_from_series = models.BooleanField(
        default=False, help_text=_("Edited on its own; series edits no longer change it.")
    )
    # The slot of the series rule this occurrence was made for (iCalendar's RECURRENCE-ID). It
    # stays put when the occurrence is moved on its own, so the slot is not materialized again.
    recurrence_id = models.DateTimeField(_("original start in the series"), null=True, blank=True)
    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0)
    rsvp_opens_at = models.DateTimeField(_("RSVPs open"), null=True, blank=True)
    rsvp_closes_at = models.DateTimeField(_("RSVPs close"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancellation_message = models.TextField(_("message to attendees"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="events")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            *capacity_constraints("event"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "starts_at"],
                condition=Q(series__isnull=False),
                name="event_one_occurrence_per_start",
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_id"],
                condition=Q(series__isnull=False),
                name="event_one_occurrence_per_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["group", "starts_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)


class Rsvp(TimeStampedModel):
    class Status(models.TextChoices):
        GOING = "going", _("Going")
        WAITLISTED = "waitlisted", _("On the waitlist")
        NOT_GOING = "not_going", _("Not going")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    waitlist_position = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("Arrival order on the waitlist.")
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="rsvp_one_per_user"),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlist_position"])]

    def __str__(self):
        return f"{self.user} → {self.event} ({self.status})"

    @property
    def seats(self) -> int:
        return 1 + self.guests
