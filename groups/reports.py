"""Reports: the services that file them and decide them (groups.services is full enough).

A report about a group's content (one of its events, a member's conduct) goes to the group's
organizers' queue in the workspace; one about the group itself or one of its organizers goes to
site staff (superusers, core.moderation), who decide it in the admin. Every decision is an
outcome (dismissed, warned, removed, banned) kept in the activity log; removing or banning a
reported member goes through the membership services. Whoever filed a report is never shown
to the person reported: the filing is logged without a group, and queues never name them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import activity
from core.actors import Actor, person_of
from core.exceptions import NotAllowed, NotFound, ServiceError
from core.moderation import may_moderate
from core.refs import ref
from groups import notifications, permissions
from groups.models import Group, Membership, Report
from groups.services import membership_ban, membership_remove

# What a decision may do, by what was reported: only a reported member's membership is this
# app's to end; an event is cancelled on its page, a group deleted by staff.
OUTCOMES = {
    Report.About.MEMBER: (
        Report.Status.DISMISSED,
        Report.Status.WARNED,
        Report.Status.REMOVED,
        Report.Status.BANNED,
    ),
    Report.About.EVENT: (Report.Status.DISMISSED, Report.Status.WARNED, Report.Status.REMOVED),
    Report.About.GROUP: (Report.Status.DISMISSED, Report.Status.WARNED, Report.Status.REMOVED),
}


def _is_organizer(group: Group, user_id: int | None) -> bool:
    return (
        user_id is not None
        and Membership.objects.filter(
            group=group,
            user_id=user_id,
            role=Membership.Role.ORGANIZER,
            status=Membership.Status.ACTIVE,
        ).exists()
    )


def report_create(
    *,
    actor,
    group: Group,
    about: str,
    subject: models.Model,
    reason: str,
    reported_user=None,
    subject_label: str = "",
) -> Report:
    """File a report. The caller has loaded `subject` through the selector that limits it to
    what the reporter may see; the rule is checked again here (a group's content only for those
    who may see it, a member only for those who may see the member list). Reporting the same
    thing again while the first report is open returns the first one."""
    person = person_of(actor)
    if person is None or not person.is_authenticated:
        raise NotAllowed(_("Please log in first."))
    membership = permissions.membership_get(person, group)
    if about == Report.About.GROUP:
        allowed = permissions.can_view_group(person, group, membership=membership)
    elif about == Report.About.MEMBER:
        allowed = permissions.can_view_members(person, group, membership=membership)
    else:
        allowed = permissions.can_view_group_content(person, group, membership=membership)
    if not allowed:
        raise NotFound
    if about == Report.About.MEMBER:
        if reported_user is None or not permissions.is_active_member(reported_user, group):
            raise NotFound
        if reported_user.pk == person.pk:
            raise ServiceError(_("You can't report yourself."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": _("Say what happened.")})
    for_staff = about == Report.About.GROUP or (
        about == Report.About.MEMBER and _is_organizer(group, reported_user.pk)
    )
    with transaction.atomic():
        existing = Report.objects.filter(
            reporter=person, subject=ref(subject), status=Report.Status.OPEN
        ).first()
        if existing is not None:
            return existing
        report = Report(
            group=group,
            about=about,
            subject=ref(subject),
            subject_label=" ".join(str(subject_label or subject).split())[:200],
            reported_user=reported_user,
            reporter=person,
            reason=reason,
            for_staff=for_staff,
        )
        try:
            report.full_clean()
        except ValidationError as error:
            raise ServiceError.from_validation_error(error) from error
        report.save()
        # Logged without the group: the group's log is its organizers' to read, and the person
        # reported may be one of them.
        activity.record(
            actor=actor,
            verb="report.filed",
            subject=report,
            data={"about": about, "for_staff": for_staff, "group": group.pk},
        )
        if not for_staff:
            notifications.on_report_filed(report=report)
    return report


def can_decide_report(user, report: Report) -> bool:
    """Organizers (and site moderators in a session) decide their group's reports; site
    staff (superusers) decide the reports sent to them."""
    person = person_of(user)
    if report.for_staff:
        return may_moderate(person)
    return permissions.can_manage_group(user, report.group)


def report_decide(*, report: Report, actor, outcome: str, note: str = "") -> Report:
    """Decide an open report: dismissed, warned, removed or banned. Removing or banning a
    reported member ends their membership through the membership services (the organizer's own
    rights apply; staff act as the system). Kept in the activity log."""
    if not can_decide_report(actor, report):
        raise NotAllowed(_("Only the group's organizers can do that."))
    if outcome not in OUTCOMES[report.about]:
        raise ServiceError({"outcome": _("Choose what was done.")})
    note = (note or "").strip()
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("group").get(pk=report.pk)
        if not report.is_open:
            raise ServiceError(_("This report was already decided."))
        person = person_of(actor)
        acting = Actor.system(f"report {report.pk}") if report.for_staff else actor
        if report.about == Report.About.MEMBER and outcome in (
            Report.Status.REMOVED,
            Report.Status.BANNED,
        ):
            target = Membership.objects.filter(
                group=report.group, user=report.reported_user
            ).first()
            if target is not None and outcome == Report.Status.BANNED:
                membership_ban(membership=target, actor=acting, reason=note)
            elif target is not None and target.status != Membership.Status.BANNED:
                membership_remove(membership=target, actor=acting, reason=note)
        report.status = outcome
        report.note = note
        report.decided_by = person
        report.decided_at = timezone.now()
        try:
            report.full_clean()
        except ValidationError as error:
            raise ServiceError.from_validation_error(error) from error
        report.save()
        activity.record(
            actor=actor,
            verb=f"report.{outcome}",
            subject=report,
            group_id=None if report.for_staff else report.group_id,
            data={"about": report.about, "reported": report.subject},
        )
    return report
