"""``workforce demo-data --workers N --seed S``: a realistic, deterministic Panzhihua to try the platform on
(the registry part of ``workforce demo``, with its progress and batch size)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core.bulk import fewer_collections
from workforce.demo.registry import generate as demo
from workforce.demo.registry import summary_line


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
        if summary.counts["deleted"]:
            self.stdout.write(f"Deleted {summary.counts['deleted']:,} rows of earlier registry data.")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary_line(summary)}."))
        if verbose:
            shares = ", ".join(f"{name.replace('_', ' ')} {value:.1%}" for name, value in summary.shares.items())
            self.stdout.write(f"Shares: {shares}.")
