"""Groups and who belongs to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Category, TimeStampedModel, latitude_field, longitude_field
from core.moderation import is_site_moderator
from core.pictures import ALT_MAX_LENGTH as PICTURE_ALT_MAX_LENGTH
from core.pictures import FOLDER as PICTURE_FOLDER
from core.pictures import picture_alt_required
from core.validators import validate_plain_text, validate_single_line


def active_member_q(user, *, prefix: str = "") -> Q:
    """Filter for groups (or rows with a group under `prefix`) where `user` is an active member.
    Site moderators inside a moderation session count as active members of every group."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    if is_site_moderator(user):
        return Q(**{f"{prefix}pk__isnull": False})
    return Q(
        Exists(
            Membership.objects.filter(
                group=OuterRef(f"{prefix}pk"), user=user, status=Membership.Status.ACTIVE
            )
        )
    )


# The longest answer to a group's join question (the form's limit too).
JOIN_ANSWER_MAX_LENGTH = 2000
# The longest text of what happens after someone asks to join.
AFTER_REQUEST_MAX_LENGTH = 1000


class GroupQuerySet(models.QuerySet):
    """Who may see which group. Every page, feed, API and search goes through these."""

    def visible_to(self, user):
        """Groups whose page the user may open (a listed private group shows only its name,
        description and how to join)."""
        return self.filter(
            Q(visibility__in=[Group.Visibility.PUBLIC, Group.Visibility.UNLISTED])
            | Q(visibility=Group.Visibility.PRIVATE, listed_when_private=True)
            | active_member_q(user)
        )

    def content_visible_to(self, user):
        """Groups whose events and members the user may see."""
        return self.filter(
            Q(visibility__in=[Group.Visibility.PUBLIC, Group.Visibility.UNLISTED])
            | active_member_q(user)
        )

    def run_by(self, user):
        """Groups the user runs: active organizer or host (the organizer workspace's groups).
        Site moderators are members of none, so they find none here; they open a group's
        workspace by its address inside a moderation session."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Exists(
                Membership.objects.filter(
                    group=OuterRef("pk"),
                    user=user,
                    status=Membership.Status.ACTIVE,
                    role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
                )
            )
        )

    def listed_for(self, user):
        """Groups shown in the directory and search: never unlisted ones, unless a member."""
        return self.filter(
            Q(visibility=Group.Visibility.PUBLIC)
            | Q(visibility=Group.Visibility.PRIVATE, listed_when_private=True)
            | active_member_q(user)
        )


class Group(TimeStampedModel):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone can see the group and its events")
        UNLISTED = "unlisted", _("Unlisted: visible to anyone with the link, not in listings")
        PRIVATE = "private", _("Private: events and members visible to members only")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Anyone can join")
        APPROVAL = "approval", _("Organizers approve each request")

    class MemberListVisibility(models.TextChoices):
        MEMBERS = "members", _("Members can see the member list")
        ORGANIZERS = "organizers", _("Only organizers can see the member list")

    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    slug = models.SlugField(_("web address"), max_length=140, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown"), validators=[validate_plain_text]
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    city = models.CharField(
        _("city"), max_length=100, blank=True, validators=[validate_single_line]
    )
    latitude = latitude_field()
    longitude = longitude_field()
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    listed_when_private = models.BooleanField(
        _("list the name and description of this private group in the directory"), default=False
    )
    join_policy = models.CharField(
        _("who can join"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    join_question = models.CharField(
        _("question for people asking to join"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
    )
    member_list_visibility = models.CharField(
        _("member list"),
        max_length=12,
        choices=MemberListVisibility.choices,
        default=MemberListVisibility.MEMBERS,
    )
    code_of_conduct = models.TextField(
        _("code of conduct"), blank=True, help_text=_("Markdown"), validators=[validate_plain_text]
    )
    meeting_pattern = models.CharField(
        _("when and where you usually meet"),
        max_length=120,
        blank=True,
        validators=[validate_single_line],
    )
    after_request = models.TextField(
        _("what happens after someone asks to join"),
        blank=True,
        validators=[validate_plain_text, MaxLengthValidator(AFTER_REQUEST_MAX_LENGTH)],
    )
    # What a private group shows people outside it, each part the organizers' choice (off by
    # default); see groups.selectors.outsider_view.
    outsiders_see_conduct = models.BooleanField(
        _("show the code of conduct to people outside the group"), default=False
    )
    outsiders_see_facilitators = models.BooleanField(
        _("show the first names of the organizers and hosts to people outside the group"),
        default=False,
    )
    outsiders_see_meeting = models.BooleanField(
        _("show when and where you usually meet to people outside the group"), default=False
    )
    outsiders_see_after_request = models.BooleanField(
        _("show what happens after someone asks to join to people outside the group"),
        default=False,
    )
    outsiders_see_reply_time = models.BooleanField(
        _("show how soon organizers usually answer requests to join"), default=False
    )
    # The picture and its card version: random names (core.pictures), set by the services.
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
        help_text=_("For people who cannot see it, e.g. “Six people singing in a church hall”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        indexes = [
            models.Index(fields=["visibility", "category"]),
            # The directory, by name: read a page's worth from the start, no sort of all groups.
            models.Index(fields=["name", "id"], name="group_name_id"),
        ]
        constraints = [
            # Where the group meets is a point or nothing, never half of one.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="group_coordinates_both_or_neither",
                violation_error_message=_("Give both latitude and longitude, or leave both empty."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.picture and not self.picture_alt.strip():
            raise ValidationError({"picture_alt": picture_alt_required()})

    def get_absolute_url(self):
        return reverse("groups:detail", kwargs={"slug": self.slug})

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE

    @property
    def is_support(self) -> bool:
        """Support and recovery groups show the operator's crisis signpost on their pages."""
        return self.category in (Category.SUPPORT, Category.RECOVERY)


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        HOST = "host", _("Host")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        PENDING = "pending", _("Asked to join")
        ACTIVE = "active", _("Member")
        BANNED = "banned", _("Banned")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    join_answer = models.TextField(
        _("answer to the join question"),
        blank=True,
        validators=[validate_plain_text, MaxLengthValidator(JOIN_ANSWER_MAX_LENGTH)],
    )
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_one_per_user"),
        ]
        indexes = [models.Index(fields=["group", "status", "role"])]

    def __str__(self):
        return f"{self.user} in {self.group} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


# The longest reason a report may give (the form's limit too).
REPORT_REASON_MAX_LENGTH = 2000


class Report(TimeStampedModel):
    """Someone reporting a member, an event or a group. Reports about the group's content (its
    events, its members' conduct) go to its organizers (`for_staff` false); reports about the
    group itself or one of its organizers go to site staff. Whoever filed it is never shown to
    the person reported."""

    class About(models.TextChoices):
        MEMBER = "member", _("A member")
        EVENT = "event", _("An event")
        GROUP = "group", _("The group")

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        DISMISSED = "dismissed", _("Dismissed")
        WARNED = "warned", _("Warned")
        REMOVED = "removed", _("Removed")
        BANNED = "banned", _("Banned")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="reports")
    about = models.CharField(_("about"), max_length=10, choices=About.choices)
    subject = models.CharField(
        _("what is reported"), max_length=100, validators=[validate_single_line]
    )
    subject_label = models.CharField(
        _("title or name when reported"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
    )
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person reported"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.TextField(
        _("reason"),
        validators=[validate_plain_text, MaxLengthValidator(REPORT_REASON_MAX_LENGTH)],
    )
    for_staff = models.BooleanField(_("for site staff"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(
        _("note on the decision"),
        blank=True,
        validators=[validate_plain_text, MaxLengthValidator(REPORT_REASON_MAX_LENGTH)],
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["group", "for_staff", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(about="member") | Q(reported_user__isnull=False),
                name="report_member_names_person",
            ),
        ]

    def __str__(self):
        return f"{self.get_about_display()} {self.subject} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
