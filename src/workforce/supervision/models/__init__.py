"""Models of the supervision module: the plan, the roadmap, progress reports, inspections, alerts."""

from workforce.supervision.models.alerts import Alert
from workforce.supervision.models.annual import AnnualNarrative
from workforce.supervision.models.inspections import Finding, InspectionRound, Rectification
from workforce.supervision.models.plan import Measure, MeasureDepartment, MeasureGroup, Plan, Requirement
from workforce.supervision.models.reports import Attachment, ProgressReport, ReportVersion
from workforce.supervision.models.roadmap import Milestone, Task

__all__ = ["Alert", "AnnualNarrative", "Attachment", "Finding", "InspectionRound", "Measure", "MeasureDepartment",
           "MeasureGroup", "Milestone", "Plan", "ProgressReport", "Rectification", "ReportVersion",
           "Requirement", "Task"]
