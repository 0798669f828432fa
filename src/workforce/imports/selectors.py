"""Scoped reads of roster imports that more than one page counts: the home page card and the import
list's filters use these, so a number on one is the number of rows on the other (issue 15 point 5)."""

from __future__ import annotations

from django.db.models import QuerySet

from workforce.imports.choices import ImportStatus
from workforce.imports.models import RosterImport

# The list's filters (``?state=``): each a property of ``RosterImport`` that decides it, row by row.
STATES = {"awaiting": "awaits_confirmation", "failed": "check_failed"}
# Only these statuses can have either property; the rest are never counted, so never read.
_CANDIDATES = (ImportStatus.PREVIEW, ImportStatus.FAILED, ImportStatus.REFUSED)


def imports_in_state(user, state: str) -> QuerySet:
    """The imports ``user`` sees whose property ``STATES[state]`` holds (:attr:`RosterImport.awaits_confirmation`,
    :attr:`RosterImport.check_failed`). The properties read the check's counts, so the few imports open at
    all (checked, refused or failed, not committed or closed) are read and tested one by one."""
    attribute = STATES[state]
    candidates = RosterImport.objects.visible_to(user).filter(status__in=_CANDIDATES).only(
        "pk", "status", "mode", "counts", "file_purged_at")
    return RosterImport.objects.visible_to(user).filter(
        pk__in=[item.pk for item in candidates.iterator() if getattr(item, attribute)])


def home_counts(user) -> dict[str, int]:
    """The home page card: imports waiting for 确认导入 and checks that failed, as the list counts them."""
    candidates = list(RosterImport.objects.visible_to(user).filter(status__in=_CANDIDATES).only(
        "pk", "status", "mode", "counts", "file_purged_at"))
    return {state: sum(bool(getattr(item, attribute)) for item in candidates) for state, attribute in STATES.items()}
