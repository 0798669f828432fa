"""The workforce registry (基础数据库, §15): employers, workers and their facts over time."""

from workforce.registry.models.employers import Employer, EmployerAttributeFact, EmployerFact
from workforce.registry.models.workers import (
    Certificate,
    EmploymentSpell,
    LabourContract,
    MembershipSequence,
    Worker,
    WorkerFact,
)

__all__ = ["Certificate", "Employer", "EmployerAttributeFact", "EmployerFact", "EmploymentSpell",
           "LabourContract", "MembershipSequence", "Worker", "WorkerFact"]
