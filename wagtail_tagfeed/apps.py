from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailTagfeedAppConfig(AppConfig):
    name = "wagtail_tagfeed"
    label = "wagtail_tagfeed"
    verbose_name = _("Tag feeds")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
