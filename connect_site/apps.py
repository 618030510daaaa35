from django.contrib.admin.apps import AdminConfig


class ConnectAdminConfig(AdminConfig):
    default_site = "connect_site.admin_sites.ModeratorAdminSite"
