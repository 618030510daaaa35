"""Limits on allauth's own pages, counted by core.ratelimit in the cache (so they hold across
processes with Redis): allauth serves the page, this decides first whether it may. And the
member's own language, applied on every request."""

from django.conf import settings
from django.utils import translation

from core.ratelimit import RateLimited, client_address, hit, too_many_requests

# The password-reset form mails whatever address it is given: count asks per target address
# (nobody's inbox gets flooded) and per visitor address (nobody sprays many inboxes).
RESET_URL_NAME = "account_reset_password"


class PasswordResetLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.url_name != RESET_URL_NAME:
            return None
        email = request.POST.get("email", "").strip().lower()
        keys = [f"ip:{client_address(request)}"]
        if email:
            keys.append(f"email:{email}")
        try:
            for key in keys:
                hit("password_reset", key)
        except RateLimited as error:
            return too_many_requests(request, error)
        return None


class MemberLanguageMiddleware:
    """A signed-in member who chose a language in their profile gets it on every page, whatever
    the browser says (LocaleMiddleware has already picked the cookie's or the browser's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
            if language in dict(settings.LANGUAGES) and language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
