"""Fields and choices shared by every app."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
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
