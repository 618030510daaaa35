import functools

from groups.selectors import workspace_attention


def attention(request):
    """The header's "Organize" link and the count of what needs the viewer there (requests to
    join in the groups they organize): one query, only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"organize": functools.cache(lambda: workspace_attention(user=user))}
