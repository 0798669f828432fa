"""How each app contributes to the demo (decision 0014).

A contribution is a module of this package named after the app it serves (``workforce.demo.registry``
for the ``registry`` app, ``workforce.demo.accounts`` for ``accounts`` …) holding ``PART``, a
:class:`DemoPart`. :func:`discover` finds the contribution of every installed app and orders them so
that each runs after the parts it names in ``after``; ``workforce demo`` runs them in that order. The
domain apps hold no demo code: a new capability adds its contribution here, dated from ``context.today``.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

DEMO_PASSWORD = "Demo@2018pzh"  # noqa: S105 - the published password of the demo logins, printed by demo-users


@dataclass(frozen=True)
class DemoContext:
    """What every part is given: the day the demo is built for (every date is relative to it), the size
    and seed of the registry's demo, whether to replace the data already there, the demo logins'
    password, and where to say what was done."""

    today: datetime.date
    workers: int = 50_000
    seed: int = 2018
    replace: bool = False
    password: str = DEMO_PASSWORD
    say: Callable[[str], None] = print


@dataclass(frozen=True)
class DemoPart:
    """One app's demo: ``build(context)`` creates what is missing (or, with ``context.replace``, builds
    it anew) and returns one line saying what it did. ``after`` names the apps whose parts must run
    first (the demo logins need the registry's employers, for instance)."""

    app_label: str
    build: Callable[[DemoContext], str]
    after: tuple[str, ...] = ()


class DemoOrderError(Exception):
    """The parts name an app with no part, or depend on each other in a circle."""


def discover() -> list[DemoPart]:
    """The part of every installed app that has one, each after the parts it names (ties: in the order
    of ``INSTALLED_APPS``)."""
    found = {}
    for config in apps.get_app_configs():
        name = f"{__package__}.{config.label}"
        if config.name.startswith("workforce.") and importlib.util.find_spec(name) is not None:
            part = importlib.import_module(name).PART
            assert part.app_label == config.label, f"{name}.PART is for {part.app_label}"
            found[config.label] = part
    return in_dependency_order(list(found.values()))


def in_dependency_order(parts: list[DemoPart]) -> list[DemoPart]:
    """``parts`` ordered so that each comes after those it names; stable otherwise."""
    by_label = {part.app_label: part for part in parts}
    for part in parts:
        missing = set(part.after) - set(by_label)
        if missing:
            raise DemoOrderError(f"The demo of {part.app_label} runs after {sorted(missing)}, which have none.")
    ordered: list[DemoPart] = []
    placed: set[str] = set()
    while len(ordered) < len(parts):
        ready = [part for part in parts if part.app_label not in placed and placed >= set(part.after)]
        if not ready:
            waiting = sorted(set(by_label) - placed)
            raise DemoOrderError(f"The demos of {waiting} wait for each other.")
        ordered.append(ready[0])
        placed.add(ready[0].app_label)
    return ordered


def build_demo(context: DemoContext, only: list[str] | None = None) -> list[str]:
    """Run every part (or those of the apps in ``only``) in dependency order; returns their lines."""
    lines = []
    for part in discover():
        if only is None or part.app_label in only:
            line = part.build(context)
            context.say(f"{part.app_label}: {line}")
            lines.append(line)
    return lines
