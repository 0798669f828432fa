from workforce.unions.models.applications import MembershipApplication
from workforce.unions.models.organisations import Officer, Organisation, OrganisationCoverage

__all__ = ["MembershipApplication", "Officer", "Organisation", "OrganisationCoverage"]
