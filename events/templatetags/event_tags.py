from django import template

from events.models import Event

register = template.Library()


@register.inclusion_tag("events/_group_events.html")
def group_upcoming_events(group, user, limit=10):
    """Upcoming events of a group, for its page; only what the user may see."""
    events = list(
        Event.objects.visible_to(user)
        .filter(group=group)
        .upcoming()
        .select_related("group")
        .order_by("starts_at")[:limit]
    )
    return {"events": events, "group": group}
