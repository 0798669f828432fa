"""Every change of union state goes through these functions (STYLE.md "State changes go through services"):
pages, API, the portal and the demo call them, and each writes its change-log rows in its transaction."""

from workforce.unions.services.applications import (
    apply_to_join,
    apply_to_leave,
    apply_to_transfer,
    approve_application,
    refuse_application,
)
from workforce.unions.services.organisations import (
    appoint_officer,
    cover_employer,
    create_organisation,
    end_coverage,
)

__all__ = [
    "apply_to_join", "apply_to_leave", "apply_to_transfer", "appoint_officer", "approve_application",
    "cover_employer", "create_organisation", "end_coverage", "refuse_application",
]
