"""Every change of registry state goes through these functions (STYLE.md "State changes go through
services"): pages, API, importer and commands call them and so obey the same rules and leave the same
change-log trail."""

from workforce.registry.services.contracts import add_contract, refresh_spell_contract
from workforce.registry.services.employers import (
    KIND_CORRECTION,
    end_employer_fact,
    register_employer,
    set_employer_fact,
    update_employer,
)
from workforce.registry.services.employment import (
    add_certificate,
    add_employment,
    end_employment,
    end_employments,
    end_union_membership,
    hire_worker,
    register_or_hire_worker,
    start_union_membership,
    update_employment,
)
from workforce.registry.services.facts import refresh_current_facts, refresh_employer_headcount
from workforce.registry.services.workers import merge_workers, register_worker, update_worker

__all__ = [
    "KIND_CORRECTION",
    "add_certificate",
    "add_contract",
    "add_employment",
    "end_employer_fact",
    "end_employment",
    "end_employments",
    "end_union_membership",
    "hire_worker",
    "merge_workers",
    "refresh_current_facts",
    "refresh_employer_headcount",
    "refresh_spell_contract",
    "register_employer",
    "register_or_hire_worker",
    "register_worker",
    "set_employer_fact",
    "start_union_membership",
    "update_employer",
    "update_employment",
    "update_worker",
]
