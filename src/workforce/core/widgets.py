"""Form widgets that render fast enough for list pages of a large registry."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


class FastSelectMixin(forms.Select):
    """Renders a ``<select>`` in Python rather than one template per option: Django's template-based
    option rendering costs ~0.2 ms per option, most of a list page with 300 occupations to choose from."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        formatted = self.format_value(value)  # a list for Select, one string for NullBooleanSelect
        selected = {formatted} if isinstance(formatted, str) else set(formatted)
        final_attrs = self.build_attrs(self.attrs, attrs or {}) | {"name": name}
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((option_value, mark_safe(" selected") if option_value in selected else "", label)
             for option_value, label in self._flat_choices()),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)

    def _flat_choices(self) -> Iterator[tuple[str, Any]]:
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # an optgroup: list pages use none, so flatten
                for inner_value, inner_label in label:
                    yield self._text(inner_value), inner_label
            else:
                yield self._text(option_value), label

    @staticmethod
    def _text(value: object) -> str:
        value = getattr(value, "value", value)  # ModelChoiceIteratorValue
        return "" if value is None else str(value)


_FAST_CLASSES: dict[type, type] = {}


def use_fast_selects(form: forms.Form) -> None:
    """Give every select of ``form`` the fast renderer, keeping its class's value formatting."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select) and not isinstance(widget, FastSelectMixin | forms.SelectMultiple):
            cls = type(widget)
            fast = _FAST_CLASSES.setdefault(cls, type(f"Fast{cls.__name__}", (FastSelectMixin, cls), {}))
            widget.__class__ = fast


class AnyYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter's select whose empty choice means "any" (不限), not "unknown" (未知), as Django's
    NullBooleanSelect labels it: a list filtered by nothing shows everyone, known or not."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("不限")), ("true", _("是")), ("false", _("否"))]

    def format_value(self, value: Any) -> Any:
        formatted = super().format_value(value)
        return "" if formatted == "unknown" else formatted


class ChooserInput(forms.Widget):
    """A record chosen by typing (an autocomplete): a hidden input holds the chosen record's id, which is
    what the form sends, and a search box asks ``options_url`` (htmx, ``?<name>_search=``) for the matching
    records as ``<li role="option" data-value data-label>`` items; ``static/js/app.js`` does the choosing.
    ``label_of(value)`` gives the text to show for a chosen id (None: nothing, e.g. a record out of scope)."""

    def __init__(self, options_url: str, label_of: Callable[[str], str | None], placeholder: str = "",
                 attrs: dict[str, Any] | None = None, search_name: str = "") -> None:
        super().__init__(attrs)
        self.options_url, self.label_of, self.placeholder = options_url, label_of, placeholder
        self.search_name = search_name  # the search box's parameter, when not ``<name>_search`` (a prefixed form)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs or {})
        input_id = final_attrs.pop("id", f"id_{name}")
        value = "" if value in (None, "") else str(value)
        label = (self.label_of(value) or "") if value else ""
        options_id = f"{input_id}_options"
        return format_html(
            '<div class="chooser" data-chooser>'
            '<input type="hidden" name="{name}" value="{value}" data-chooser-value>'
            '<input type="search" id="{id}" name="{search}" value="{label}" placeholder="{placeholder}"'
            ' autocomplete="off" role="combobox" aria-autocomplete="list" aria-expanded="false"'
            ' aria-controls="{options}" data-chooser-input{extra}'
            ' hx-get="{url}" hx-trigger="input changed delay:250ms" hx-target="#{options}" hx-swap="innerHTML"'
            ' hx-sync="this:replace">'
            '<ul id="{options}" class="chooser__options" role="listbox" hidden></ul>'
            "</div>",
            name=name, search=self.search_name or f"{name}_search", value=value, id=input_id,
            label=label, placeholder=self.placeholder, options=options_id,
            url=self.options_url, extra=flatatt(final_attrs),
        )

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        return data.get(name)
