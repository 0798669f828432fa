"""``workforce demo``: every app's demo, in dependency order, dated relative to today (decision 0014)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from workforce.accounts.models import Role
from workforce.demo.parts import DemoContext, DemoOrderError, build_demo, discover
from workforce.demo.registry.generate import DemoDataError


class Command(BaseCommand):
    help = ("Build the demo of every app that contributes one (registry, demo logins, supervision …), each "
            "after those it needs, dated relative to today. Needs `workforce setup` first; safe to run again.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=50_000, help="demo workers (default 50000)")
        parser.add_argument("--seed", type=int, default=2018, help="random seed (default 2018)")
        parser.add_argument("--replace", action="store_true", help="build the registry's demo anew")
        parser.add_argument("--only", default="", help="comma-separated app labels, e.g. accounts,supervision")
        parser.add_argument("--list", action="store_true", dest="list_only", help="print the parts in order")

    def handle(self, *args, workers: int, seed: int, replace: bool, only: str, list_only: bool, **options) -> None:
        try:
            parts = discover()
        except DemoOrderError as error:
            raise CommandError(str(error)) from None
        if list_only:
            for part in parts:
                after = f" (after {', '.join(part.after)})" if part.after else ""
                self.stdout.write(f"{part.app_label}{after}")
            return
        labels = [label.strip() for label in only.split(",") if label.strip()] or None
        unknown = set(labels or ()) - {part.app_label for part in parts}
        if unknown:
            raise CommandError(f"No demo for {', '.join(sorted(unknown))}.")
        if workers < 1:
            raise CommandError("--workers must be positive.")
        if not Role.objects.exists():
            raise CommandError("Roles and reference data are missing. Run `workforce setup` first.")
        context = DemoContext(today=timezone.localdate(), workers=workers, seed=seed, replace=replace,
                              say=self.stdout.write)
        try:
            build_demo(context, labels)
        except DemoDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Demo ready for {context.today.isoformat()}."))
