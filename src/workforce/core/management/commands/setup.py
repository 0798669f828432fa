"""``workforce setup``: reference data, roles and departments; safe to run again."""

from typing import Any

from django.core.management.base import BaseCommand

from workforce.accounts.services import ensure_roles
from workforce.reference.services import load_reference_data
from workforce.supervision.services.plans import ensure_seed_plan


class Command(BaseCommand):
    help = "Load reference data (divisions, occupations, skill levels, industries) and the roles."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_reference_data()
        ensure_roles()
        plan = ensure_seed_plan()
        self.stdout.write(self.style.SUCCESS(f"reference data: {counts}; roles ready; plan {plan.code} loaded"))
