"""The kinds of notification the domain apps send, registered at start-up.

`notifications` knows no domain. Each app declares its kinds in its own `notifications.py`
(imported by `NotificationsConfig.ready`) with `register(Kind(...))`; a kind's renderer turns a
batch of outbox rows into messages, and says `None` for a row that should not go out any more
(the event was cancelled, the recipient left the private group...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from notifications.models import Channel


@dataclass(frozen=True)
class Rendered:
    """One message ready to deliver. `template` names a pair of templates, `<template>.txt`
    and `<template>.html`, rendered with `context` plus what every email carries."""

    subject: str
    url: str
    template: str
    context: dict = field(default_factory=dict)
    summary: str = ""
    attachments: tuple[tuple[str, bytes, str], ...] = ()


# reminder_subjects(user=..., now=...): for a kind with reminders, the subjects the user should be
# reminded of from now on, with their start: [("events.event:42", starts_at), ...].
ReminderSubjects = Callable[..., Iterable[tuple[str, dt.datetime]]]

# renderer(rows, delivering=True): at send time (re-check that the row is still valid) or for
# the inbox page (delivering=False: only re-check that the recipient may still see it).
Renderer = Callable[..., dict[int, "Rendered | None"]]

# inbox_visible(user): a Q over Notification rows of the kind, true for the rows the user may
# still see: the renderer's inbox re-check (delivering=False) in SQL, so the inbox pages and
# counts only what it shows. Subquery on the row's subject with `core.refs.ref_pk_sql`.
InboxVisible = Callable[..., Q]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str
    render: Renderer
    channels: tuple[str, ...] = (Channel.EMAIL, Channel.INBOX)
    default_channels: frozenset[str] = frozenset({Channel.EMAIL, Channel.INBOX})
    uses_reminder_offsets: bool = False
    reminder_subjects: ReminderSubjects | None = None
    weekly: bool = False
    inbox_visible: InboxVisible | None = None  # None: every row of the kind stays visible

    def default_for(self, channel: str) -> bool:
        return channel in self.default_channels


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Declare a kind; registering the same key twice replaces it (module reloads in tests)."""
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> Kind | None:
    return _kinds.get(key)


def all_kinds() -> Sequence[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.key)
