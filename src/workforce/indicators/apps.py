from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "workforce.indicators"
    label = "indicators"
