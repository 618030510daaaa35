"""Embeds for partners without developers: a small HTML list of upcoming public events, with no
JavaScript, that only the partner's declared sites may put in an iframe (CSP frame-ancestors;
X-Frame-Options left off there, since it cannot name a site and CSP supersedes it)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from partners import selectors_site as selectors


def _framed_by(response, origins: list[str]):
    """Framing allowed for `origins` only; with none declared the site's default (no one)
    stands, X-Frame-Options included."""
    if origins:
        response._csp_replace = {"frame-ancestors": origins}
        response.xframe_options_exempt = True
    return response


@require_GET
def embed_group(request, slug):
    """A public group's next events; 404 for a group that is not public."""
    group, events, origins = selectors.embed_group(slug=slug)
    response = render(
        request, "partners/embed.html", {"title": group.name, "events": events, "group": group}
    )
    return _framed_by(response, origins)


@require_GET
def embed_partner(request, slug):
    """The next public events of every group the partner owns."""
    partner, events = selectors.embed_partner(slug=slug)
    response = render(request, "partners/embed.html", {"title": partner.name, "events": events})
    return _framed_by(response, partner.embed_origin_list)
