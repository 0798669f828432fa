from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Supervision of the reform (MISSION.md capability 9; the plan's §III and the units of §1–§25)."""

    name = "workforce.supervision"
    label = "supervision"
    verbose_name = "改革督查"
