"""The one user model every app shares: the email address is the login."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core import timezones
from core.models import latitude_field, longitude_field
from core.validators import validate_plain_text, validate_single_line

# What a person tells others about themselves: the one list the profile form, the profile
# service, the personal-data export, account deletion and the admin all use.
PROFILE_FIELDS = (
    "display_name",
    "show_first_name_only",
    "pronouns",
    "bio",
    "city",
    "latitude",
    "longitude",
    "timezone",
    "interests",
    "language",
)


def validate_timezone(value: str) -> None:
    """The one list of zones is core.timezones'; this name stays for migrations and callers
    written before it."""
    timezones.validate_timezone(value)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=80, blank=True, validators=[validate_single_line]
    )
    show_first_name_only = models.BooleanField(
        _("show only my first name"),
        default=False,
        help_text=_("Others see only the first word of your display name."),
    )
    pronouns = models.CharField(
        _("pronouns"), max_length=40, blank=True, validators=[validate_single_line]
    )
    bio = models.TextField(
        _("short bio"),
        max_length=1000,
        blank=True,
        # A TextField's max_length sizes the form's box only: the validator holds it.
        validators=[validate_plain_text, MaxLengthValidator(1000)],
    )
    city = models.CharField(
        _("city"), max_length=100, blank=True, validators=[validate_single_line]
    )
    latitude = latitude_field()
    longitude = longitude_field()
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=timezones.site_timezone,
        validators=[timezones.validate_timezone],
    )
    interests = models.CharField(
        _("interests"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. singing, hiking"),
        validators=[validate_single_line],
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of the site and of your emails. Empty: your browser's language."),
    )
    calendar_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_calendar_token
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=dj_timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Where the person is, for "near me", is a point or nothing, never half of one.
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="user_coordinates_both_or_neither",
                violation_error_message=_("Give both latitude and longitude, or leave both empty."),
            ),
        ]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name other members see."""
        if self.deleted_at:
            return str(_("Former member"))
        name = self.display_name.strip()
        if not name:
            # Never fall back to the email address: it is private.
            return str(_("Connect member"))
        if self.show_first_name_only:
            return name.split()[0]
        return name

    def get_full_name(self):
        return self.display_name

    def set_password(self, raw_password):
        """A new password (however it is set: reset, change, the admin, `changepassword`) also
        gives a new private calendar link, so a link handed out under the old one stops
        working. Saved with the password by whoever saves it."""
        super().set_password(raw_password)
        self.calendar_token = new_calendar_token()

    def get_short_name(self):
        return self.public_name

    @property
    def interest_list(self) -> list[str]:
        return [i.strip() for i in self.interests.split(",") if i.strip()]


class Block(models.Model):
    """One person blocking another: each disappears from the other's view (member lists, people
    going) and neither can message the other. Only the blocker sees the row."""

    blocker = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="blocks_made", verbose_name=_("blocker")
    )
    blocked = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("blocked person")
    )
    created_at = models.DateTimeField(_("blocked on"), default=dj_timezone.now)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")),
                name="block_not_self",
                violation_error_message=_("You can't block yourself."),
            ),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"])]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"


def blocked_either_way_q(user, *, field: str = "pk") -> models.Q:
    """Rows whose person (`field`, a user id path) blocked `user` or was blocked by them: the
    one rule for "each disappears from the other's view". Matches nothing for anonymous."""
    user_id = getattr(user, "pk", user)
    if not user_id:
        return models.Q(pk__in=[])
    return models.Q(
        models.Exists(
            Block.objects.filter(
                models.Q(blocker_id=user_id, blocked_id=models.OuterRef(field))
                | models.Q(blocked_id=user_id, blocker_id=models.OuterRef(field))
            )
        )
    )


def is_blocked_either_way(a, b) -> bool:
    """Did either person block the other?"""
    a_id, b_id = getattr(a, "pk", a), getattr(b, "pk", b)
    if not a_id or not b_id:
        return False
    return Block.objects.filter(
        models.Q(blocker_id=a_id, blocked_id=b_id) | models.Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()
