import functools

from core import header


def _summary(request) -> dict[str, int]:
    found = header.counts(request)
    return {
        "groups": found["organize_groups"],
        "pending": found["organize_pending"] + found["organize_reports"],
    }


def attention(request):
    """The header's "Organize" link and the count of what needs the viewer there (requests to
    join and reports to review in the groups they organize): counted with the header's other
    counts in one query, only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"organize": functools.cache(lambda: _summary(request))}
