"""One small publish/subscribe point: services announce what happened, other apps listen.

Domain apps call `publish("event.created", event=...)` after their write; subscribers (the
partner API's webhooks, for instance) register with `subscribe`. Subscribers run inside the
caller's transaction, so what they write commits or rolls back with it.
"""

from collections import defaultdict
from collections.abc import Callable

_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(topic: str, handler: Callable[..., None]) -> None:
    if handler not in _subscribers[topic]:
        _subscribers[topic].append(handler)


def publish(topic: str, **payload) -> None:
    for handler in list(_subscribers.get(topic, ())) + list(_subscribers.get("*", ())):
        handler(topic=topic, **payload)


def unsubscribe(topic: str, handler: Callable[..., None]) -> None:
    if handler in _subscribers.get(topic, ()):
        _subscribers[topic].remove(handler)
