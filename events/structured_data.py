"""schema.org structured data (JSON-LD) for an event page, for search engines. Like the
calendar files, it holds the address and online link only for viewers who may see them."""

from events.ical import event_zone
from events.models import Event


def event_structured_data(event: Event, *, show_location: bool, url: str, group_url: str) -> dict:
    """schema.org Event: the address and online link only when `show_location`; otherwise the
    venue name and city."""
    status = "EventCancelled" if event.is_cancelled else "EventScheduled"
    in_person = bool(event.venue_name or event.address) or not event.online_url
    if event.online_url and in_person:
        mode = "MixedEventAttendanceMode"
    elif event.online_url:
        mode = "OnlineEventAttendanceMode"
    else:
        mode = "OfflineEventAttendanceMode"
    locations = []
    if in_person:
        place: dict = {"@type": "Place", "name": event.venue_name or event.public_city}
        address = {"@type": "PostalAddress"}
        if event.public_city:
            address["addressLocality"] = event.public_city
        if show_location and event.address:
            address["streetAddress"] = event.address
        if len(address) > 1:
            place["address"] = address
        if show_location and event.latitude is not None and event.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": event.latitude,
                "longitude": event.longitude,
            }
        locations.append(place)
    if event.online_url:
        virtual = {"@type": "VirtualLocation"}
        if show_location:
            virtual["url"] = event.online_url
        locations.append(virtual)
    tz = event_zone(event)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description[:1000],
        "url": url,
        "startDate": event.starts_at.astimezone(tz).isoformat(),
        "endDate": event.ends_at.astimezone(tz).isoformat(),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {"@type": "Organization", "name": event.group.name, "url": group_url},
    }
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = event.seats_left
    return data
