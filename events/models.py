"""Events, recurring series and RSVPs."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import connections, models
from django.db.models import (
    BooleanField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Value,
)
from django.db.models.lookups import GreaterThan
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import when
from core.capacity import capacity_constraints
from core.models import Access, Category, Place, TimeStampedModel
from core.pictures import ALT_MAX_LENGTH as PICTURE_ALT_MAX_LENGTH
from core.pictures import FOLDER as PICTURE_FOLDER
from core.pictures import picture_alt_required
from core.recurrence import first_occurrence, normalize_rrule
from core.timezones import timezone_names, validate_timezone
from core.validators import validate_plain_text, validate_single_line
from groups.models import Group, active_member_q

# The fields a person sets on an event, named once: the form, the services, the admin and the
# demo data use these. DETAIL_FIELDS are what a single event and a recurring series share.
DETAIL_FIELDS = (
    "title",
    "description",
    "category",
    "timezone",
    "venue_name",
    "address",
    "city",
    "latitude",
    "longitude",
    "online_url",
    "capacity",
    "guests_allowed",
    "cost_note",
    "newcomers_welcome",
    "step_free_access",
    "quiet_room",
    "sign_language",
    "accessibility_notes",
)
EVENT_TIME_FIELDS = ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at")
EVENT_FIELDS = DETAIL_FIELDS + EVENT_TIME_FIELDS
SERIES_RULE_FIELDS = ("rrule", "first_starts_at", "duration")
SERIES_FIELDS = (*DETAIL_FIELDS, "horizon_days", "ended_at")
MAX_HORIZON_DAYS = 366
MAX_DURATION = dt.timedelta(days=14)
# The longest message to attendees of a cancelled date (the form's limit too).
CANCELLATION_MESSAGE_MAX_LENGTH = 2000
# The dates an event or series may have (core.when): every date and time of an event or series
# is checked against them first, by clean(), for the form, services and admin.
EARLIEST_DATE, LATEST_DATE = when.EARLIEST_DATE, when.LATEST_DATE
date_range_error = when.date_range_error
check_date_range = when.check_date_range
_in_date_range = when.in_date_range


class Tag(models.Model):
    name = models.CharField(
        _("name"), max_length=40, unique=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("slug"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class EventDetails(Place, Access, TimeStampedModel):
    """What a single event and a recurring series share: the template of an occurrence."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown"), validators=[validate_plain_text]
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to people who RSVP'd."),
        # URLValidator lets a NUL byte through in the path; PostgreSQL would refuse it.
        validators=[validate_single_line],
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave blank for no limit.")
    )
    guests_allowed = models.PositiveSmallIntegerField(
        _("guests allowed per RSVP"), default=0, validators=[MaxValueValidator(20)]
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    newcomers_welcome = models.BooleanField(_("newcomers welcome"), default=True)
    cost_note = models.CharField(
        _("cost"),
        max_length=100,
        blank=True,
        help_text=_("For example: free, sliding scale"),
        validators=[validate_single_line],
    )
    # The picture and its card version: random names (core.pictures), set by the services.
    # A series' picture goes on each of its dates, which share its stored files.
    picture = models.ImageField(
        _("picture"), upload_to=PICTURE_FOLDER, max_length=200, blank=True, editable=False
    )
    picture_card = models.ImageField(
        _("small picture"), upload_to=PICTURE_FOLDER, max_length=200, blank=True, editable=False
    )
    picture_alt = models.CharField(
        _("what the picture shows"),
        max_length=PICTURE_ALT_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
    )

    class Meta:
        abstract = True

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.address

    def clean(self):
        """The rules about where: somewhere to go (a venue, an address or an online link), and
        coordinates as a pair; and a picture's description when it has one."""
        super().clean()
        errors = self.place_errors(
            elsewhere=bool(self.online_url),
            message=_("Give a venue, an address or an online link."),
        )
        if self.picture and not self.picture_alt.strip():
            errors.setdefault("picture_alt", []).append(picture_alt_required())
        if errors:
            raise ValidationError(errors)

    def date_range_errors(self, names) -> dict[str, list]:
        """{field: [message]} for the dates and times out of EARLIEST_DATE..LATEST_DATE; the
        other rules about times run only when this is empty, as they compute with them."""
        errors = {}
        for name in names:
            value = getattr(self, name)
            if isinstance(value, dt.datetime) and not _in_date_range(value, self.timezone):
                errors[name] = date_range_error().messages
        return errors

    @property
    def public_city(self) -> str:
        """The city everyone may know: the event's own, else its group's."""
        return self.city or self.group.city


class EventSeries(EventDetails):
    """A recurring event: an RFC 5545 RRULE that materializes occurrences as ordinary events."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="series")
    rrule = models.CharField(
        _("repeats"),
        max_length=500,
        help_text=_("RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=TU"),
        validators=[validate_single_line],
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

    def clean(self):
        """Every rule of one series: where (EventDetails), how long an occurrence lasts, how far
        ahead dates are made, and a repeat rule that is valid and gives a first date. The rule
        is kept in its canonical form."""
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.update_error_dict({}))
        if self.duration is not None and not dt.timedelta(0) < self.duration <= MAX_DURATION:
            errors["duration"] = [_("An occurrence lasts more than 0 and up to 14 days.")]
        if self.horizon_days is not None and not 1 <= self.horizon_days <= MAX_HORIZON_DAYS:
            errors["horizon_days"] = [
                _("Create occurrences 1 to %(max)s days ahead.") % {"max": MAX_HORIZON_DAYS}
            ]
        out_of_range = self.date_range_errors(("first_starts_at", "ended_at"))
        errors.update(out_of_range)
        if (
            self.rrule
            and self.first_starts_at is not None
            and self.timezone in timezone_names()
            and not out_of_range
        ):
            try:
                self.rrule = normalize_rrule(self.rrule, timezone=self.timezone)
                self._check_until()
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

    def _check_until(self) -> None:
        """UNTIL within the dates events may have, read in the series' zone."""
        for part in self.rrule.split(";"):
            name, _sep, value = part.partition("=")
            if name == "UNTIL":
                until = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
                if not _in_date_range(until, self.timezone):
                    raise date_range_error()

    @property
    def is_running(self) -> bool:
        """Still repeating: not stopped, or stopped for a later moment."""
        return self.ended_at is None or not when.has_ended(self.ended_at)

    @property
    def rule_parts(self) -> dict[str, str]:
        parts = {}
        for part in (self.rrule or "").split(";"):
            name, _sep, value = part.partition("=")
            parts[name.strip().upper()] = value.strip().upper()
        return parts

    @property
    def is_weekly(self) -> bool:
        """Once a week (FREQ=WEEKLY, every week, one weekday)."""
        parts = self.rule_parts
        return (
            parts.get("FREQ") == "WEEKLY"
            and parts.get("INTERVAL", "1") == "1"
            and "," not in parts.get("BYDAY", "")
        )

    @property
    def frequency_label(self) -> str:
        """How often it repeats, in a word or two for lists: "weekly", "every 2 weeks"."""
        parts = self.rule_parts
        try:
            interval = int(parts.get("INTERVAL", "1"))
        except ValueError:
            interval = 1
        freq = parts.get("FREQ")
        if interval > 1:
            labels = {
                "DAILY": ngettext("every %(n)s day", "every %(n)s days", interval),
                "WEEKLY": ngettext("every %(n)s week", "every %(n)s weeks", interval),
                "MONTHLY": ngettext("every %(n)s month", "every %(n)s months", interval),
                "YEARLY": ngettext("every %(n)s year", "every %(n)s years", interval),
            }
            return labels.get(freq, gettext("repeats")) % {"n": interval}
        labels = {
            "DAILY": gettext("daily"),
            "WEEKLY": gettext("weekly"),
            "MONTHLY": gettext("monthly"),
            "YEARLY": gettext("yearly"),
        }
        return labels.get(freq, gettext("repeats"))


def ended_q(now: dt.datetime | None = None, *, prefix: str = "") -> Q:
    """Rows (or rows whose event is at `prefix`) that have ended: core.when.has_ended in SQL."""
    return Q(**{f"{prefix}ends_at__lte": now or dj_timezone.now()})


# Events lasting longer than this are "long": the "upcoming" lists read them from their own
# small index (see EventQuerySet.upcoming); every other event starts its scan at now minus this.
LONG_EVENT = dt.timedelta(days=1)


def long_event_q() -> Q:
    """Events lasting longer than LONG_EVENT (the predicate of the partial index on them)."""
    duration = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    return Q(GreaterThan(duration, Value(LONG_EVENT, output_field=DurationField())))


class AnyOf(ExpressionWrapper):
    """A filter that holds when any of `alternatives` (Q objects) holds; `condition` is their
    OR, or an equivalent the database answers better as one. A page of upcoming events in start
    order (EventQuerySet.merged_upcoming) reads each alternative apart, so that the planner
    estimates each from its own statistics and picks its own index (an OR of a rare and a
    common part is estimated as one guess for both), and merges them; anything else filters
    by `condition`."""

    def __init__(self, condition: Q, alternatives: list[Q]):
        super().__init__(condition, output_field=BooleanField())
        self.alternatives = list(alternatives)


def _take_any_of(query) -> list[Q] | None:
    """Remove the first AnyOf filtered on at the top of `query` (a clone's) and return its
    alternatives; None when there is none."""
    if query.where.connector != Q.AND or query.where.negated:
        return None
    for index, child in enumerate(query.where.children):
        expression = getattr(child, "lhs", child)
        if isinstance(expression, AnyOf) and getattr(child, "rhs", True) is True:
            del query.where.children[index]
            return expression.alternatives
    return None


class EventQuerySet(models.QuerySet):
    def upcoming(self, now: dt.datetime | None = None, *, since: dt.datetime | None = None):
        """Events that have not ended.

        A page of them in start order (sliced, ordered by `starts_at` first) is read on
        PostgreSQL as two ordered, index-served parts merged in one statement (UNION ALL; two
        parts for each alternative of an AnyOf filter): events starting from now minus
        LONG_EVENT (the `(starts_at, id)` index; nothing shorter that started earlier can still
        be on), and long events started before that and not ended (a
        partial index on long events' `ends_at`: a handful). So the scan never walks the site's
        history, however long an event an organizer makes. Anything else (a count, a whole
        list, SQLite) reads the plain condition.

        `since` is now minus LONG_EVENT, given by a caller that binds it into compiled SQL as a
        value of its own (core.compiled); computed here otherwise."""
        now = now or dj_timezone.now()
        queryset = self.exclude(ended_q(now))
        queryset.query.upcoming_now = now
        queryset.query.upcoming_since = since
        return queryset

    def merged_upcoming(self, since: dt.datetime | None = None):
        """This sliced page of upcoming events as the two-part statement `upcoming` describes,
        or None when it does not apply (not PostgreSQL, not sliced, not in start order...).
        `since` is the upcoming time minus LONG_EVENT, given by a caller that computed it (a
        query compiled once, core.compiled, binds it as a value of its own)."""
        query = self.query
        now = getattr(query, "upcoming_now", None)
        if (
            now is None
            or query.high_mark is None
            or connections[self.db].vendor != "postgresql"
            or query.combinator
            or query.distinct
            or query.select_for_update
            or self._iterable_class is not ModelIterable
        ):
            return None
        default = self.model._meta.ordering if query.default_ordering else ()
        ordering = list(query.order_by or default)
        if not ordering or not all(isinstance(name, str) for name in ordering):
            return None
        ordering = ["id" if name == "pk" else "-id" if name == "-pk" else name for name in ordering]
        # The merged statement orders by its own columns: the event's fields only.
        columns = {field.attname for field in self.model._meta.concrete_fields}
        if ordering[0] != "starts_at" or any(n.lstrip("-") not in columns for n in ordering):
            return None
        low, high = query.low_mark, query.high_mark
        base = self._chain()
        base.query.clear_limits()
        base.query.upcoming_now = None
        if since is None:
            since = getattr(query, "upcoming_since", None)
        if since is None:
            since = now - LONG_EVENT
        running_long = base.filter(long_event_q(), starts_at__lt=since).order_by(*ordering)[:high]
        # A filter made of alternatives (AnyOf: the text search's) is read one alternative at a
        # time from the start index, each part in start order; an event found by two is kept
        # once (UNION). Long events are a handful: their part filters by the whole condition.
        recent = base._chain()
        alternatives = _take_any_of(recent.query) or [Q()]
        parts = [
            recent.filter(alternative, starts_at__gte=since).order_by(*ordering)[:high]
            for alternative in alternatives
        ]
        merged = running_long.union(*parts, all=len(alternatives) == 1)
        return merged.order_by(*ordering)[low:high]

    def _fetch_all(self):
        if self._result_cache is None and (merged := self.merged_upcoming()) is not None:
            self._result_cache = list(merged)
            self._prefetch_done = True
        super()._fetch_all()

    def past(self, now: dt.datetime | None = None):
        """Events that have ended."""
        return self.filter(ended_q(now))

    def not_started(self, now: dt.datetime | None = None):
        """Events that have not started yet (core.when.has_started, in SQL)."""
        return self.filter(starts_at__gt=now or dj_timezone.now())

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


class RsvpAvailability(models.TextChoices):
    OPEN = "open", _("RSVPs are open")
    CANCELLED = "cancelled", _("This event was cancelled.")
    ENDED = "ended", _("This event has already ended.")
    NOT_OPEN_YET = "not_open_yet", _("RSVPs are not open yet.")
    CLOSED = "closed", _("RSVPs for this event are closed.")


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
    cancellation_message = models.TextField(
        _("message to attendees"),
        blank=True,
        validators=[validate_plain_text, MaxLengthValidator(CANCELLATION_MESSAGE_MAX_LENGTH)],
    )
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
            # Lists by start: "upcoming" scans it from now (see EventQuerySet.upcoming). The end
            # is in the key so that the events of the last day that have ended are passed over
            # in the index, not fetched from the table one by one (700 rows at 100k events).
            models.Index(fields=["starts_at", "id", "ends_at"], name="event_starts_at_id_ends"),
            # The same for the events welcoming newcomers (the home page's section): read in
            # start order without passing over every other upcoming event before the first.
            models.Index(
                fields=["starts_at", "id", "ends_at"],
                name="event_newcomers_starts_at",
                condition=Q(newcomers_welcome=True),
            ),
            # The distance filter's bounding box (core.geo.filter_near): a place with no events
            # near it answers from here instead of reading every upcoming event.
            models.Index(fields=["latitude", "longitude"], name="event_lat_lon"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        """Every rule of one event: where (EventDetails), an end after the start, RSVPs that
        close after they open, and a capacity no lower than the seats already taken."""
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.update_error_dict({}))
        out_of_range = self.date_range_errors(EVENT_TIME_FIELDS)
        if out_of_range:
            errors.update(out_of_range)
            raise ValidationError(errors)
        starts, ends = self.starts_at, self.ends_at
        if starts is not None and ends is not None and ends <= starts:
            errors["ends_at"] = [_("The event must end after it starts.")]
        opens, closes = self.rsvp_opens_at, self.rsvp_closes_at
        if opens is not None and closes is not None and closes <= opens:
            errors["rsvp_closes_at"] = [_("RSVPs must close after they open.")]
        if self.capacity is not None and self.capacity < (self.seats_taken or 0):
            errors["capacity"] = [
                _("%(taken)s seats are already taken: the capacity cannot be lower than that.")
                % {"taken": self.seats_taken}
            ]
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def has_ended(self, now: dt.datetime | None = None) -> bool:
        return when.has_ended(self.ends_at, now)

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return when.has_started(self.starts_at, now)

    def rsvp_availability(self, now: dt.datetime | None = None) -> str:
        """Whether RSVPs may be made now, and if not why: one of RsvpAvailability. The RSVP
        service refuses by it and the event page shows it."""
        now = now or dj_timezone.now()
        if self.is_cancelled:
            return RsvpAvailability.CANCELLED
        if self.has_ended(now):
            return RsvpAvailability.ENDED
        if self.rsvp_opens_at is not None and now < self.rsvp_opens_at:
            return RsvpAvailability.NOT_OPEN_YET
        if self.rsvp_closes_at is not None and now >= self.rsvp_closes_at:
            return RsvpAvailability.CLOSED
        return RsvpAvailability.OPEN

    @property
    def is_full(self) -> bool:
        """No seat left: a new RSVP goes on the waitlist."""
        return self.capacity is not None and self.seats_left == 0

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


class WalkIn(TimeStampedModel):
    """Someone who came without an RSVP, added at the door by an organizer or host by name.
    A walk-in takes no seat: they are already in the room."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="walk_ins")
    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("walk-in")
        verbose_name_plural = _("walk-ins")

    def __str__(self):
        return f"{self.name} at {self.event}"


class SeriesRsvpQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class SeriesRsvp(TimeStampedModel):
    """A standing RSVP: a member going to every date of a series. Each coming date gets an
    ordinary Rsvp through the RSVP service (seats and waitlist as for anyone), in the order
    standing RSVPs were made; a date the person answered on its own is left as they answered.
    Rows are kept when it ends (ended_at, end_reason); starting again makes a new row."""

    class EndReason(models.TextChoices):
        STOPPED = "stopped", _("Stopped by the member")
        LEFT_GROUP = "left_group", _("No longer a member of the group")
        SERIES_ENDED = "series_ended", _("The series stopped repeating")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")

    series = models.ForeignKey(EventSeries, on_delete=models.CASCADE, related_name="standing_rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series_rsvps"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=20, choices=EndReason.choices, blank=True
    )

    objects = SeriesRsvpQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("standing RSVP")
        verbose_name_plural = _("standing RSVPs")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "user"],
                condition=Q(ended_at__isnull=True),
                name="series_rsvp_one_standing_per_user",
            ),
            models.CheckConstraint(
                condition=(Q(ended_at__isnull=True) & Q(end_reason=""))
                | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="series_rsvp_ended_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.series}"

    def clean(self):
        super().clean()
        if (self.ended_at is None) != (not self.end_reason):
            raise ValidationError(_("A standing RSVP that ended says why, and only then."))

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
