"""Who may run a partner organization on the website: one yes/no predicate per question."""

from core.actors import Actor
from groups.models import Membership
from partners.models import PartnerGroup, PartnerOrganization


def partner_organizers(partner: PartnerOrganization):
    """Active organizers of any group the partner owns (a queryset of memberships)."""
    return Membership.objects.filter(
        group_id__in=PartnerGroup.objects.filter(organization=partner).values("group_id"),
        status=Membership.Status.ACTIVE,
        role=Membership.Role.ORGANIZER,
    )


def can_manage_partner(user, partner: PartnerOrganization) -> bool:
    """Keys, webhooks and embeds of a partner are run by the organizers of the groups it owns
    (and the system); an API client never manages its own organization's keys."""
    if isinstance(user, Actor):
        if user.is_system:
            return True
        if not user.is_person:
            return False
        user = user.user
    if user is None or not user.is_authenticated or partner.pk is None:
        return False
    return partner_organizers(partner).filter(user=user).exists()


def partner_organizer_memberships(user):
    """The user's active organizer memberships of groups some partner owns."""
    return Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        role=Membership.Role.ORGANIZER,
        group_id__in=PartnerGroup.objects.values("group_id"),
    )
