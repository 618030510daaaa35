"""Checking an hours statement by its code: the public answer, for anyone, without an account.

The answer says only what the statement itself says (never the volunteer's other hours, groups
or profile), and the same "unknown" for a code that was never issued, a malformed one and a
statement withdrawn by its owner's account deletion.
"""

from __future__ import annotations

from dataclasses import dataclass

from volunteering.hours.statement import (
    content_hash,
    display_code,
    fingerprint,
    hours_text,
    normalize_code,
)
from volunteering.models import HoursStatement

GENUINE = "genuine"
ALTERED = "altered"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verification:
    state: str
    code: str = ""
    content: dict | None = None
    fingerprint: str = ""
    # For a genuine statement: whether the verified hours it counts still stand in the ledger.
    ledger_unchanged: bool | None = None

    @property
    def display_code(self) -> str:
        return display_code(self.code) if self.code else ""

    @property
    def projects(self) -> list[dict]:
        """The statement's projects with their hours as printed."""
        return [
            {**project, "hours": hours_text(project["minutes"])}
            for project in (self.content or {}).get("projects", [])
        ]

    @property
    def total_hours(self) -> str:
        return hours_text(self.content["total_minutes"]) if self.content else ""


def statement_verification(*, code: str) -> Verification:
    """What the verification page says for a code (one query)."""
    normalized = normalize_code(code)
    if normalized is None:
        return Verification(state=UNKNOWN)
    statement = HoursStatement.objects.filter(code=normalized).first()
    if statement is None:
        return Verification(state=UNKNOWN)
    digest = content_hash(code=statement.code, content=statement.content)
    if digest != statement.content_hash:
        return Verification(state=ALTERED, code=statement.code)
    return Verification(
        state=GENUINE,
        code=statement.code,
        content=statement.content,
        fingerprint=fingerprint(digest),
        ledger_unchanged=_ledger_unchanged(statement),
    )


def _ledger_unchanged(statement: HoursStatement) -> bool:
    from volunteering.hours.selectors import statement_entries_unchanged

    return statement_entries_unchanged(statement)
