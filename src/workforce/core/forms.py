"""Helpers shared by page forms."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: keyed messages on their fields (or on the
    form when the form has no such field), plain messages on the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def flash_form_result(request: HttpRequest, form: forms.BaseForm, success: str) -> None:
    """After a small form posted from a detail page: its errors (with field labels) or ``success`` as
    messages, since the page redirects back instead of re-rendering the form."""
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(map(str, errors))
            messages.error(request, f"{label}：{text}" if label else text)
    else:
        messages.success(request, success)


def search_text(request: HttpRequest, name: str = "q") -> str:
    """The free text typed into a list's search box, trimmed and without NUL characters: PostgreSQL
    text cannot hold them, and a query with one failed with a 500 instead of finding nothing."""
    return request.GET.get(name, "").replace("\x00", "").strip()


class VersionForm(forms.Form):
    """Carries the version the editor read, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
