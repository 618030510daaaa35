"""Event cards for the lists (the event list, the home page's sections): the card of an event
that is not a series' date and shows no distance is the same for everyone but for the viewer's
own badge ("Going", "On the waitlist"), so it is rendered once per event and language, with
every variant of that badge between markers, and kept in the cache under the version visitors'
cached pages use (core.pagecache: bumped on commit whenever an event, its seats, its group or
its tags change). Per request the variants that do not apply to the viewer are cut out: nothing
about one viewer is ever stored, so no viewer can be shown another's answer. One cache round
trip per list; EVENT_CARD_CACHE_SECONDS=0 renders every card every time."""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import pagecache

CARD_TEMPLATE = "events/_event_card.html"
VIEWER_VARIANTS = ("going", "waitlisted")
# Part of every key: a card template whose markers change after a deploy starts afresh.
CARD_FORMAT = 1


def _keep_viewer_variant(html: str, status: str | None) -> str:
    """The public card with only the viewer's own badge (if any) left in."""
    for variant in VIEWER_VARIANTS:
        start, end = f"<!--viewer:{variant}-->", f"<!--/viewer:{variant}-->"
        if variant == status:
            html = html.replace(start, "", 1).replace(end, "", 1)
            continue
        cut_from = html.find(start)
        cut_to = html.find(end, cut_from)
        if cut_from >= 0 and cut_to >= 0:
            html = html[:cut_from] + html[cut_to + len(end) :]
    return html


def cards_html(events, *, show_distance: bool = False) -> SafeString:
    """Every card of `events` (already limited to what the viewer may see), in order."""
    template = get_template(CARD_TEMPLATE)
    seconds = settings.EVENT_CARD_CACHE_SECONDS
    events = list(events)
    public = [
        event
        for event in events
        if seconds and not show_distance and not event.series_id and event.pk is not None
    ]
    keys = {}
    found = {}
    # The version read before the page's rows were (reads_version_first): a card drawn from
    # rows read before a change must not be kept under the version that change made.
    version = pagecache.version_at_start()
    if public and version is not None:
        prefix = f"eventcard:{CARD_FORMAT}:{version}:{get_language()}:"
        keys = {event.pk: f"{prefix}{event.pk}" for event in public}
        found = cache.get_many(list(keys.values()))
    missing = {}
    rendered = []
    for event in events:
        key = keys.get(event.pk)
        if key is None:
            rendered.append(template.render({"event": event, "show_distance": show_distance}))
            continue
        html = found.get(key)
        if html is None:
            html = template.render({"event": event, "public_only": True})
            missing[key] = html
        rendered.append(_keep_viewer_variant(html, getattr(event, "viewer_status", None)))
    if missing:
        cache.set_many(missing, seconds)
    # Rendered by the template (escaped there); the markers cut are our own comments.
    return mark_safe("".join(rendered))  # noqa: S308
