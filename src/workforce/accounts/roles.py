"""The roles of MISSION.md as data: each role's scope and permissions (``app_label.codename``).

``services.ensure_roles`` writes these into the Role table; the city administrator may adjust a role's
permissions afterwards, and per-user grants add to them.
"""

from __future__ import annotations

from typing import Any

from workforce.accounts.choices import RoleCode, ScopeKind

_REGISTRY_READ = ["registry.view_worker", "registry.view_employer", "registry.view_employmentspell",
                  "registry.view_certificate", "registry.view_union_membership", "registry.view_employerfact"]
_WORKER_WRITE = ["registry.add_worker", "registry.change_worker", "registry.add_employmentspell",
                 "registry.change_employmentspell", "registry.add_certificate", "registry.change_certificate",
                 "registry.add_union_membership", "registry.change_union_membership"]
_EMPLOYER_WRITE = ["registry.add_employer", "registry.change_employer", "registry.add_employerfact",
                   "registry.change_employerfact"]
_EXPORT = ["registry.export_worker", "registry.export_employer"]
_IMPORT = ["imports.import_roster", "imports.view_rosterimport"]
_INDICATORS = ["indicators.view_indicator"]  # aggregates: dashboards, reports, the indicators API
# Union organisations and membership (decision 0018): the tree is public to these readers; whose members and
# applications they see is the subtree of their post (unions/querysets.py), nothing without one.
_UNIONS_READ = ["unions.view_organisation", "unions.view_organisationcoverage"]
_UNION_OFFICER = _UNIONS_READ + [
    "unions.view_members", "unions.export_members", "unions.view_membershipapplication",
    "unions.add_membershipapplication", "unions.review_membershipapplication"]
# Confirming workers' self-registrations (portal, decision 0019); portal/querysets.py scopes which.
_SELF_REGISTRATIONS = ["portal.view_selfregistration", "portal.review_selfregistration"]
# Supervision of the reform (§III): what each reads is scoped by supervision/querysets.py.
_SUPERVISION_READ = ["supervision.view_measure", "supervision.view_task", "supervision.view_progressreport",
                     "supervision.view_inspectionround", "supervision.view_rectification"]
_SUPERVISION_DEPARTMENT = _SUPERVISION_READ + [
    "supervision.add_task", "supervision.change_task", "supervision.change_progressreport",
    "supervision.review_progressreport", "supervision.change_rectification"]
# The supervision office (督查室, §III(三) "督促检查"): reads everything in supervision, deploys tasks, runs
# inspections, reviews the lead departments' reports and exports the annual report; no registry data at all.
SUPERVISION_OFFICE_PERMISSIONS = _SUPERVISION_READ + _INDICATORS + [
    "supervision.view_all_supervision", "supervision.supervise_plan", "supervision.export_annual_report",
    "supervision.add_inspectionround", "supervision.change_inspectionround", "supervision.add_task",
    "supervision.change_task", "core.view_changelogentry"]

# Skills (issue 17, decision 0017): bodies and sessions are read by every staff role; candidates as scoped by
# skills/querysets.py. A body runs its sessions; HR and workers register candidates; the city edits the rules.
_SKILLS_READ = ["skills.view_appraisalbody", "skills.view_appraisalsession", "skills.view_candidate"]
_SKILLS_BODY = _SKILLS_READ + ["skills.add_appraisalsession", "skills.change_appraisalsession",
                               "skills.manage_appraisalsession", "skills.add_candidate", "skills.change_candidate",
                               "skills.export_candidate"]
_SKILLS_RULES = ["skills.view_eligibilityrule", "skills.view_passrule"]
# Competitions (§20): every staff role reads them (entrants scoped like candidates); the city records results.
_COMPETITIONS_READ = ["skills.view_competition", "skills.view_entrant", "skills.view_competitioncase"]

ROLE_DEFINITIONS: dict[RoleCode, dict[str, Any]] = {
    RoleCode.CITY_ADMIN: {
        "scope_kind": ScopeKind.CITY,
        "permissions": _REGISTRY_READ + _WORKER_WRITE + _EMPLOYER_WRITE + _EXPORT + _IMPORT + _INDICATORS + [
            "indicators.change_indicator",
            *_SUPERVISION_DEPARTMENT, "supervision.supervise_plan", "supervision.view_all_supervision",
            "supervision.export_annual_report", "supervision.add_inspectionround",
            "supervision.change_inspectionround",
            "registry.unmask_worker", "registry.merge_worker", "registry.delete_worker",
            "registry.delete_employmentspell", "registry.delete_certificate", "registry.delete_employer",
            "core.view_accesslogentry", "core.view_changelogentry",
            "reference.change_division", "reference.change_occupation", "reference.change_skilllevel",
            "reference.change_industry", "accounts.view_user", "accounts.add_user", "accounts.change_user",
            "imports.add_rostersynonym", "imports.delete_rostersynonym", *_SELF_REGISTRATIONS,
            *_UNION_OFFICER, "unions.add_organisation", "unions.add_organisationcoverage",
            "unions.change_organisationcoverage", "unions.add_officer",
            *_SKILLS_BODY, *_SKILLS_RULES, "skills.add_eligibilityrule", "skills.change_eligibilityrule",
            "skills.add_passrule", "skills.change_passrule", "skills.add_appraisalbody", "skills.change_appraisalbody",
            *_COMPETITIONS_READ, "skills.change_competition",
        ],
    },
    RoleCode.DEPARTMENT_OFFICER: {
        "scope_kind": ScopeKind.CITY,
        # The city federation's staff (the ``union`` login) hold a post at the root; other departments' staff
        # hold none, and so see the tree but no member.
        "permissions": _REGISTRY_READ + _EXPORT + _INDICATORS + _SUPERVISION_DEPARTMENT + ["core.view_changelogentry"]
        + _UNION_OFFICER + _SELF_REGISTRATIONS
        + _SKILLS_READ + _SKILLS_RULES + ["skills.export_candidate"] + _COMPETITIONS_READ,
    },
    RoleCode.DISTRICT_OFFICER: {
        "scope_kind": ScopeKind.DISTRICT,
        "permissions": _REGISTRY_READ + _WORKER_WRITE + _EMPLOYER_WRITE + _EXPORT + _IMPORT + _INDICATORS + [
            "registry.unmask_worker", "registry.merge_worker", "core.view_changelogentry", *_SELF_REGISTRATIONS,
            *_SKILLS_READ, *_SKILLS_RULES, "skills.export_candidate", *_COMPETITIONS_READ,
        ],
    },
    RoleCode.ENTERPRISE_HR: {
        "scope_kind": ScopeKind.EMPLOYER,
        "permissions": _REGISTRY_READ + _WORKER_WRITE + _EXPORT + _IMPORT + [
            "registry.change_employer", "registry.add_employerfact", "registry.change_employerfact",
            "registry.unmask_worker", "core.view_changelogentry", *_SELF_REGISTRATIONS,
            *_SKILLS_READ, *_SKILLS_RULES, "skills.add_candidate", "skills.export_candidate", *_COMPETITIONS_READ,
        ],
    },
    # A training provider may also be an appraisal body (listed among a body's staff): it then runs its sessions.
    RoleCode.TRAINING_PROVIDER: {"scope_kind": ScopeKind.PROVIDER, "permissions": _SKILLS_BODY + _SKILLS_RULES},
    RoleCode.WORKER: {
        "scope_kind": ScopeKind.SELF,
        "two_factor": False,  # workers sign in on a phone; their data is their own
        "permissions": _REGISTRY_READ + ["registry.unmask_worker"] + _UNIONS_READ + [
            "unions.view_membershipapplication", "unions.add_membershipapplication"]  # their own (portal)
        + _SKILLS_READ + ["skills.add_candidate"],
    },
    RoleCode.LEADER: {"scope_kind": ScopeKind.AGGREGATE, "permissions": ["registry.view_employer"] + _INDICATORS
                      + _SUPERVISION_READ + ["supervision.view_all_supervision", "supervision.export_annual_report"]},
    RoleCode.SUPERVISION_OFFICE: {"scope_kind": ScopeKind.CITY, "permissions": SUPERVISION_OFFICE_PERMISSIONS},
    # Union officers see the registry through their union only (unions/querysets.py): no registry permission.
    RoleCode.BASE_UNION_OFFICER: {"scope_kind": ScopeKind.UNION, "permissions": _UNION_OFFICER},
    RoleCode.DISTRICT_UNION_OFFICER: {
        "scope_kind": ScopeKind.UNION,
        "permissions": _UNION_OFFICER + ["unions.add_organisation", "unions.add_organisationcoverage",
                                         "unions.change_organisationcoverage"]},
    # The staff of an accredited appraisal body (职业技能等级认定机构): their own sessions and candidates only.
    RoleCode.APPRAISAL_BODY: {"scope_kind": ScopeKind.PROVIDER, "permissions": _SKILLS_BODY + _SKILLS_RULES},
}
