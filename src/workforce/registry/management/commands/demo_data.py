"""``workforce demo-data --workers N --seed S``: a realistic, deterministic Panzhihua to try the platform on."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core.bulk import fewer_collections
from workforce.core.planner import refresh_planner_statistics
from workforce.registry import demo


class Command(BaseCommand):
    help = ("Generate demo employers and workers with their history (2015 to today). The same seed on the "
            "same day gives the same data. Needs the reference data (`workforce setup`) and an empty registry, "
            "or --replace to delete the registry first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=50_000, help="number of workers (default 50000)")
        parser.add_argument("--seed", type=int, default=2018, help="random seed (default 2018)")
        parser.add_argument("--replace", action="store_true",
                            help="delete every registry row (workers, employers, history) first")
        parser.add_argument("--batch-size", type=int, default=demo.BATCH_SIZE,
                            help=f"workers per transaction (default {demo.BATCH_SIZE})")

    def handle(self, *args, workers: int, seed: int, replace: bool, batch_size: int, **options) -> None:
        if workers < 1 or batch_size < 1:
            raise CommandError("--workers and --batch-size must be positive.")
        verbose = options["verbosity"] > 0
        printed = [0]  # the last tenth reported

        def progress(done: int, total: int, seconds: float) -> None:
            tenth = done * 10 // total
            if verbose and (tenth > printed[0] or options["verbosity"] > 1):
                printed[0] = tenth
                self.stdout.write(f"  {done:>9,} / {total:,} workers  {seconds:7.1f} s")

        if verbose:
            self.stdout.write(f"Generating {workers:,} workers with seed {seed}…")
        try:
            with fewer_collections():
                summary = demo.generate(workers, seed, replace=replace, batch_size=batch_size, progress=progress)
        except demo.DemoDataError as error:
            raise CommandError(str(error)) from None
        refresh_planner_statistics()  # a bulk load: SQLite plans by them (core.planner)
        counts = summary.counts
        if counts["deleted"]:
            self.stdout.write(f"Deleted {counts['deleted']:,} rows of earlier registry data.")
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready in {summary.seconds:.1f} s: {counts['employers']:,} employers "
            f"({counts['employer_facts']:,} governance facts), {counts['workers']:,} workers, "
            f"{counts['spells']:,} employment spells, {counts['certificates']:,} certificates, "
            f"{counts['memberships']:,} union memberships, {counts['worker_facts']:,} worker facts, "
            f"{counts['changelog']:,} change-log rows."))
        if verbose:
            shares = ", ".join(f"{name.replace('_', ' ')} {value:.1%}" for name, value in summary.shares.items())
            self.stdout.write(f"Shares: {shares}.")
