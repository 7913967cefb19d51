"""Who may do what with county profiles (see the permission table in the domain model)."""

import rules

from accounts.rules import is_admin, is_ministry, is_regional_user


@rules.predicate
def is_own_region(user, region):
    return region is not None and user.region_id == region.pk


can_view_region = rules.is_authenticated
can_edit_region = is_ministry | is_admin | (is_regional_user & is_own_region)

rules.add_perm("regions.view_region", can_view_region)
rules.add_perm("regions.change_region", can_edit_region)
