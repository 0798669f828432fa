"""The API against its own OpenAPI schema, fuzzed by schemathesis over a live server (decision 0012).

Every operation of the served schema is called with generated requests, valid ones (positive) and
invalid ones (negative), by API tokens of four roles, and every answer must be no server error (5xx),
a status code the schema documents, and a body that matches the schema. Failures are collected, not
shrunk, and reported together. The run is time-boxed (``BUDGET_SECONDS``): valid requests by every role
to every operation all run; schemathesis' coverage cases (boundary and invalid values of every parameter
and field) as the city administrator, then invalid requests by every role, fill the time left.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from workforce.accounts.models import User

ROLES = ("city_admin", "dongqu_officer", "steel_hr", "worker_user")
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Generated requests per operation, role and mode; and the whole run's time box (each database).
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 3}
BUDGET_SECONDS = 80


def api_token(user: User) -> str:
    """A working API token of ``user``, as the token endpoint would issue it after two-factor sign-in:
    the one place that knows the token model."""
    from workforce.accounts import services

    issue = getattr(services, "issue_api_token", None)
    if issue is not None:  # the platform's own expiring tokens (issue 13 point 9, decision 0010)
        return issue(user, name="API fuzz", is_two_factor_verified=True)[1]
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


@pytest.fixture
def fuzzed_world(reference_data, personas):
    """The personas' registry, a checked import, the seeded plan and indicators (a live-server test
    flushes the database, so nothing seeded by the migrations is left), and the ids that the fuzzer
    puts into the path of each kind of record besides the random ones."""
    from workforce.accounts.models import Department
    from workforce.core.choices import Channel
    from workforce.imports.tests.test_services import ROWS, check, roster
    from workforce.indicators.models import Indicator
    from workforce.indicators.seed import ensure_indicators
    from workforce.registry.models import EmploymentSpell
    from workforce.registry.services import start_union_membership
    from workforce.supervision.choices import FindingKind
    from workforce.supervision.services import inspections, roadmap
    from workforce.supervision.services.plans import ensure_seed_plan
    from workforce.supervision.services.roadmap import DeadlineInput

    admin, day = personas.city_admin, datetime.date(2020, 6, 1)
    ensure_indicators(Indicator, Department)
    plan = ensure_seed_plan()
    six, sasac = plan.measures.get(number=6), Department.objects.get(code="sasac")
    task = roadmap.do_create_task(six, sasac, {"title": "职代会全覆盖", "start_date": day,
                                               "due_date": datetime.date(2020, 12, 31)}, acting_user=admin)
    milestone = roadmap.do_add_milestone(task, "出方案", DeadlineInput(due_date=day), acting_user=admin)
    inspection = inspections.do_start_round(plan, {"title": "专项督查", "started_on": day, "measures": [six],
                                                   "departments": [sasac], "inspectors": [admin]}, acting_user=admin)
    finding = inspections.do_add_finding(inspection, {"measure": six, "department": sasac, "text": "职代会未按期召开",
                                                      "kind": FindingKind.PROBLEM}, acting_user=admin)
    item = inspections.do_add_rectification(finding, "召开职代会", DeadlineInput(due_date=day), acting_user=admin)
    membership = start_union_membership(personas.steel_worker, day, employer=personas.steel, acting_user=admin,
                                        channel=Channel.SYSTEM)
    return {
        "/api/registry/workers/{id}": personas.steel_worker.pk,
        "/api/registry/employers/{id}": personas.steel.pk,
        "/api/registry/spells/{id}": EmploymentSpell.objects.filter(worker=personas.steel_worker).first().pk,
        "/api/registry/memberships/{id}": membership.pk,
        "/api/imports/{id}": check(roster(ROWS), personas.steel_hr).pk,
        "/api/indicators/{code}": "labor_contract_rate",
        "/api/supervision/measures/{id}": six.pk,
        "/api/supervision/tasks/{id}": task.pk,
        "/api/supervision/milestones/{id}": milestone.pk,
        "/api/supervision/inspections/{id}": inspection.pk,
        "/api/supervision/findings/{id}": finding.pk,
        "/api/supervision/rectifications/{id}": item.pk,
    }


def _known_path_parameters(path: str, known: dict) -> dict:
    for prefix, value in known.items():
        if path.startswith(prefix):
            return {prefix.rsplit("{", 1)[1].rstrip("}"): value}
    return {}


def _coverage_cases(schema, operations, known: dict):
    """Schemathesis' coverage cases (boundary and out-of-schema values of every parameter and body
    field, valid and invalid), one operation after another in turn so that a time box cuts all of them
    evenly. ``CoverageGenerator`` is what ``schemathesis run`` uses for its coverage phase."""
    from schemathesis.generation.drivers import CoverageGenerator
    from schemathesis.generation.feedback import FeedbackSources
    from schemathesis.generation.overrides import Override

    generators = [iter(CoverageGenerator(
        operation=operation, generation_modes=list(GenerationMode),
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
        auth_storage=None, override=Override(path_parameters=_known_path_parameters(operation.path, known)),
        feedback=FeedbackSources())) for operation in operations]
    while generators:
        for generator in list(generators):
            case = next(generator, None)
            if case is None:
                generators.remove(generator)
            else:
                yield case


@pytest.mark.django_db(transaction=True)
def test_api_answers_fuzzed_requests_within_its_schema(reference_data, live_server, personas, fuzzed_world):
    # reference_data first: the personas need it, and an earlier transactional test may have flushed it
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/", config=schemathesis.Config())
    operations = [result.ok() for result in schema.get_all_operations()]
    tokens = {role: api_token(getattr(personas, role)) for role in ROLES}
    deadline = time.monotonic() + BUDGET_SECONDS
    ran: Counter = Counter()
    failures: dict[str, str] = {}

    def call_and_check(case, role: str, kind: str) -> None:
        headers = {"Authorization": f"Token {tokens[role]}"}
        response = case.call(base_url=live_server.url, headers=headers)
        ran[kind] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            names = ", ".join(sorted({type(failure).__name__ for failure in group.exceptions}))
            failures.setdefault(f"{case.operation.label} as {role} ({kind}): {names}", str(group)[:3000])

    def fuzz(operation, role: str, mode: GenerationMode, *, boxed: bool) -> None:
        strategy = operation.as_strategy(generation_mode=mode)
        known = _known_path_parameters(operation.path, fuzzed_world)
        if known:
            strategy = st.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters=known))

        @settings(max_examples=EXAMPLES[mode], deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case) -> None:
            if not boxed or time.monotonic() < deadline:
                call_and_check(case, role, mode.value)

        run()

    # 1. Valid requests by every role to every operation, all of them however long they take.
    for operation in operations:
        for role in ROLES:
            fuzz(operation, role, GenerationMode.POSITIVE, boxed=False)
    # 2. The coverage cases as the city administrator, who reaches deepest; 3. invalid requests by each role.
    for case in _coverage_cases(schema, operations, fuzzed_world):
        if time.monotonic() > deadline:
            break
        call_and_check(case, "city_admin", "coverage")
    for operation in operations:
        for role in ROLES:
            if time.monotonic() < deadline:
                fuzz(operation, role, GenerationMode.NEGATIVE, boxed=True)

    print(f"\nAPI fuzz: {len(operations)} operations x {len(ROLES)} roles, "
          f"{time.monotonic() - deadline + BUDGET_SECONDS:.0f} s: cases run {dict(ran)}, failures {len(failures)}")
    assert not failures, "\n\n".join(f"{key}\n{text}" for key, text in sorted(failures.items()))
