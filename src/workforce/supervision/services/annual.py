"""The annual report's narrative: the supervision office saves its edited text, each change in the log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workforce.core.changelog import record_change, record_update, save_versioned, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.supervision import rules
from workforce.supervision.models import AnnualNarrative, Plan

if TYPE_CHECKING:
    from workforce.accounts.models import User

FIELDS = ("issuer", *AnnualNarrative.SECTIONS)
LABELS = {name: AnnualNarrative._meta.get_field(name).verbose_name  # type: ignore[union-attr]
          for name in FIELDS}


@transaction.atomic
def do_save_narrative(plan: Plan, year: int, data: dict[str, Any], *, expected_version: int | None,
                      acting_user: User | None, channel: Channel = Channel.PAGE) -> AnnualNarrative:
    """Store the office's text of ``year``'s report (``data``: issuer and the four sections). The first
    save creates it; later ones need the version the editor read (``StaleRecordError`` otherwise)."""
    rules.require(rules.may_supervise(acting_user))
    errors = {name: _("请填写%(field)s。") % {"field": LABELS[name]}
              for name in FIELDS if not str(data.get(name) or "").strip()}
    if errors:
        raise ValidationError(errors)
    values = {name: str(data[name]).strip() for name in FIELDS}
    narrative = AnnualNarrative.objects.select_for_update().filter(plan=plan, year=year).first()
    if narrative is None:
        narrative = AnnualNarrative(plan=plan, year=year, **values)
        narrative.full_clean()
        narrative.save()
        record_change(narrative, ChangeAction.CREATE, acting_user=acting_user, channel=channel,
                      after=snapshot(narrative), parent=plan)
        return narrative
    before = snapshot(narrative)
    for name, value in values.items():
        setattr(narrative, name, value)
    narrative.full_clean()
    save_versioned(narrative, expected_version=expected_version)
    record_update(narrative, before, acting_user=acting_user, channel=channel, parent=plan)
    return narrative
