from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import header
from core.exceptions import NotFound, ServiceError
from core.paging import nearest_page_of
from core.web import add_service_error
from notifications import selectors, services
from notifications.delivery import rows_render
from notifications.forms import PreferencesForm


@login_required
@require_GET
def inbox(request):
    """The member's inbox: delivered in-app notices, newest first, paged without a count (newer
    and older links); the unread count is the header's (the same rule, in the same query)."""
    page = nearest_page_of(selectors.inbox_for(user=request.user), request.GET.get("page"), 20)
    # inbox_for already left out what the member may not see; the renderers check it again.
    rendered, _errors = rows_render(list(page.object_list), delivering=False)
    items = [(row, rendered[row.pk]) for row in page.object_list if rendered.get(row.pk)]
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "items": items, "unread": header.counts(request)["inbox_unread"]},
    )


def _local(url: str) -> str:
    """A notice's link, made relative when it points at this site (SITE_URL), so opening it
    stays on the host the member is using; anything else that is not this site's goes to the
    inbox."""
    site = settings.SITE_URL.rstrip("/")
    if site and url.startswith(site + "/"):
        url = url[len(site) :]
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return url
    return reverse("notifications:inbox")


@login_required
@require_GET
def open_notice(request, pk):
    """Opening a notice marks it read, then goes where it points (the event, the group), or
    shows it when it points nowhere."""
    row = selectors.inbox_for(user=request.user).filter(pk=pk).first()
    if row is None:
        raise NotFound
    rendered, _errors = rows_render([row], delivering=False)
    message = rendered.get(row.pk)
    if message is None:
        raise NotFound
    services.notifications_mark_read(user=request.user, notification_ids=[row.pk])
    if message.url:
        return redirect(_local(message.url))
    return render(request, "notifications/notice.html", {"row": row, "message": message})


@login_required
@require_POST
def mark_read(request, pk):
    """Mark one inbox item read."""
    services.notifications_mark_read(user=request.user, notification_ids=[pk])
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    """Mark every inbox item read."""
    services.notifications_mark_read(user=request.user)
    messages.success(request, _("All notifications marked read."))
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Which notices the member gets, on which channel, and when reminders go out."""
    current = services.notification_preferences_get(user=request.user)
    settings_row = services.notification_settings_get(user=request.user)
    initial = {
        "reminder_offsets": settings_row.reminder_offsets,
        "digest_weekday": settings_row.digest_weekday,
    }
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, preferences=current, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_set(
                user=request.user,
                choices=form.choices(),
                reminder_offsets=form.cleaned_data["reminder_offsets"],
                digest_weekday=form.cleaned_data["digest_weekday"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# Mail clients send the RFC 8058 one-click POST without a session or CSRF token; the signed
# token in the URL is what authorizes it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe from one kind of email (GET asks to confirm, POST does it)."""
    user, kind = selectors.access_unsubscribe(token=token)
    if request.method == "POST":
        services.notification_unsubscribe(user=user, kind=kind.key)
        return render(request, "notifications/unsubscribed.html", {"kind": kind})
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "token": token})
