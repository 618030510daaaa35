from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.signals import password_reset

        from accounts.auth import axes_reset_on_password_reset

        password_reset.connect(axes_reset_on_password_reset, dispatch_uid="accounts-axes-reset")
