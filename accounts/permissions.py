"""Who may act on a person's account: yes/no predicates, the rule behind the account services."""

from core.actors import as_actor


def can_manage_account(actor, user, *, permission: str = "accounts.change_user") -> bool:
    """The person themselves, the system, or active staff holding `permission`; never an API
    client (accounts are not in any partner's grant) and never nobody."""
    actor = as_actor(actor)
    if actor is None or actor.is_client:
        return False
    if actor.is_system:
        return True
    person = actor.user
    if person.pk == user.pk:
        return person.is_active
    return person.is_active and person.is_staff and person.has_perm(permission)
