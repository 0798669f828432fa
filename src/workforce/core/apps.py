from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workforce.core"
    label = "core"
    verbose_name = "Core"
