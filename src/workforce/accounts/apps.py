from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "workforce.accounts"
    label = "accounts"
