from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "workforce.reference"
    label = "reference"
