"""Fields and choices shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

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
