"""Pages of the supervision module."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def act(request, action, success: str, target, *, target_on_error=None):
    """Run ``action()`` for a small form posted from a detail page, flash its result, go to ``target``
    (to ``target_on_error``, when given, if the action was refused)."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(target_on_error or target)
    messages.success(request, success)
    return redirect(target)


def flash_errors(request, form) -> None:
    """A small form's field errors as messages (the detail page redirects instead of re-rendering it)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
