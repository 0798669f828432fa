from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "workforce.demo"
    label = "demo"
    verbose_name = "Demo data"
