"""What the hours ledger holds about a person, for "download my data" and "delete my account".

On deletion the person's hours stay in the ledger, so the organizations' totals stay true: the
entries keep pointing at the account row, which accounts anonymizes ("Former member"). Their
statements are withdrawn (deleted): a statement carries the person's name, and its
verification link then answers "unknown code", like any code never issued.
"""

from accounts.personal_data import register
from volunteering.models import HoursEntry, HoursStatement


def export(user) -> dict:
    """The person's hours entries (as logged and as reviewed) and the statements they asked for."""
    entries = (
        HoursEntry.objects.filter(volunteer=user)
        .select_related("project__group")
        .order_by("worked_on", "pk")
    )
    statements = HoursStatement.objects.filter(volunteer=user).order_by("issued_at", "pk")
    return {
        "hours": [
            {
                "project": entry.project.title,
                "organization": entry.project.group.name,
                "worked_on": entry.worked_on.isoformat(),
                "minutes": entry.minutes,
                "description": entry.description,
                "source": entry.source,
                "status": entry.status,
                "review_note": entry.review_note,
                "reviewed_at": entry.reviewed_at.isoformat() if entry.reviewed_at else None,
                "created_at": entry.created_at.isoformat(),
            }
            for entry in entries
        ],
        "hours_statements": [
            {"code": s.code, "issued_at": s.issued_at.isoformat(), "content": s.content}
            for s in statements
        ],
    }


def erase(user) -> None:
    """Withdraw the person's statements; their hours stay, under the anonymized account."""
    for statement in HoursStatement.objects.filter(volunteer=user):
        statement.entries.clear()
        statement.delete()


register("volunteering_hours", export=export, erase=erase)
