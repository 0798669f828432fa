"""Models of the skills app (issue 17): appraisal bodies, rules as data, sessions and candidates."""

from workforce.skills.models.bodies import AccreditedScope, AppraisalBody
from workforce.skills.models.competitions import Competition, CompetitionCase, ConsequenceRule, Entrant
from workforce.skills.models.rules import EligibilityRule, PassRule
from workforce.skills.models.sessions import AppraisalSession, Candidate

__all__ = ["AccreditedScope", "AppraisalBody", "AppraisalSession", "Candidate", "Competition", "CompetitionCase",
           "ConsequenceRule", "EligibilityRule", "Entrant", "PassRule"]
