"""Role predicates shared by every app's rules. Each app combines them in its own rules.py."""

import rules

from .choices import Role


@rules.predicate
def is_ministry(user):
    return user.is_authenticated and user.role == Role.MINISTRY


@rules.predicate
def is_agency(user):
    return user.is_authenticated and user.role == Role.AGENCY


@rules.predicate
def is_regional_user(user):
    return user.is_authenticated and user.role == Role.REGION


@rules.predicate
def is_admin(user):
    return user.is_authenticated and user.role == Role.ADMIN


@rules.predicate
def is_national_staff(user):
    """Ministry, agency and administrators: the people who see every county."""
    return user.is_authenticated and user.role in (Role.MINISTRY, Role.AGENCY, Role.ADMIN)


def own_region_id(user) -> int | None:
    """The county a regional user belongs to; None for everyone else."""
    return user.region_id if user.is_authenticated and user.role == Role.REGION else None


# Who changed what and when: the ministry and the administrators, never the counties or the agency.
can_read_audit = is_ministry | is_admin
# The {% audit_trail %} tag of core asks for this rule by name (core imports no project package).
rules.add_rule("read_audit", can_read_audit)
