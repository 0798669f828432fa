from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The worker's phone portal (掌上工会, issue 18): sign-up by SMS, the worker's home, the membership card."""

    name = "workforce.portal"
    label = "portal"
