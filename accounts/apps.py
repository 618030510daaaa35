from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account import signals

        from accounts import auth, checks  # noqa: F401  (checks registers the deploy checks)

        signals.password_reset.connect(
            auth.axes_reset_on_password_reset, dispatch_uid="accounts-axes-reset"
        )
        # A new password or a new address ends the private calendar link handed out before it.
        for signal, uid in (
            (signals.password_reset, "reset"),
            (signals.password_changed, "changed"),
            (signals.password_set, "set"),
            (signals.email_changed, "email-changed"),
            (signals.email_confirmed, "email-confirmed"),
        ):
            signal.connect(auth.rotate_calendar_token, dispatch_uid=f"accounts-calendar-{uid}")
