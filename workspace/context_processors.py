import functools

from core import header


def _summary(request) -> dict[str, int]:
    found = header.counts(request)
    # What needs the viewer: requests to join and reports to review (organizers) and hours to
    # review (organizers and hosts), counted in the header's one query.
    return {
        "groups": found["organize_groups"],
        "pending": found["organize_pending"] + found["organize_hours"] + found["organize_reports"],
    }


def attention(request):
    """The header's "Organize" link and the count of what needs the viewer there (requests to
    join and reports to review in the groups they organize, hours waiting for review in those
    they run): counted with the header's other counts in one query, only when a template shows
    it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"organize": functools.cache(lambda: _summary(request))}
