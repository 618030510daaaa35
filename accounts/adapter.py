"""allauth adapter: django-axes decides first whether a login may even be tried, and allauth
counts visitors by the same address as axes and core.ratelimit. The page a person was on their
way to when they signed up (`next`) rides in the confirmation link, so confirming the address,
in the same browser or another, brings them back there logged in; their first log-in is
greeted as a welcome, not a "welcome back"."""

from allauth.account.adapter import DefaultAccountAdapter
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from accounts.languages import current_language
from core.ratelimit import client_address


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """A locked-out login gets axes' lock-out page, even with the right password.

        allauth's own failed-login rate limit would otherwise answer first with a form error,
        and axes would never see (nor refuse) the attempt.
        """
        safe_credentials = {k: v for k, v in credentials.items() if k != "password"}
        if getattr(settings, "AXES_ENABLED", True) and AxesProxyHandler.is_locked(
            request, safe_credentials
        ):
            # AxesMiddleware turns the response into the lock-out page.
            request.axes_locked_out = True
            request.axes_credentials = safe_credentials
            raise forms.ValidationError(_("Too many failed attempts to log in. Try again later."))
        super().pre_authenticate(request, **credentials)

    def get_client_ip(self, request):
        """The visitor's address by core.ratelimit's one rule (TRUSTED_PROXY_COUNT), so allauth's
        limits, axes' lock-outs and the site's own limits count the same visitor."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address")
        return address

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The confirmation link, carrying the page the person came from (a local path only).
        It leads through the log-in page, which lets a person already logged in (confirming in
        the browser they signed up in) straight through, and asks anyone else to log in."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_path = local_next_path(request)
        if not next_path:
            return url
        then = reverse("account_login") + "?" + urlencode({"next": next_path})
        return url + ("&" if "?" in url else "?") + urlencode({"next": then})

    def login(self, request, user):
        request.connect_first_login = user.last_login is None
        super().login(request, user)

    def add_message(
        self,
        request,
        level,
        message_template=None,
        message_context=None,
        extra_tags="",
        message=None,
    ):
        if message_template == "account/messages/logged_in.txt":
            message_context = {
                **(message_context or {}),
                "first_visit": getattr(request, "connect_first_login", False),
            }
        super().add_message(
            request,
            level,
            message_template=message_template,
            message_context=message_context,
            extra_tags=extra_tags,
            message=message,
        )

    def save_user(self, request, user, form, commit=True):
        """A new member keeps the language they signed up in (the switcher's or the browser's),
        so their confirmation, reminders and notices come in it; the profile changes it."""
        user.language = current_language()
        return super().save_user(request, user, form, commit=commit)


def local_next_path(request) -> str:
    """The form's or address's `next` when it is a path on this site ("" otherwise): never
    another host, a scheme, or a protocol-relative "//host"."""
    if request is None:
        return ""
    value = request.POST.get("next") or request.GET.get("next") or ""
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ord(c) < 32 for c in value)
        or not url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    ):
        return ""
    return value
