"""Who may do what in a group: one yes/no predicate per question.

The membership row is the source of truth. Every predicate takes an optional `membership`
keyword: a page that has already loaded the user's membership passes it (None when there is
none) so that asking several questions costs no further queries. A banned person is treated
exactly like an outsider.

Each predicate is asked about a person (a User) or an actor (core.actors): the system passes
every question but membership itself, an API client only runs the events of the groups its
grant names (`Actor.managed_group_ids`, set by the partners app for a write key), a person
is answered from their role. Superusers inside a moderation session
(`core.moderation.is_site_moderator`) may see and run every group as its organizers do, without
being members; outside a session they are answered like anyone else. Staff status alone grants
nothing here.
"""

from core.actors import Actor
from core.moderation import is_site_moderator
from groups.models import Group, Membership

UNKNOWN = object()
_SYSTEM = object()


def _who(user):
    """The person asked about, `_SYSTEM` for the system, None for an API client or nobody."""
    if isinstance(user, Actor):
        if user.is_system:
            return _SYSTEM
        return user.user if user.is_person else None
    return user


def _overrides(user) -> bool:
    """The system and site moderators in a session pass every question but membership."""
    return user is _SYSTEM or is_site_moderator(user)


def membership_get(user, group: Group) -> Membership | None:
    """The user's membership of the group, whatever its status; None for anonymous users."""
    user = _who(user)
    if user is None or user is _SYSTEM or not user.is_authenticated or group.pk is None:
        return None
    return Membership.objects.filter(group=group, user=user).first()


def _membership(user, group: Group, membership) -> Membership | None:
    if user is None or user is _SYSTEM:
        return None
    if membership is UNKNOWN:
        return membership_get(user, group)
    return membership


def _active(user, group: Group, membership) -> Membership | None:
    m = _membership(user, group, membership)
    if m is not None and m.status == Membership.Status.ACTIVE:
        return m
    return None


def is_active_member(user, group: Group, *, membership=UNKNOWN) -> bool:
    """True when the user is an active member (any role) of the group."""
    return _active(_who(user), group, membership) is not None


def can_view_group(user, group: Group, *, membership=UNKNOWN) -> bool:
    """May the user open the group's page? (Same rule as Group.objects.visible_to.)"""
    user = _who(user)
    if _overrides(user):
        return True
    if group.visibility != Group.Visibility.PRIVATE or group.listed_when_private:
        return True
    return is_active_member(user, group, membership=membership)


def can_view_group_content(user, group: Group, *, membership=UNKNOWN) -> bool:
    """May the user see the group's events, code of conduct and members' activity?
    (Same rule as Group.objects.content_visible_to.)"""
    user = _who(user)
    if _overrides(user):
        return True
    if group.visibility != Group.Visibility.PRIVATE:
        return True
    return is_active_member(user, group, membership=membership)


def can_view_members(user, group: Group, *, membership=UNKNOWN) -> bool:
    """May the user see who belongs to the group? Never outsiders: members when the
    organizers allow it, organizers (and site moderators) always."""
    user = _who(user)
    if _overrides(user):
        return True
    m = _active(user, group, membership)
    if m is None:
        return False
    if m.role == Membership.Role.ORGANIZER:
        return True
    return group.member_list_visibility == Group.MemberListVisibility.MEMBERS


def can_manage_group(user, group: Group, *, membership=UNKNOWN) -> bool:
    """May the user edit the group and decide on memberships? Active organizers (and site
    moderators) only."""
    user = _who(user)
    if _overrides(user):
        return True
    m = _active(user, group, membership)
    return m is not None and m.role == Membership.Role.ORGANIZER


def can_manage_events(user, group: Group, *, membership=UNKNOWN) -> bool:
    """May the user create and run the group's events? Active organizers and hosts (and site
    moderators); an API client for the groups its write grant names."""
    if isinstance(user, Actor) and user.is_client:
        return group.pk is not None and group.pk in user.managed_group_ids
    user = _who(user)
    if _overrides(user):
        return True
    m = _active(user, group, membership)
    return m is not None and m.role in (Membership.Role.ORGANIZER, Membership.Role.HOST)


def can_remove_members(user, group: Group, *, membership=UNKNOWN) -> bool:
    """May the user remove anyone at all from the group? Organizers, and hosts who may see
    the member list. Site moderators act as organizers."""
    user = _who(user)
    if _overrides(user):
        return True
    m = _active(user, group, membership)
    if m is None:
        return False
    if m.role == Membership.Role.ORGANIZER:
        return True
    return m.role == Membership.Role.HOST and can_view_members(user, group, membership=m)


def can_remove_member(user, target: Membership, *, membership=UNKNOWN) -> bool:
    """May the user remove `target` from its group? Organizers may remove anyone else; hosts
    may remove active plain members, never organizers or hosts. Site moderators act as
    organizers."""
    user = _who(user)
    if user is _SYSTEM:
        return True
    if is_site_moderator(user):
        return target.user_id != user.pk
    # With a known membership the target's group is not needed (nor loaded).
    group = target.group if membership is UNKNOWN else None
    m = _active(user, group, membership)
    if m is None or m.group_id != target.group_id or m.pk == target.pk:
        return False
    if m.role == Membership.Role.ORGANIZER:
        return True
    return (
        m.role == Membership.Role.HOST
        and target.role == Membership.Role.MEMBER
        and target.status == Membership.Status.ACTIVE
    )


def can_contact_organizers(user, group: Group, *, membership=UNKNOWN) -> bool:
    """May the person write to the group's organizers ("Contact the organizers")? Its active
    members, and for a public group anyone signed in who is not banned from it. Only people:
    the system and API clients do not write to organizers."""
    user = _who(user)
    if user is None or user is _SYSTEM or not user.is_authenticated:
        return False
    m = _membership(user, group, membership)
    if m is not None and m.status == Membership.Status.BANNED:
        return False
    if m is not None and m.status == Membership.Status.ACTIVE:
        return True
    return group.visibility == Group.Visibility.PUBLIC
