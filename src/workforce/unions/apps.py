from django.apps import AppConfig


class UnionsConfig(AppConfig):
    """Union organisations and membership (MISSION.md capability 6; the plan's §3, §15, §17; decision 0018)."""

    name = "workforce.unions"
    label = "unions"
    verbose_name = "工会组织"
