"""Helpers of the registry API tests: a client per persona, and a fingerprint of the registry that
proves a refused request changed nothing."""

from __future__ import annotations

from django.db.models import Sum
from rest_framework.test import APIClient

from workforce.core.identifiers import id_check_digit
from workforce.core.models import AccessLogEntry, ChangeLogEntry
from workforce.registry.models import (
    Certificate,
    Employer,
    EmployerFact,
    EmploymentSpell,
    Worker,
    WorkerFact,
)

# Who asks, in the order of the permission matrices: nobody, then each persona of conftest.py.
ANONYMOUS = "anonymous"


def client_as(personas, who: str) -> APIClient:
    """An API client signed in as the persona named ``who`` (``"anonymous"``: not signed in)."""
    client = APIClient()
    if who != ANONYMOUS:
        client.force_authenticate(getattr(personas, who))
    return client


def registry_state() -> dict[str, int | None]:
    """Row counts and version totals of everything an API write could touch, plus the audit trails."""
    state: dict[str, int | None] = {}
    for model in (Worker, EmploymentSpell, Certificate, Employer, EmployerFact):
        totals = model.objects.aggregate(version=Sum("version"))
        state[model.__name__] = model.objects.count()
        state[f"{model.__name__}.version"] = totals["version"]
    state["WorkerFact"] = WorkerFact.objects.count()
    state["union_rolls"] = hash(tuple(Worker.objects.order_by("pk").values_list("union_roll", flat=True)))
    state["ChangeLogEntry"] = ChangeLogEntry.objects.count()
    state["AccessLogEntry"] = AccessLogEntry.objects.count()
    return state


def id_number(first17: str) -> str:
    """A valid resident ID number from its first 17 digits."""
    return first17 + id_check_digit(first17)


def assert_refused(response, expected: int, before: dict) -> None:
    """The request was refused with ``expected`` and left the registry as it was."""
    assert response.status_code == expected, response.content
    assert registry_state() == before
