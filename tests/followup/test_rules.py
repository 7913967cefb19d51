import pytest

from accounts.choices import Role

pytestmark = pytest.mark.django_db

# (permission, ministry, agency, region on its own county, region on another county)
EXPECTED = [
    ("followup.view_national", True, True, False, False),
    ("followup.view_allocation", True, True, True, False),
    ("followup.change_allocation", True, True, False, False),
    ("followup.report_allocation", True, True, True, False),
    ("followup.import_expenditure", True, True, True, True),
    ("followup.mark_exception", True, True, False, False),
    ("followup.add_appropriation", True, True, False, False),
]


@pytest.mark.parametrize(("perm", "ministry", "agency", "own", "other"), EXPECTED)
def test_followup_permissions_follow_the_permission_table(
    perm, ministry, agency, own, other, user_by_role, other_region_user, year_2015
):
    kalmar = year_2015["kalmar"]
    assert user_by_role[Role.MINISTRY].has_perm(perm, kalmar) is ministry
    assert user_by_role[Role.AGENCY].has_perm(perm, kalmar) is agency
    assert user_by_role[Role.REGION].has_perm(perm, kalmar) is own
    assert other_region_user.has_perm(perm, kalmar) is other
    assert user_by_role[Role.ADMIN].has_perm(perm, kalmar) is True
