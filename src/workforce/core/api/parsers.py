"""Request parsers that refuse a NUL character anywhere in the submitted text (decision 0012).

PostgreSQL text cannot hold NUL (0x00): a NUL that reached a query (a code looked up by a related field,
say) failed with a 500 there, while SQLite accepted it. DRF's text fields refuse NUL already; these
parsers refuse it once for every field, key and view, with a 400.
"""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings


def holds_nul(data: object) -> bool:
    """Whether any text in ``data`` (parsed JSON, or form fields) contains a NUL character."""
    if isinstance(data, str):
        return "\x00" in data
    if hasattr(data, "lists"):  # a QueryDict of form fields: each name with all its values
        return any(holds_nul(name) or holds_nul(values) for name, values in data.lists())
    if isinstance(data, dict):
        return any(holds_nul(key) or holds_nul(value) for key, value in data.items())
    if isinstance(data, list | tuple):
        return any(holds_nul(item) for item in data)
    return False


class NulRefusingParser(parsers.BaseParser):
    """Mixin: the parsed data, or a 400 if its text holds a NUL character (uploaded files are not text)."""

    def parse(self, stream: IO[Any], media_type: str | None = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        if holds_nul(getattr(parsed, "data", parsed)):
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [_("请求内容不能包含空字符（\\u0000）。")]})
        return parsed


class JSONParser(NulRefusingParser, parsers.JSONParser):
    pass


class FormParser(NulRefusingParser, parsers.FormParser):
    pass


class MultiPartParser(NulRefusingParser, parsers.MultiPartParser):
    pass
