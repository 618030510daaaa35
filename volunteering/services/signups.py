"""Shift sign-ups: places, teams, the waitlist and promotion from it, the waiver and the
minimum age.

Every function locks the group row, then the shift row (lock_shift), and keeps them until its
transaction ends, so places, waitlist positions and promotions are decided one request at a
time; the places themselves are taken with core.capacity's conditional UPDATE behind a
CheckConstraint, and freed places go to the waitlist by core.capacity's shared step.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import bus
from core.actors import Actor, as_actor
from core.capacity import promote_in_arrival_order, seats_release, seats_take
from core.exceptions import NotAllowed, ServiceError
from core.validators import validate_single_line
from groups.models import Membership
from groups.permissions import can_view_group_content, membership_get
from volunteering import notifications
from volunteering.models import (
    MAX_TEAM_SIZE,
    Shift,
    ShiftSignup,
    VolunteerProject,
    WaiverAcceptance,
)
from volunteering.services._common import lock_shift, may_manage, record

ACTIVE = (ShiftSignup.Status.SIGNED_UP, ShiftSignup.Status.WAITLISTED)
WITHDRAW_AFTER_START = _(
    "This shift has already started, so you can no longer withdraw. If you cannot be there, "
    "tell the coordinator: hours are only counted for volunteers checked in."
)


def _volunteer_acting(actor, user) -> Actor:
    """The volunteer acts for themselves (the default), or the system (demo data)."""
    if user is None or not user.is_authenticated:
        raise ServiceError(_("Log in to sign up."))
    actor = as_actor(actor) if actor is not None else as_actor(user)
    if actor is None or not (actor.is_system or (actor.is_person and actor.user_id == user.pk)):
        raise NotAllowed(_("Volunteers sign up for themselves."))
    return actor


def _team_names(team: Iterable[str]) -> list[str]:
    names = [" ".join(str(name).split()) for name in team]
    names = [name for name in names if name]
    if len(names) > MAX_TEAM_SIZE:
        raise ServiceError(
            {"team": _("A team brings at most %(count)s people.") % {"count": MAX_TEAM_SIZE}}
        )
    for name in names:
        if len(name) > 100:
            raise ServiceError({"team": _("A name can be at most 100 characters long.")})
        try:
            validate_single_line(name)
        except Exception as error:
            raise ServiceError({"team": _("Give each name on its own line.")}) from error
    return names


def waiver_accepted(*, user, project: VolunteerProject) -> bool:
    """The volunteer accepted the project's current waiver (or it has none)."""
    if not project.has_waiver:
        return True
    if user is None or not user.is_authenticated:
        return False
    return WaiverAcceptance.objects.filter(
        user=user, project=project, version=project.waiver_version
    ).exists()


def waiver_accept(*, user, project: VolunteerProject, actor=None) -> WaiverAcceptance | None:
    """Record that the volunteer accepted the current waiver: its version, the text's SHA-256
    and the time. Accepting twice keeps the first acceptance."""
    actor = _volunteer_acting(actor, user)
    if not project.has_waiver:
        return None
    with transaction.atomic():
        acceptance, created = WaiverAcceptance.objects.get_or_create(
            user=user,
            project=project,
            version=project.waiver_version,
            defaults={"text_sha256": project.waiver_sha256},
        )
        if created:
            record(
                actor,
                "waiver.accepted",
                project,
                group_id=project.group_id,
                data={"volunteer": user.pk, "version": project.waiver_version},
            )
        return acceptance


def _next_waitlist_position(shift: Shift) -> int:
    # Computed under the shift lock, so two arrivals never share a position.
    last = ShiftSignup.objects.filter(shift=shift).aggregate(last=Max("waitlist_position"))
    return (last["last"] or 0) + 1


def promote_waitlist(shift: Shift) -> list[ShiftSignup]:
    """Give free places to waitlisted volunteers in arrival order (core.capacity's shared step),
    each told by a notice. Call with the shift locked."""
    if shift.is_cancelled or shift.has_started():
        return []
    waiting = ShiftSignup.objects.filter(
        shift=shift, status=ShiftSignup.Status.WAITLISTED
    ).select_related("user")

    def promote(signup: ShiftSignup) -> None:
        signup.status = ShiftSignup.Status.SIGNED_UP
        signup.waitlist_position = None
        signup.shift = shift
        signup.save(update_fields=["status", "waitlist_position", "updated_at"])
        record(
            Actor.system("waitlist"),
            "shift_signup.promoted",
            signup,
            group_id=shift.role.project.group_id,
            data={"shift": shift.pk, "volunteer": signup.user_id},
        )
        notifications.on_signup_promoted(signup=signup)
        bus.publish("shift_signup.updated", signup=signup)

    return promote_in_arrival_order(
        holder=shift,
        waiting=waiting.order_by("waitlist_position", "pk"),
        seats_of=lambda signup: signup.seats,
        promote=promote,
    )


def _require_age(project: VolunteerProject, age_confirmed: bool, guardian_name: str):
    """(age_consent, guardian_name) to record; ServiceError when the project has a minimum age
    and neither the volunteer confirmed it nor a guardian consented."""
    if not project.minimum_age:
        return ShiftSignup.AgeConsent.NOT_NEEDED, ""
    if age_confirmed:
        return ShiftSignup.AgeConsent.CONFIRMED, ""
    guardian_name = " ".join((guardian_name or "").split())
    if guardian_name:
        if len(guardian_name) > 200:
            raise ServiceError({"guardian_name": _("The name is too long.")})
        return ShiftSignup.AgeConsent.GUARDIAN, guardian_name
    raise ServiceError(
        {
            "age_confirmed": _(
                "Confirm that you are at least %(age)s, or give the name of the parent or "
                "guardian who consents."
            )
            % {"age": project.minimum_age}
        }
    )


def _require_open(shift: Shift) -> None:
    if shift.role.project.is_cancelled or shift.is_cancelled:
        raise ServiceError(_("This shift was cancelled."))
    if shift.has_started():
        raise ServiceError(_("This shift has already started."))


def signup_create(
    *,
    shift: Shift,
    user,
    actor=None,
    team: Iterable[str] = (),
    accept_waiver: bool = False,
    age_confirmed: bool = False,
    guardian_name: str = "",
) -> ShiftSignup:
    """Sign up for a shift: a place for the volunteer and each named team member when they
    fit, else the waitlist in arrival order. Anyone who may see the project may volunteer
    (never someone the group banned). A project's waiver is accepted first (`accept_waiver`
    records it), and its minimum age confirmed or a guardian's consent given."""
    actor = _volunteer_acting(actor, user)
    names = _team_names(team)
    with transaction.atomic():
        shift = lock_shift(shift.pk)
        project = shift.role.project
        membership = membership_get(user, project.group)
        if membership is not None and membership.status == Membership.Status.BANNED:
            raise NotAllowed(_("You cannot volunteer with this group."))
        if not can_view_group_content(user, project.group, membership=membership):
            raise NotAllowed(_("Join the group to volunteer."))
        _require_open(shift)
        existing = ShiftSignup.objects.filter(shift=shift, user=user).first()
        if existing is not None and existing.is_active:
            if existing.team != names:
                raise ServiceError(
                    {"team": _("You are already signed up: change your team below instead.")}
                )
            return existing
        if accept_waiver:
            waiver_accept(user=user, project=project, actor=actor)
        if not waiver_accepted(user=user, project=project):
            raise ServiceError({"accept_waiver": _("Read and accept the agreement first.")})
        consent, guardian = _require_age(project, age_confirmed, guardian_name)
        now = timezone.now()
        signup = existing or ShiftSignup(shift=shift, user=user)
        signup.shift = shift
        signup.team = names
        signup.age_consent = consent
        signup.guardian_name = guardian
        signup.age_consent_at = now if consent else None
        signup.withdrawn_at = None
        if seats_take(model=Shift, pk=shift.pk, seats=signup.seats):
            signup.status = ShiftSignup.Status.SIGNED_UP
            signup.waitlisted_at = None
            signup.waitlist_position = None
        else:
            signup.status = ShiftSignup.Status.WAITLISTED
            signup.waitlisted_at = now
            signup.waitlist_position = _next_waitlist_position(shift)
        signup.save()
        record(
            actor,
            "shift_signup.created",
            signup,
            group_id=project.group_id,
            data={
                "shift": shift.pk,
                "volunteer": user.pk,
                "status": signup.status,
                "places": signup.seats,
            },
        )
        if signup.status == ShiftSignup.Status.SIGNED_UP:
            notifications.on_signup_confirmed(signup=signup)
        bus.publish("shift_signup.created", signup=signup)
        return signup


def coordinator_ids(project: VolunteerProject):
    """Who hears that a volunteer withdrew: the project's contact person, else the group's
    organizers and hosts."""
    if project.contact_id:
        return [project.contact_id]
    return Membership.objects.filter(
        group_id=project.group_id,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
    ).values("user_id")


def signup_withdraw(*, signup: ShiftSignup, actor) -> ShiftSignup:
    """Withdraw from a shift: the volunteer may, and so may the group's organizers and hosts
    and the system. Freed places go to the waitlist in arrival order.

    Who is told (decided): when a volunteer holding a place withdraws themselves, the
    coordinator hears ("volunteer withdrew"): someone they counted on is not coming. A
    volunteer leaving the waitlist is not announced: nobody counted on them and the line moves
    by itself. When an organizer, a ban or the system withdraws someone, that volunteer hears
    instead. Once the shift has started nobody withdraws (see WITHDRAW_AFTER_START)."""
    actor = as_actor(actor)
    if actor is None:
        raise NotAllowed
    with transaction.atomic():
        shift = lock_shift(signup.shift_id)
        signup = ShiftSignup.objects.select_related("user").get(pk=signup.pk)
        own = actor.is_person and actor.user_id == signup.user_id
        if not own and not may_manage(actor, shift.role.project.group):
            raise NotAllowed(_("Only the group's organizers and hosts may do this."))
        if shift.has_started() and signup.is_active:
            # Decided: no withdrawing once the shift has started. The place can no longer go to
            # someone waiting, and a sign-up that vanished mid-shift would hide that the person
            # was expected (their hours are written at check-in; a coordinator rejects them).
            raise ServiceError(WITHDRAW_AFTER_START)
        if not signup.is_active:
            return signup
        was_signed_up = signup.status == ShiftSignup.Status.SIGNED_UP
        signup.status = ShiftSignup.Status.WITHDRAWN
        signup.waitlist_position = None
        signup.withdrawn_at = timezone.now()
        signup.shift = shift
        signup.save(update_fields=["status", "waitlist_position", "withdrawn_at", "updated_at"])
        if was_signed_up:
            seats_release(model=Shift, pk=shift.pk, seats=signup.seats)
        project = shift.role.project
        record(
            actor,
            "shift_signup.withdrawn",
            signup,
            group_id=project.group_id,
            data={"shift": shift.pk, "volunteer": signup.user_id, "by_volunteer": own},
        )
        if own and was_signed_up:
            notifications.on_signup_withdrawn(
                signup=signup, coordinator_ids=coordinator_ids(project)
            )
        else:
            notifications.on_signup_removed(signup=signup)
        bus.publish("shift_signup.withdrawn", signup=signup)
        if was_signed_up:
            promote_waitlist(shift)
        return signup


def signup_team_change(*, signup: ShiftSignup, actor, team: Iterable[str]) -> ShiftSignup:
    """Change who comes along without giving up the place. Fewer people free places, which go
    to the waitlist in arrival order; more people take places only when they fit (else a
    ServiceError, and the sign-up stays as it was). On the waitlist the new size counts when
    the volunteer's turn comes. The volunteer acts (or the system)."""
    actor = as_actor(actor)
    if actor is None or not (
        actor.is_system or (actor.is_person and actor.user_id == signup.user_id)
    ):
        raise NotAllowed(_("Volunteers change their own team."))
    names = _team_names(team)
    with transaction.atomic():
        shift = lock_shift(signup.shift_id)
        signup = ShiftSignup.objects.select_related("user").get(pk=signup.pk)
        if not signup.is_active:
            raise ServiceError(_("You are not signed up to this shift."))
        _require_open(shift)
        if names == list(signup.team or []):
            return signup
        before = signup.seats
        after = 1 + len(names)
        if signup.status == ShiftSignup.Status.SIGNED_UP:
            if after > before and not seats_take(model=Shift, pk=shift.pk, seats=after - before):
                left = shift.seats_left or 0
                raise ServiceError(
                    {
                        "team": _(
                            "Only %(left)s more place(s) are free on this shift: your team "
                            "stays as it was."
                        )
                        % {"left": left}
                    }
                )
            if after < before:
                seats_release(model=Shift, pk=shift.pk, seats=before - after)
        signup.team = names
        signup.shift = shift
        signup.save(update_fields=["team", "updated_at"])
        record(
            actor,
            "shift_signup.team_changed",
            signup,
            group_id=shift.role.project.group_id,
            data={"shift": shift.pk, "volunteer": signup.user_id, "places": [before, after]},
        )
        bus.publish("shift_signup.updated", signup=signup)
        if after < before:
            # Places freed by a signed-up team, or a waitlisted team that may now fit.
            shift.refresh_from_db(fields=["seats_taken"])
            promote_waitlist(shift)
        return signup
