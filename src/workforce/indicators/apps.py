from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "workforce.indicators"
    label = "indicators"

    def ready(self) -> None:
        # The registry's masked-attribute filters read today's flags from the columns (decision 0009).
        from workforce.indicators.flag_sets import flag_sets_now
        from workforce.registry.flag_sources import register_flag_provider

        register_flag_provider(flag_sets_now)
