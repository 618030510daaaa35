"""Fields and choices shared by every app."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from core.validators import validate_plain_text, validate_single_line


class ChoiceLabels(models.Model):
    """`get_FOO_display()` by one lookup. Django's builds a hashable copy of every choice on each
    call, which translates every label (0.3 ms for the site's thirteen categories); a list of
    twenty cards, each with a category, paid it twenty times. The labels (lazy, translated when
    shown) are kept per field, with the choices they came from (new choices are read anew);
    choices given as a callable, or whose values are translations, are left to Django. Should
    Django stop calling this method, `get_FOO_display()` is Django's own again: slower, and as
    right."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        choices = field.choices
        if not isinstance(choices, (list, tuple)):
            return super()._get_FIELD_display(field)
        kept = field.__dict__.get("labels_by_value")
        if kept is None or kept[0] is not choices:  # new choices given to the field
            pairs = field.flatchoices
            if any(isinstance(value, Promise) for value, _label in pairs):
                return super()._get_FIELD_display(field)  # values that depend on the language
            kept = field.labels_by_value = (
                choices,
                {make_hashable(value): label for value, label in pairs},
            )
        value = getattr(self, field.attname)
        return force_str(kept[1].get(make_hashable(value), value), strings_only=True)


class TimeStampedModel(ChoiceLabels):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


def latitude_field() -> models.FloatField:
    """An optional latitude in degrees; pairs with longitude_field()."""
    return models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )


def longitude_field() -> models.FloatField:
    """An optional longitude in degrees; pairs with latitude_field()."""
    return models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )


class Place(models.Model):
    """Where people meet, shared by events, volunteer projects and shifts: a venue, an address
    (for those taking part only), a city everyone may know, and optional coordinates for
    distance search. `place_errors` holds the rules: somewhere to go unless the thing is online
    or remote, and coordinates as a pair."""

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

    class Meta:
        abstract = True

    @property
    def has_place(self) -> bool:
        return bool(self.venue_name or self.address)

    def place_errors(self, *, elsewhere: bool, message=None) -> dict:
        """Field errors for the place rules. `elsewhere` is true when the thing needs no place
        (an online event, a remote project); `message` says what else would do."""
        errors = {}
        if not (self.has_place or elsewhere):
            errors["venue_name"] = [message or _("Give a venue or an address.")]
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            errors[missing] = [_("Give both a latitude and a longitude, or neither.")]
        return errors


class Access(models.Model):
    """What people with access needs ask before they come, shared by events and shifts."""

    step_free_access = models.BooleanField(_("step-free access"), default=False)
    quiet_room = models.BooleanField(_("quiet room available"), default=False)
    sign_language = models.BooleanField(_("sign language interpretation"), default=False)
    accessibility_notes = models.TextField(
        _("accessibility notes"), blank=True, validators=[validate_plain_text]
    )

    class Meta:
        abstract = True


class Category(models.TextChoices):
    """What a group or event is about; one list for the whole site."""

    SUPPORT = "support", _("Peer support")
    RECOVERY = "recovery", _("Recovery")
    MUSIC = "music", _("Music and singing")
    GAMES = "games", _("Games")
    ARTS = "arts", _("Arts and crafts")
    OUTDOORS = "outdoors", _("Walking and outdoors")
    VOLUNTEERING = "volunteering", _("Volunteering")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    FOOD = "food", _("Shared meals")
    WELLNESS = "wellness", _("Wellness")
    LEARNING = "learning", _("Learning")
    SOCIAL = "social", _("Social")
    OTHER = "other", _("Other")


class Activity(models.Model):
    """One change that matters to a group: who (a person, the system or an API client), did
    what (`verb`, "membership.approved"), to what (`subject`, a core.refs reference), in which
    group, with a small JSON of what changed. Written by services through
    `core.activity.record`, inside their transaction; the organizer workspace's history, the
    moderation record and partner webhooks are read from it. Holds ids, never names or
    addresses, so deleting an account only has to clear `actor_user`.
    """

    class ActorKind(models.TextChoices):
        PERSON = "person", _("Person")
        SYSTEM = "system", _("System")
        CLIENT = "client", _("API client")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=10, choices=ActorKind)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_client_id = models.PositiveBigIntegerField(_("API client"), null=True, blank=True)
    actor_reason = models.CharField(_("reason"), max_length=200, blank=True)
    verb = models.CharField(_("verb"), max_length=64)
    subject = models.CharField(_("subject"), max_length=100)
    group_id = models.PositiveBigIntegerField(_("group"), null=True, blank=True)
    data = models.JSONField(_("what changed"), default=dict, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["group_id", "-created_at"], name="activity_group_recent"),
            models.Index(fields=["subject", "-created_at"], name="activity_subject_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.subject}"

    @property
    def actor_label(self) -> str:
        if self.actor_kind == self.ActorKind.SYSTEM:
            return f"system ({self.actor_reason})"
        if self.actor_kind == self.ActorKind.CLIENT:
            return f"API client {self.actor_client_id}"
        return str(self.actor_user) if self.actor_user_id else str(_("Former member"))


class ModerationSession(models.Model):
    """A site moderator's declared, time-limited look into private groups. Outside one, a
    superuser sees private groups as any other non-member does."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.CASCADE,
        related_name="moderation_sessions",
    )
    reason = models.CharField(_("reason"), max_length=500)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("moderation session")
        verbose_name_plural = _("moderation sessions")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["moderator", "-expires_at"], name="moderation_current")]

    def __str__(self) -> str:
        return f"{self.moderator} from {self.started_at:%Y-%m-%d %H:%M}: {self.reason}"


class Postcode(models.Model):
    """A postcode the operator loaded (`manage.py load_postcodes`), so that the "where" box
    takes it too: stored without spaces, in capitals."""

    code = models.CharField(
        _("postcode"), max_length=12, unique=True, validators=[validate_single_line]
    )
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")

    def __str__(self) -> str:
        return self.code
