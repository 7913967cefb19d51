"""Who may do what with the 1:1 follow-up (MODEL.md: ministry and agency read and write every county;
a regional user reads its own county and reports its own use, co-financing and results; other
counties do not exist for it)."""

import rules

from accounts.rules import (
    belongs_to_own_region,
    is_ministry_or_admin,
    is_national_staff,
    is_own_region,
    is_regional_user,
)

# Ministry, agency and administrators: the same people who read every county.
can_edit_all = is_national_staff

rules.add_perm("followup.view_national", is_national_staff)
# One county's figures over the years: whoever reads every county, and the county's own people.
rules.add_perm("followup.view_region_figures", is_national_staff | is_own_region)
rules.add_perm("followup.view_allocation", is_national_staff | (is_regional_user & belongs_to_own_region))
rules.add_perm("followup.change_allocation", can_edit_all)
rules.add_perm("followup.report_allocation", can_edit_all | (is_regional_user & belongs_to_own_region))
rules.add_perm("followup.import_expenditure", can_edit_all | is_regional_user)
rules.add_perm("followup.mark_exception", can_edit_all)
rules.add_perm("followup.add_appropriation", can_edit_all)
# All counties' frames and conditions of a year from one file: the ministry, which decides them.
rules.add_perm("followup.import_frames", is_ministry_or_admin)
