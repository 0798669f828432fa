from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "workforce.registry"
    label = "registry"
