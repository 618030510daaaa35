import functools

from core import header


def inbox(request):
    """The unread count for the header's inbox link, counted (with the header's other counts,
    in one query) only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread_count": functools.cache(lambda: header.counts(request)["inbox_unread"])}
