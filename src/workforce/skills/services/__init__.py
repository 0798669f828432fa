"""State changes of the skills app: the one door for pages, API, demo and commands."""

from workforce.skills.services.rules import (
    add_years,
    full_years,
    judge_eligibility,
    pass_rule_in_force,
    rule_in_force,
    save_eligibility_rule,
    save_pass_rule,
)
from workforce.skills.services.sessions import (
    advance_session,
    certificate_number,
    create_body,
    create_session,
    enter_scores,
    issue_certificates,
    publish_results,
    register_candidate,
)

__all__ = ["add_years", "advance_session", "certificate_number", "create_body", "create_session", "enter_scores",
           "full_years", "issue_certificates", "judge_eligibility", "pass_rule_in_force", "publish_results",
           "register_candidate", "rule_in_force", "save_eligibility_rule", "save_pass_rule"]
