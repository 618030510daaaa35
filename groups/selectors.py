"""Reads of groups and memberships, already limited to what the user may see.

Anything the user may not see raises core.exceptions.NotFound (the website answers 404, the API
will too); selectors that return people check that the user may see them. A site moderator who
opens a private group's page or its members as a moderator (not as a member) is written to the
activity log (core.moderation.note_private_view).
"""

import datetime as dt

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import blocked_either_way_q
from core import activity, header
from core.exceptions import NotFound
from core.models import Activity
from core.moderation import is_site_moderator, note_private_view
from groups import permissions
from groups.models import Group, Membership, Report


def _count_of(status: str):
    """How many memberships in `status` the group has, as a subquery per group: counted only
    for the groups a page shows, never for all of them before the page is cut."""
    return Coalesce(
        Subquery(
            Membership.objects.filter(group=OuterRef("pk"), status=status)
            .order_by()
            .values("group")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        member_count=_count_of(Membership.Status.ACTIVE),
        pending_count=_count_of(Membership.Status.PENDING),
    )


def group_list_visible(*, user, filters: dict | None = None) -> QuerySet:
    """The directory: groups listed for the user, filtered by `q` (name and description),
    `category` and `city`, with their member counts."""
    filters = filters or {}
    groups = Group.objects.listed_for(user)
    if text := (filters.get("q") or "").strip():
        groups = groups.filter(Q(name__icontains=text) | Q(description__icontains=text))
    if category := filters.get("category"):
        groups = groups.filter(category=category)
    if city := (filters.get("city") or "").strip():
        groups = groups.filter(city__iexact=city)
    return _with_counts(groups).order_by("name", "pk")


def note_moderator_view(
    user, group: Group, *, membership=permissions.UNKNOWN, subject=None, what: str = ""
) -> None:
    """Log a private group opened by a site moderator in a session who is not its member."""
    if not group.is_private or not is_site_moderator(user):
        return
    if permissions.is_active_member(user, group, membership=membership):
        return
    note_private_view(user, subject=subject or group, group_id=group.pk, what=what)


def access_group(*, user, slug: str) -> Group:
    """The group whose page the user may open, with its member counts; NotFound otherwise
    (missing or hidden: never says which)."""
    return access_group_with_membership(user=user, slug=slug)[0]


_OWN_MEMBERSHIP_FIELDS = ("pk", "role", "status", "joined_at", "join_answer")


def with_own_membership(queryset: QuerySet, *, user, group: str = "pk") -> QuerySet:
    """`queryset` with the user's own membership of the group its rows name through `group`
    (any status), read in the same query: `own_membership` gives it back."""
    own = Membership.objects.filter(group=OuterRef(group), user=user)
    return queryset.annotate(
        **{f"own_{name}": Subquery(own.values(name)[:1]) for name in _OWN_MEMBERSHIP_FIELDS}
    )


def own_membership(row, *, group: Group, user) -> Membership | None:
    """The membership `with_own_membership` read along with `row` (None when there is none)."""
    if row.own_pk is None:
        return None
    membership = Membership(
        group=group,
        user=user,
        **{name: getattr(row, f"own_{name}") for name in _OWN_MEMBERSHIP_FIELDS},
    )
    membership._state.adding = False
    membership._state.db = row._state.db
    return membership


def access_group_with_membership(*, user, slug: str) -> tuple[Group, Membership | None]:
    """The group (as access_group) and the user's own membership of it, any status (None when
    there is none), read in the same query."""
    groups = _with_counts(Group.objects.visible_to(user).filter(slug=slug))
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        groups = with_own_membership(groups, user=user)
    group = groups.first()
    if group is None:
        raise NotFound
    membership = own_membership(group, group=group, user=user) if signed_in else None
    note_moderator_view(user, group, membership=membership if signed_in else permissions.UNKNOWN)
    return group, membership


def group_list_for_member(*, user) -> QuerySet:
    """The user's own memberships (active and asked to join), with their groups."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(
            user=user, status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING]
        )
        .select_related("group")
        .order_by("group__name", "pk")
    )


def membership_get_own(*, user, slug: str) -> Membership | None:
    """The user's own active membership or request to join the group, with the group; None
    when there is none (or the user is banned)."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(
            user=user,
            group__slug=slug,
            status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING],
        )
        .select_related("group")
        .first()
    )


def member_list(
    *, group: Group, user, membership=permissions.UNKNOWN, managing: bool = False
) -> QuerySet:
    """Active members of the group with their public profiles, organizers first, but for
    anyone the viewer blocked or who blocked the viewer; NotFound for anyone who may not see
    the member list. `managing` (the workspace's member pages and exports) keeps everyone: an
    organizer still runs the group for people they blocked."""
    if not permissions.can_view_members(user, group, membership=membership):
        raise NotFound
    note_moderator_view(user, group, membership=membership, what="members")
    if managing:
        return _members(group)
    return _members(group).exclude(blocked_either_way_q(user, field="user_id"))


def _members(group: Group) -> QuerySet:
    role_order = {
        Membership.Role.ORGANIZER: 0,
        Membership.Role.HOST: 1,
        Membership.Role.MEMBER: 2,
    }
    return (
        Membership.objects.filter(group=group, status=Membership.Status.ACTIVE)
        .select_related("user")
        .annotate(
            role_rank=Case(
                *(When(role=role, then=Value(rank)) for role, rank in role_order.items()),
                output_field=IntegerField(),
            )
        )
        .order_by("role_rank", "joined_at", "pk")
    )


def member_get(*, group: Group, user, user_id: int, membership=permissions.UNKNOWN) -> Membership:
    """One active member of the group, for someone who may see the member list; NotFound
    otherwise."""
    if not permissions.can_view_members(user, group, membership=membership):
        raise NotFound
    result = (
        _members(group)
        .exclude(blocked_either_way_q(user, field="user_id"))
        .filter(user_id=user_id)
        .first()
    )
    if result is None:
        raise NotFound
    note_moderator_view(user, group, membership=membership, subject=result, what="member")
    return result


def membership_for_management(
    *, group: Group, user, user_id: int, membership=permissions.UNKNOWN
) -> Membership:
    """The membership (any status) of `user_id` that `user` may act on: active members for
    whoever may remove members (organizers, hosts who see the list), requests to join and bans
    for organizers only; NotFound otherwise, exactly as for a person who never asked to join."""
    if not permissions.can_remove_members(user, group, membership=membership):
        raise NotFound
    found = (
        Membership.objects.select_related("user", "group")
        .filter(group=group, user_id=user_id)
        .first()
    )
    if found is None:
        raise NotFound
    if found.status != Membership.Status.ACTIVE and not permissions.can_manage_group(
        user, group, membership=membership
    ):
        raise NotFound
    return found


def _for_organizers(*, group: Group, user, membership, status: str, order: tuple) -> QuerySet:
    """The group's memberships in `status`, with their people; NotFound unless `user`
    organizes."""
    if not permissions.can_manage_group(user, group, membership=membership):
        raise NotFound
    note_moderator_view(user, group, membership=membership, what=status)
    return (
        Membership.objects.filter(group=group, status=status)
        .select_related("user")
        .order_by(*order)
    )


def join_request_list(*, group: Group, user, membership=permissions.UNKNOWN) -> QuerySet:
    """Pending requests to join, oldest first; only for the group's organizers."""
    return _for_organizers(
        group=group,
        user=user,
        membership=membership,
        status=Membership.Status.PENDING,
        order=("created_at", "pk"),
    )


def banned_list(*, group: Group, user, membership=permissions.UNKNOWN) -> QuerySet:
    """People banned from the group, most recent first; only for the group's organizers."""
    return _for_organizers(
        group=group,
        user=user,
        membership=membership,
        status=Membership.Status.BANNED,
        order=("-updated_at", "-pk"),
    )


def notice_audience(*, group_ids=None, user_ids=None) -> QuerySet:
    """Who a group's notices (a new event, the weekly digest) go to and may still be shown to:
    the active memberships of the groups (among `user_ids` when given). Pending and banned
    people are not members, and site moderators are not members either. The one rule, for
    writing notices to an audience and for re-checking them at send time; a single membership
    answers the same with `permissions.is_active_member`."""
    found = Membership.objects.filter(status=Membership.Status.ACTIVE)
    if group_ids is not None:
        found = found.filter(group_id__in=group_ids)
    if user_ids is not None:
        found = found.filter(user_id__in=user_ids)
    return found


def workspace_group_list(*, user) -> QuerySet:
    """The user's memberships as organizer or host (the organizer workspace's home), with their
    groups and, for organizers, how many people asked to join (`pending_count`) and how many
    reports wait (`reports_count`)."""
    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(
            user=user,
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
        )
        .select_related("group")
        .annotate(
            pending_count=Count(
                "group__memberships",
                filter=Q(group__memberships__status=Membership.Status.PENDING),
            ),
            reports_count=header.count_of(
                Report.objects.filter(
                    group_id=OuterRef("group_id"), status=Report.Status.OPEN, for_staff=False
                ).exclude(reported_user=user)
            ),
        )
        .order_by("group__name", "pk")
    )


def access_workspace_group(*, user, slug: str) -> tuple[Group, Membership | None]:
    """The group whose workspace the user may open (its organizers and hosts; site moderators
    inside a moderation session) and the user's membership (one query); NotFound for anyone
    else."""
    if user is None or not user.is_authenticated:
        raise NotFound
    group = with_own_membership(Group.objects.filter(slug=slug), user=user).first()
    if group is None:
        raise NotFound
    membership = own_membership(group, group=group, user=user)
    require_workspace(user=user, group=group, membership=membership)
    return group, membership


def require_workspace(*, user, group: Group, membership: Membership | None) -> None:
    """The rule of access_workspace_group for a group and membership read elsewhere (with a
    page's subject, in the same query): NotFound for anyone who may not run it."""
    if not permissions.can_manage_events(user, group, membership=membership):
        raise NotFound
    note_moderator_view(user, group, membership=membership, what="workspace")


def counts_in_one(*, group: Group, counts: dict) -> dict[str, int]:
    """`counts` (name -> core.header.count_of expression, each already limited to what the
    viewer may count) read for a page of the group's in one query."""
    return Group.objects.filter(pk=group.pk).values(**counts).get()


def organize_groups(user):
    """How many groups the user organizes or hosts, as an expression (core.header)."""
    return header.count_of(
        Membership.objects.filter(
            user=user,
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
        )
    )


def organize_pending(user):
    """How many requests to join wait in the groups the user organizes (core.header)."""
    organized = Membership.objects.filter(
        user=user, status=Membership.Status.ACTIVE, role=Membership.Role.ORGANIZER
    ).values("group_id")
    return header.count_of(
        Membership.objects.filter(status=Membership.Status.PENDING, group_id__in=organized)
    )


def workspace_attention(*, user) -> dict[str, int]:
    """For the header: how many groups the user organizes or hosts (`groups`) and how many
    requests to join wait in those they organize (`pending`). One query."""
    if user is None or not user.is_authenticated:
        return {"groups": 0, "pending": 0}
    return Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
    ).aggregate(
        groups=Count("pk", distinct=True),
        pending=Count(
            "group__memberships",
            filter=Q(
                role=Membership.Role.ORGANIZER,
                group__memberships__status=Membership.Status.PENDING,
            ),
        ),
    )


def group_activity(
    *,
    group: Group,
    user,
    membership=permissions.UNKNOWN,
    verb: str = "",
    actor_kind: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet:
    """The group's activity log (core.activity.for_group), newest first, narrowed by verb,
    kind of actor and time; only for the group's organizers (it holds removal and ban
    reasons)."""
    if not permissions.can_manage_group(user, group, membership=membership):
        raise NotFound
    rows = activity.for_group(group.pk)
    if verb:
        rows = rows.filter(verb=verb)
    if actor_kind:
        rows = rows.filter(actor_kind=actor_kind)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if until is not None:
        rows = rows.filter(created_at__lt=until)
    return rows


def group_activity_verbs(*, group: Group, user, membership=permissions.UNKNOWN) -> list[str]:
    """The verbs found in the group's log (the log page's filter choices); organizers only."""
    if not permissions.can_manage_group(user, group, membership=membership):
        raise NotFound
    return sorted(
        set(activity.for_group(group.pk).order_by().values_list("verb", flat=True).distinct())
    )


# How many answered requests to join "how soon organizers usually reply" needs before it says
# anything, and how many of the latest it reads.
REPLY_TIME_MIN_DECISIONS = 3
REPLY_TIME_RECENT_DECISIONS = 20
_DECISION_VERBS = ("membership.approved", "membership.declined")


def usual_reply_time(*, group: Group) -> dt.timedelta | None:
    """The median time organizers took to answer the group's latest requests to join (approved
    or declined), from the activity log; None without enough history. One query."""
    requested = Activity.objects.filter(
        subject=OuterRef("subject"), verb="membership.requested", group_id=group.pk
    ).order_by("-created_at")
    decisions = (
        Activity.objects.filter(group_id=group.pk, verb__in=_DECISION_VERBS)
        .annotate(asked_at=Subquery(requested.values("created_at")[:1]))
        .filter(asked_at__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", "asked_at")[:REPLY_TIME_RECENT_DECISIONS]
    )
    waits = sorted(max(answered - asked, dt.timedelta(0)) for answered, asked in decisions)
    if len(waits) < REPLY_TIME_MIN_DECISIONS:
        return None
    return waits[len(waits) // 2]


def _facilitator_first_names(group: Group) -> list[str]:
    """The first names of the group's active organizers and hosts, organizers first."""
    people = (
        _members(group)
        .filter(role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST])
        .only("role", "joined_at", "user", "user__display_name", "user__deleted_at")
    )
    names = []
    for membership in people:
        person = membership.user
        words = person.display_name.split()
        if words and person.deleted_at is None:
            names.append(words[0])
    return names


def outsider_view(*, group: Group, user, membership=permissions.UNKNOWN) -> dict:
    """What a private group's organizers chose to show people outside it: the code of conduct,
    the facilitators' first names, when and where they meet, what happens after asking and how
    soon organizers usually reply. Empty for anyone who sees the group's content anyway, and
    nothing else of the group (no events, members or counts). At most two queries."""
    if permissions.can_view_group_content(user, group, membership=membership):
        return {}
    if not permissions.can_view_group(user, group, membership=membership):
        raise NotFound
    view = {}
    if group.outsiders_see_conduct and group.code_of_conduct:
        view["conduct"] = group.code_of_conduct
    if group.outsiders_see_meeting and group.meeting_pattern:
        view["meeting"] = group.meeting_pattern
    if group.outsiders_see_after_request and group.after_request:
        view["after_request"] = group.after_request
    if group.outsiders_see_facilitators and (names := _facilitator_first_names(group)):
        view["facilitators"] = names
    if group.outsiders_see_reply_time and (wait := usual_reply_time(group=group)) is not None:
        view["reply_time"] = wait
    return view


def is_last_organizer(*, membership: Membership) -> bool:
    """Whether this active organizer is the group's only one (they must hand over before
    leaving; the service refuses otherwise). One query, only for organizers."""
    if (
        membership.status != Membership.Status.ACTIVE
        or membership.role != Membership.Role.ORGANIZER
    ):
        return False
    return not (
        Membership.objects.filter(
            group_id=membership.group_id,
            role=Membership.Role.ORGANIZER,
            status=Membership.Status.ACTIVE,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def report_queue(*, group: Group, user, membership=permissions.UNKNOWN) -> QuerySet:
    """The reports for the group's organizers (its content, not those sent to site staff),
    open ones first, then the latest decided; NotFound unless `user` organizes. Never names
    who filed them."""
    if not permissions.can_manage_group(user, group, membership=membership):
        raise NotFound
    note_moderator_view(user, group, membership=membership, what="reports")
    return (
        Report.objects.filter(group=group, for_staff=False)
        .defer("reporter")
        .select_related("reported_user", "decided_by")
        .annotate(
            open_first=Case(
                When(status=Report.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-created_at", "-pk")
    )


def access_group_report(*, group: Group, user, pk: int, membership=permissions.UNKNOWN) -> Report:
    """One report of the group's organizers' queue; NotFound otherwise."""
    found = report_queue(group=group, user=user, membership=membership).filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


def organize_reports(user):
    """How many reports wait for the user in the groups they organize (core.header)."""
    organized = Membership.objects.filter(
        user=user, status=Membership.Status.ACTIVE, role=Membership.Role.ORGANIZER
    ).values("group_id")
    return header.count_of(
        Report.objects.filter(
            status=Report.Status.OPEN, for_staff=False, group_id__in=organized
        ).exclude(reported_user=user)
    )


def members_chosen(
    *, group: Group, user, user_ids, membership=permissions.UNKNOWN, limit: int = 500
) -> list[Membership]:
    """The active members among `user_ids` (the workspace's "message the chosen"), for the
    group's organizers only; ids of anyone else are dropped."""
    if not permissions.can_manage_group(user, group, membership=membership):
        raise NotFound
    # Only ids a database key can hold: a huge number is nobody, not a database error.
    ids = sorted({pk for pk in user_ids if isinstance(pk, int) and 0 < pk < 2**63})[:limit]
    return list(_members(group).filter(user_id__in=ids))
