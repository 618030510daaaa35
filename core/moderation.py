"""The site-moderator rule, named once.

Active superusers may moderate: they enter the admin and may start a moderation session with a
reason. Only while a session lasts (an hour at most) do private groups open to them as to their
organizers, and every private page they open is written to the activity log. Outside a session
a superuser is, for private groups, one more outsider.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import activity
from core.actors import Actor
from core.exceptions import NotAllowed, ServiceError
from core.models import ModerationSession

SESSION_LENGTH = dt.timedelta(hours=1)
_CACHE_ATTR = "_connect_moderation_session"


def may_moderate(user) -> bool:
    """Active superusers: the admin and the moderation sessions are theirs. Staff alone
    grants nothing."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "is_superuser", False)
    )


def current_session(user) -> ModerationSession | None:
    """The user's moderation session in force now, if any (asked once per user object)."""
    if not may_moderate(user):
        return None
    cached = getattr(user, _CACHE_ATTR, False)
    if cached is False:
        cached = (
            ModerationSession.objects.filter(
                moderator=user, ended_at__isnull=True, expires_at__gt=timezone.now()
            )
            .order_by("-expires_at")
            .first()
        )
        setattr(user, _CACHE_ATTR, cached)
    if cached is not None and cached.expires_at <= timezone.now():
        return None
    return cached


def assume_no_session(user):
    """Mark `user` as having no moderation session, without asking the database: for the
    unsaved stand-in accounts queries are compiled for (core.header), never signed in."""
    setattr(user, _CACHE_ATTR, None)
    return user


def is_site_moderator(user) -> bool:
    """A superuser inside a moderation session: every group opens to them as to its
    organizers (they never count as a group's organizer or member)."""
    return current_session(user) is not None


def forget(user) -> None:
    """Drop what this user object remembers of its session (after starting or ending one)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def moderation_session_start(*, actor, reason: str) -> ModerationSession:
    """Start a moderation session (an hour), recorded with its reason."""
    user = actor.user if isinstance(actor, Actor) else actor
    if not may_moderate(user):
        raise NotAllowed
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError({"reason": _("Say why you need to see private groups.")})
    with transaction.atomic():
        now = timezone.now()
        ModerationSession.objects.filter(
            moderator=user, ended_at__isnull=True, expires_at__gt=now
        ).update(ended_at=now)
        session = ModerationSession.objects.create(
            moderator=user,
            reason=reason[:500],
            started_at=now,
            expires_at=now + SESSION_LENGTH,
        )
        activity.record(
            actor=user, verb="moderation.started", subject=session, data={"reason": session.reason}
        )
    setattr(user, _CACHE_ATTR, session)
    return session


def moderation_session_end(*, actor) -> None:
    """End the actor's moderation session now."""
    user = actor.user if isinstance(actor, Actor) else actor
    with transaction.atomic():
        now = timezone.now()
        for session in ModerationSession.objects.filter(
            moderator=user, ended_at__isnull=True, expires_at__gt=now
        ):
            session.ended_at = now
            session.save(update_fields=["ended_at"])
            activity.record(actor=user, verb="moderation.ended", subject=session)
    if user is not None:
        setattr(user, _CACHE_ATTR, None)


def note_private_view(user, *, subject, group_id: int, what: str = "") -> None:
    """A moderator opened a private page as a moderator: write it down (the group's members
    deserve to know). Called by the access_ selectors of private content; `what` names what was
    seen when the subject alone does not say it ("members")."""
    session = current_session(user)
    if session is None:
        return
    with transaction.atomic():
        activity.record(
            actor=user,
            verb="moderation.viewed",
            subject=subject,
            group_id=group_id,
            data={"moderation_session": session.pk, **({"what": what} if what else {})},
        )
