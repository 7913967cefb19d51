"""Who may do what with county profiles (see the permission table in the domain model).

Everyone who is logged in reads profiles, strategies, contacts, organisations and good examples.
Ministry staff (and administrators) write all of them; a regional user writes only what belongs to
their own county. Organisations and national contacts (no county) are the ministry's to keep.
"""

import rules

from accounts.rules import (
    belongs_to_own_region,
    is_agency,
    is_ministry,
    is_ministry_or_admin,
    is_national_staff,
    is_own_region,
    is_regional_user,
)


@rules.predicate
def comes_from_observation(user, example):
    """The good example was derived from the ministry's observation: its text is the ministry's,
    kept in step with the observation. (Load examples with `select_related("observation")`.)"""
    return example is not None and getattr(example, "observation", None) is not None


can_view_region = rules.is_authenticated
can_edit_region = is_ministry_or_admin | (is_regional_user & is_own_region)
# For objects that carry a `region_id`: strategies, contacts, responsibility periods, good examples.
can_edit_region_object = is_ministry_or_admin | (is_regional_user & belongs_to_own_region)
can_edit_organisation = is_ministry_or_admin
# Agencies follow the RUS processes to know when they can come in; the ministry may as well.
can_follow_region = is_agency | is_ministry

rules.add_perm("regions.view_region", can_view_region)
# A county's dialogues and 1:1 figures: national staff, and the county's own users.
rules.add_perm("regions.view_county_material", is_national_staff | (is_regional_user & is_own_region))
rules.add_perm("regions.change_region", can_edit_region)
rules.add_perm("regions.change_regionalstrategy", can_edit_region_object)
rules.add_perm("regions.change_contact", can_edit_region_object)
rules.add_perm("regions.change_responsibilityperiod", can_edit_region_object)
# A county edits its own good examples, not those derived from the ministry's observations.
rules.add_perm("regions.change_goodexample", is_ministry_or_admin | (can_edit_region_object & ~comes_from_observation))
rules.add_perm("regions.change_organisation", can_edit_organisation)
# Which years a county board handles the regional business support decides the länsråd's seat in
# the civil servants' forum: the ministry's to keep, as the forum is.
rules.add_perm("regions.change_businesssupportyear", is_ministry_or_admin)
# Removing follows the same lines as changing: the ministry removes any of them, a county its own
# contacts and responsibility periods. Whether a record may go at all (nothing refers to it) is
# the service's check, not a permission.
rules.add_perm("regions.delete_contact", can_edit_region_object)
rules.add_perm("regions.delete_responsibilityperiod", can_edit_region_object)
rules.add_perm("regions.delete_organisation", can_edit_organisation)
rules.add_perm("regions.add_contact", is_ministry_or_admin | is_regional_user)
rules.add_perm("regions.follow_region", can_follow_region)
rules.add_perm("regions.add_goodexample", is_ministry_or_admin | is_regional_user)
