"""The options of a select widget written in Python: Django's template includes one template per option,
and a page with thousands of options (a worker's page: employers, occupations) spent most of its CPU
time there (bench/load). The output is the same HTML as Django's own templates write."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

PLAIN_OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``attrs.html``: ``name="value"``, a bare name for True, nothing for False."""
    return "".join(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
                   for name, value in attrs.items() if value is not False)


@register.filter
def select_options(optgroups: Any) -> SafeString:
    """``widget.optgroups`` of a select as its ``<optgroup>`` and ``<option>`` elements."""
    parts = []
    for group_name, group_choices, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] == PLAIN_OPTION:
                parts.append(f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                             f'{conditional_escape(option["label"])}</option>')
            else:  # a widget's own option template
                parts.append("\n  " + render_to_string(option["template_name"], {"widget": option}))
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
