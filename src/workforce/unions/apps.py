from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    """Union organisations and membership (MISSION.md capability 6; the plan's §3, §15, §17; decision 0018)."""

    name = "workforce.unions"
    label = "unions"
    verbose_name = _("工会组织")
