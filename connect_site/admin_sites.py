"""The Django admin is the site moderators' tool: those who may moderate (active superusers,
core.moderation.may_moderate) and nobody else.

Organizers run their groups from the website, where every page asks groups.permissions. Plain
staff (even with model permissions) are kept out of the admin entirely rather than trusted to
stay out of other groups' business; private groups appear in it only inside a moderation
session.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.moderation import may_moderate


class ModeratorAdminSite(admin.AdminSite):
    site_header = _("Connect moderation")
    site_title = _("Connect moderation")
    index_title = _("Site moderation")

    def has_permission(self, request):
        return may_moderate(request.user)
