"""Hours that count: the hours ledger and verifiable hours statements.

Imported at the end of `volunteering.models`, so the models belong to the volunteering app.

The ledger is append-only: an entry's hours, date, project, shift and volunteer never change
after it is written. A coordinator reviews a pending entry once (verified or rejected, with a
note); a verified entry that was wrong is corrected by a reversal entry (its minutes negated)
and, unless it is voided, a new correction entry. Totals are sums of verified entries, reversals
included. The constraints below hold what the database can hold; a trigger (migration
`hours_ledger_append_only`) refuses any other update.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import when
from core.validators import validate_plain_text, validate_single_line

MAX_ENTRY_MINUTES = 24 * 60
# A coordinator checks volunteers in from this long before their shift starts.
CHECK_IN_OPENS = dt.timedelta(hours=1)
LEDGER_FIELDS = (
    "volunteer",
    "project",
    "shift",
    "signup",
    "worked_on",
    "minutes",
    "description",
    "source",
    "reverses",
    "corrects",
    "logged_by",
    "created_at",
)
REVIEW_FIELDS = ("status", "reviewed_by", "reviewed_at", "review_note")


class HoursEntryQuerySet(models.QuerySet):
    def verified(self):
        """Entries that count (reversals included, so a corrected entry nets out)."""
        return self.filter(status=HoursEntry.Status.VERIFIED)


class HoursEntry(models.Model):
    class Source(models.TextChoices):
        LOGGED = "logged", _("Logged by the volunteer")
        CHECK_IN = "check_in", _("Checked in at a shift")
        CORRECTION = "correction", _("Correction")
        REVERSAL = "reversal", _("Reversal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a coordinator")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_entries"
    )
    project = models.ForeignKey(
        "volunteering.VolunteerProject", on_delete=models.CASCADE, related_name="hours_entries"
    )
    shift = models.ForeignKey(
        "volunteering.Shift",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hours_entries",
    )
    signup = models.ForeignKey(
        "volunteering.ShiftSignup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hours_entries",
    )
    worked_on = models.DateField(_("date worked"))
    minutes = models.IntegerField(_("minutes"))
    description = models.CharField(
        _("what you did"), max_length=300, blank=True, validators=[validate_single_line]
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("note"), blank=True, validators=[validate_plain_text])

    objects = HoursEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-worked_on", "-pk"]
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(source="reversal", reverses__isnull=False, minutes__lt=0)
                    | (
                        ~Q(source="reversal")
                        & Q(reverses__isnull=True, minutes__gt=0, minutes__lte=MAX_ENTRY_MINUTES)
                    )
                ),
                name="hours_entry_minutes_by_source",
            ),
            models.CheckConstraint(
                condition=Q(source="correction", corrects__isnull=False)
                | (~Q(source="correction") & Q(corrects__isnull=True)),
                name="hours_entry_correction_names_entry",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", reviewed_at__isnull=True)
                | (~Q(status="pending") & Q(reviewed_at__isnull=False)),
                name="hours_entry_reviewed_when_decided",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_note=""),
                name="hours_entry_rejection_has_note",
            ),
            models.UniqueConstraint(
                fields=["volunteer", "shift"],
                condition=Q(source__in=["logged", "check_in"], shift__isnull=False),
                name="hours_entry_one_per_shift",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "worked_on"]),
            models.Index(fields=["volunteer", "status", "worked_on"]),
        ]

    def __str__(self):
        return f"{self.minutes} min on {self.worked_on} ({self.get_status_display()})"

    def clean(self):
        """Hours between a minute and a day, and a date that has come (for a check-in, a date
        that has come by the time check-in opens: a shift starting just after midnight is
        checked in on the eve of its date)."""
        errors = {}
        minutes = self.minutes
        out_of_range = minutes is not None and not 0 < minutes <= MAX_ENTRY_MINUTES
        if self.source != self.Source.REVERSAL and out_of_range:
            errors["minutes"] = [_("Give between 1 minute and 24 hours.")]
        if self.worked_on and self.project_id:
            latest = timezone.now()
            if self.source == self.Source.CHECK_IN:
                latest += CHECK_IN_OPENS
            today = when.local(latest, self.project.timezone).date()
            if self.worked_on > today:
                errors["worked_on"] = [_("Hours are logged once they are worked.")]
        if self.status == self.Status.REJECTED and not self.review_note.strip():
            errors["review_note"] = [_("Say why, so the volunteer knows what to fix.")]
        if errors:
            raise ValidationError(errors)

    @property
    def hours(self) -> str:
        from volunteering.hours.statement import hours_text

        return hours_text(self.minutes)


class HoursStatement(models.Model):
    """An hours statement as issued: its content is fixed, its hash binds the content to the
    code, and nothing changes it afterwards (a new period means a new statement)."""

    code = models.CharField(max_length=16, unique=True, editable=False)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_statements"
    )
    # The organization may close; its statements keep saying what they said.
    group = models.ForeignKey(
        "groups.Group", null=True, on_delete=models.SET_NULL, related_name="hours_statements"
    )
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    content = models.JSONField(editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    # The verified entries the statement counts, to tell later whether they still stand.
    entries = models.ManyToManyField(HoursEntry, related_name="statements", editable=False)
    issued_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__lte=F("period_to")), name="hours_statement_period_order"
            ),
        ]

    def __str__(self):
        return f"Hours statement {self.code}"
