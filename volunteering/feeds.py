"""The volunteer's shifts in their private calendar feed (core.calendar): registered at start-up
so the feed served by the events app lists them without importing this app."""

from core import calendar
from volunteering import selectors
from volunteering.ical import shift_feed_item


def feed_items(*, user, base_url: str):
    """The shifts the person is signed up for; they see the address (they are signed up)."""
    return [
        shift_feed_item(shift, show_location=True, base_url=base_url)
        for shift in selectors.calendar_feed_shifts(user=user)
    ]


calendar.register("volunteering", items=feed_items)
