"""Which language a member reads Connect in: the profile's choice (`User.language`), applied to
every page they open (accounts.middleware.MemberLanguageMiddleware) and to every notice they are
sent (notifications.delivery renders each recipient's rows in it)."""

from django.conf import settings
from django.utils import translation


def language_of(user) -> str:
    """The member's chosen language, else the site's default (LANGUAGE_CODE)."""
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def current_language() -> str:
    """The language of the request being served, as one of LANGUAGES (for a new account)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    supported = dict(settings.LANGUAGES)
    if language in supported:
        return language
    base = language.split("-")[0]
    return base if base in supported else settings.LANGUAGE_CODE
