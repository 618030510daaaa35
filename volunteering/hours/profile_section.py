"""The "Volunteer hours" section of a person's own profile (accounts.profile_sections)."""

from accounts.profile_sections import register
from volunteering.hours.selectors import verified_hours_summary
from volunteering.hours.statement import hours_text


def context(*, user) -> dict:
    """Verified hours per project and per year (two queries)."""
    summary = verified_hours_summary(user=user)
    for row in summary["per_project"] + summary["per_year"]:
        row["hours"] = hours_text(row["minutes"])
    return {**summary, "total_hours": hours_text(summary["total_minutes"])}


register(
    "volunteering_hours", order=10, template="volunteering/hours/_profile.html", context=context
)
