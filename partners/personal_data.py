"""What the partners app holds about a person: registrations partners asked for by their email
address. Exported on request; erased (the rows deleted) with the account, since an email is
all they hold."""

from django.db.models import Q

from accounts.personal_data import register
from partners.models import Registration


def _theirs(user):
    return Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def export(user) -> dict:
    rows = _theirs(user).select_related("client__organization").order_by("created_at")
    return {
        "registrations": [
            {
                "partner": r.client.organization.name,
                "email": r.email,
                "event": r.event_id,
                "shift": r.shift_id,
                "status": r.status,
                "consent_stated_at": r.consent_at.isoformat(),
                "created_at": r.created_at.isoformat(),
            }
            for r in rows
        ]
    }


def erase(user) -> None:
    _theirs(user).delete()


register("partners", export=export, erase=erase)
