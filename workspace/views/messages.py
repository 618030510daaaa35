"""Reach your people: a message to every member or to the members chosen (organizers) or to
one event's people going and waiting (organizers and hosts), sent through the notifications
outbox (each person's channels and preferences), rate-limited, kept in the activity log."""

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import ServiceError
from core.ratelimit import rate_limited
from core.web import add_service_error
from events import selectors as event_selectors
from events.services import event_message_send
from groups import selectors as group_selectors
from groups.services import group_message_send
from workspace import navigation
from workspace.access import workspace_view
from workspace.forms import MessageForm

require_form_methods = require_http_methods(["GET", "HEAD", "POST"])


def _send(request, workspace, *, send, template, extra, done):
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = send(form.cleaned_data["subject"], form.cleaned_data["body"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            flash.success(request, done % {"n": count})
            return None
    return render(
        request,
        template,
        navigation.page_context(
            workspace,
            section="members",
            form=form,
            **extra,
        ),
        status=400 if form.is_bound else 200,
    )


def _chosen_ids(data) -> list[int]:
    ids = []
    for value in data.getlist("to"):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    return ids


@require_form_methods
@workspace_view(organizers_only=True)
@rate_limited("organizer_message")
def group_message(request, workspace):
    """Message all members, or the members chosen on the members page (`to`, with `chosen`
    set by that page's form)."""
    data = request.POST if request.method == "POST" else request.GET
    chosen = None
    if data.get("chosen") == "1":
        chosen = group_selectors.members_chosen(
            group=workspace.group,
            user=request.user,
            user_ids=_chosen_ids(data),
            membership=workspace.membership,
        )
    response = _send(
        request,
        workspace,
        send=lambda subject, body: group_message_send(
            group=workspace.group,
            actor=request.user,
            subject=subject,
            body=body,
            user_ids=None if chosen is None else [m.user_id for m in chosen],
        ),
        template="workspace/message.html",
        extra={"event": None, "chosen": chosen},
        done=_("Your message is on its way (%(n)s notices)."),
    )
    return response or redirect("workspace:dashboard", workspace.group.slug)


@require_form_methods
@workspace_view
@rate_limited("organizer_message")
def event_message(request, workspace, event_slug):
    """Message the people going to and waiting for one event."""
    event = event_selectors.access_workspace_event(
        user=request.user, group=workspace.group, slug=event_slug, membership=workspace.membership
    )
    response = _send(
        request,
        workspace,
        send=lambda subject, body: event_message_send(
            event=event, actor=request.user, subject=subject, body=body
        ),
        template="workspace/message.html",
        extra={"event": event},
        done=_("Your message is on its way (%(n)s notices)."),
    )
    return response or redirect("workspace:event", workspace.group.slug, event.slug)
