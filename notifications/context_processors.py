import functools

from notifications.selectors import inbox_unread_count


def inbox(request):
    """The unread count for the header's inbox link, counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread_count": functools.cache(lambda: inbox_unread_count(user=user))}
