"""``workforce load_plan [FILE]``: load a reform plan from its JSON file (default: the 2018 plan);
``--dump CODE`` prints a loaded plan in the same format instead."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.supervision.models import Plan
from workforce.supervision.services.plans import SEED_PLAN, load_plan, plan_as_data, read_plan_file


class Command(BaseCommand):
    help = "Load a reform plan (measures, departments, requirements) from a JSON plan file; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(SEED_PLAN), help="plan file (default: the 2018 plan)")
        parser.add_argument("--dump", metavar="CODE", help="print the loaded plan CODE as a plan file")

    def handle(self, *args, file: str, dump: str | None, **options) -> None:
        if dump:
            plan = Plan.objects.filter(code=dump).first()
            if plan is None:
                raise CommandError(f"No plan {dump!r}.")
            self.stdout.write(json.dumps(plan_as_data(plan), ensure_ascii=False, indent=1))
            return
        try:
            plan = load_plan(read_plan_file(file))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"plan {plan.code}: {plan.measures.count()} measures, {plan.groups.count()} groups, "
            f"{plan.requirements.count()} requirements"))
