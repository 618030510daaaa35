"""allauth adapter: django-axes decides first whether a login may even be tried, and allauth
counts visitors by the same address as axes and core.ratelimit."""

from allauth.account.adapter import DefaultAccountAdapter
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
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

    def save_user(self, request, user, form, commit=True):
        """A new member keeps the language they signed up in (the switcher's or the browser's),
        so their confirmation, reminders and notices come in it; the profile changes it."""
        user.language = current_language()
        return super().save_user(request, user, form, commit=commit)
