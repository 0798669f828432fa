from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "workforce.imports"
    label = "imports"
