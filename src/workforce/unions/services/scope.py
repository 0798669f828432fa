"""The one check every union service makes of who acts (decision 0018)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from workforce.unions.models import Organisation


def check_in_scope(organisation: Organisation, acting_user: Any, field: str = "organisation") -> None:
    """Refuse an act on ``organisation`` by a user whose scope does not hold it (``acting_user`` None: the
    system, e.g. the demo). The message says nothing of the organisation's members."""
    if acting_user is None:
        return
    if not Organisation.objects.in_scope_of(acting_user).filter(pk=organisation.pk).exists():
        raise ValidationError({field: _("该工会组织不在您的管辖范围内。")})
