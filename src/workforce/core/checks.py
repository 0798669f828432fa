"""System checks of the core settings (``manage.py check``; also run by ``check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from workforce.core.encryption_keys import FIELD_KEY_HINT, field_key_problems


@register(Tags.security)
def check_field_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """A malformed or short field key is an error: the settings refuse one read from the environment,
    but settings may be set in other ways (a settings override, an embedding project)."""
    return [Error(problem, hint=FIELD_KEY_HINT, id="core.E001")
            for problem in field_key_problems(list(settings.FIELD_ENCRYPTION_KEYS))]
