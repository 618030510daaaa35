import functools

from core import header


def partner_link(request):
    """The header's "Partner" link, for organizers of a partner's groups: counted with the
    header's other counts in one query, only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"partners_managed": functools.cache(lambda: header.counts(request)["partners_managed"])}
