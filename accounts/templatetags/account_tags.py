"""Template filters about accounts."""

from django import template

register = template.Library()


@register.filter
def masked_email(address: str) -> str:
    """An address shown so that its owner recognises it and others learn little from it:
    the first letter of the mailbox and the whole domain ("r•••@example.com")."""
    mailbox, at, domain = (address or "").rpartition("@")
    if not at or not mailbox:
        return "•••"
    return f"{mailbox[0]}•••@{domain}"
