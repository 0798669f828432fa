"""The registry's demo: Panzhihua's employers and workers with their history from 2015 to
``context.today`` (``plans`` draws them, ``generate`` writes them, ``catalogue`` holds the facts drawn
from). Deterministic: the same seed on the same day gives the same data."""

from __future__ import annotations

from workforce.demo.parts import DemoContext, DemoPart


def summary_line(summary) -> str:
    """What ``generate`` wrote, in one line."""
    counts = summary.counts
    return (f"{counts['employers']:,} employers ({counts['employer_facts']:,} governance facts), "
            f"{counts['workers']:,} workers, {counts['spells']:,} employment spells, "
            f"{counts['certificates']:,} certificates, {counts['memberships']:,} union memberships, "
            f"{counts['worker_facts']:,} worker facts, {counts['changelog']:,} change-log rows "
            f"in {summary.seconds:.1f} s")


def build(context: DemoContext) -> str:
    """Generate the registry's demo; a registry already holding data is kept unless ``context.replace``."""
    # Imported here: the pure halves (plans, catalogue) stay importable without Django (bench/import).
    from workforce.core.bulk import fewer_collections
    from workforce.core.planner import refresh_planner_statistics
    from workforce.demo.registry import generate

    existing = sum(generate.registry_row_counts().values())
    if existing and not context.replace:
        return f"kept the registry's {existing:,} rows (build it anew with --replace)"
    reported = [0]

    def progress(done: int, total: int, seconds: float) -> None:
        if done * 10 // total > reported[0]:
            reported[0] = done * 10 // total
            context.say(f"  {done:>9,} / {total:,} workers  {seconds:7.1f} s")

    with fewer_collections():
        summary = generate.generate(context.workers, context.seed, replace=context.replace, today=context.today,
                                    progress=progress)
    refresh_planner_statistics()  # a bulk load: SQLite plans by them (core.planner)
    return summary_line(summary)


PART = DemoPart("registry", build)
