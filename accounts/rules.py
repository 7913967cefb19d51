"""Role predicates shared by every app's rules. Each app combines them in its own rules.py."""

import rules

from .choices import CountyRole, Role


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


@rules.predicate
def is_county_director(user):
    """A regional user who may submit for their county (and answer the ministry's returns)."""
    return user.is_authenticated and user.role == Role.REGION and user.county_role == CountyRole.DIRECTOR


is_ministry_or_admin = is_ministry | is_admin
is_agency_or_admin = is_agency | is_admin


@rules.predicate
def is_own_region(user, region):
    """`region` is the user's county. A user without a county owns none."""
    return region is not None and user.region_id is not None and region.pk == user.region_id


@rules.predicate
def belongs_to_own_region(user, obj):
    """`obj` (anything with a `region_id`: a dialogue, allocation, strategy, contact, commitment...)
    is in the user's county. A user without a county owns nothing; an object without one is nobody's."""
    return obj is not None and user.region_id is not None and obj.region_id == user.region_id


def own_region_id(user) -> int | None:
    """The county a regional user belongs to; None for everyone else."""
    return user.region_id if user.is_authenticated and user.role == Role.REGION else None


@rules.predicate
def may_submit_for_region(user, region):
    """`user` may send in `region`'s submission: a county director of that very county."""
    return is_county_director(user) and is_own_region(user, region)


# --- User administration and invitations (accounts/invitations.py, accounts/services.py) -----


@rules.predicate
def is_own_county_user(user, other):
    """`other` is a regional user of `user`'s own county."""
    return other is not None and other.role == Role.REGION and belongs_to_own_region(user, other)


@rules.predicate
def is_administrator_account(user, other):
    return other is not None and other.role == Role.ADMIN


# The ministry invites and keeps every account but the administrators'; a county director those of
# their own county (editors and directors only). Administrators may do everything.
rules.add_perm("accounts.invite_user", is_ministry_or_admin | is_county_director)
rules.add_perm("accounts.view_user_list", is_ministry_or_admin | is_county_director)
rules.add_perm(
    "accounts.manage_user",
    is_admin | (is_ministry & ~is_administrator_account) | (is_county_director & is_own_county_user),
)
# Moving a person to another role or county: the ministry. A director only switches between
# director and editor in their own county (the form offers nothing else).
rules.add_perm("accounts.move_user", is_admin | (is_ministry & ~is_administrator_account))


# Who changed what and when: the ministry and the administrators, never the counties or the agency.
can_read_audit = is_ministry_or_admin
# The {% audit_trail %} tag of core asks for this rule by name (core imports no project package).
rules.add_rule("read_audit", can_read_audit)
