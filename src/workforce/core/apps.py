from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workforce.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from workforce.core import checks  # noqa: F401 - registers the system checks
