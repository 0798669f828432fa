from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "workforce.skills"
    label = "skills"
