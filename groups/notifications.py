"""What the groups app tells people. Called by groups services inside their transaction."""

from groups.models import Membership


def on_join_request_approved(*, membership: Membership) -> None:
    """An organizer approved a request to join."""
