from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# django-axes ships no Chinese catalog: its model names (its own msgids) are translated in ours.
AXES_MSGIDS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Units and accounts")

    def ready(self):
        if apps.is_installed("axes"):
            # Shown as the admin's section title ("Axes" otherwise).
            apps.get_app_config("axes").verbose_name = _("Login security")
