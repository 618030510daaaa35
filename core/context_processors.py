from django.conf import settings

from core import crisis
from core.moderation import current_session, may_moderate


def site(request):
    """The site's address, the crisis helplines (core.crisis), and for moderators their
    moderation session (the banner in base.html shows while it lasts)."""
    user = getattr(request, "user", None)
    moderator = may_moderate(user)
    return {
        "SITE_URL": settings.SITE_URL,
        "may_moderate": moderator,
        "moderation_session": current_session(user) if moderator else None,
        "crisis_helplines": crisis.by_country,
    }
