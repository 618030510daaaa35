"""The coordinators' CSV of a project's hours: a header row, one row per ledger entry.

Volunteers appear by the name other members see (never an email address; a deleted account is
"Former member", its hours still counted). Text a spreadsheet would run as a formula (starting
with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe (OWASP's advice).
"""

from __future__ import annotations

import csv
import io

from volunteering.hours.statement import hours_text

HEADER = (
    "entry",
    "date worked",
    "volunteer",
    "shift",
    "hours",
    "minutes",
    "source",
    "status",
    "description",
    "reviewed by",
    "reviewed at",
    "note",
    "reverses entry",
    "corrects entry",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value) -> str:
    """A text cell a spreadsheet shows as text, never runs."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def hours_csv(entries) -> str:
    """The CSV text for entries loaded with their volunteer, shift role and reviewer."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for entry in entries:
        shift = (
            f"{entry.shift.role.name} {entry.shift.starts_at:%Y-%m-%d %H:%M} UTC"
            if entry.shift
            else ""
        )
        writer.writerow(
            [
                entry.pk,
                entry.worked_on.isoformat(),
                neutralize(entry.volunteer.public_name),
                neutralize(shift),
                hours_text(entry.minutes),
                entry.minutes,
                entry.source,
                entry.status,
                neutralize(entry.description),
                neutralize(entry.reviewed_by.public_name if entry.reviewed_by else ""),
                entry.reviewed_at.isoformat() if entry.reviewed_at else "",
                neutralize(entry.review_note),
                entry.reverses_id or "",
                entry.corrects_id or "",
            ]
        )
    return out.getvalue()
