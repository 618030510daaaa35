"""The Django admin is the site moderators' tool: active superusers only.

Organizers run their groups from the website, where every page asks groups.permissions; the
admin shows every group, private ones included, so plain staff (even with model permissions)
are kept out of it entirely rather than trusted to stay out of other groups' business.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ModeratorAdminSite(admin.AdminSite):
    site_header = _("Connect moderation")
    site_title = _("Connect moderation")
    index_title = _("Site moderation")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_superuser
