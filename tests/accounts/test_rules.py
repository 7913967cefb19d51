"""The county predicates every app's rules share (accounts/rules.py): written once, so a county
owns its own records and nothing else, and a user without a county owns nothing."""

import pytest

from accounts.rules import belongs_to_own_region, is_own_region
from dialogues.models import Dialogue
from followup.models import Allocation
from regions.models import Contact

pytestmark = pytest.mark.django_db


def test_a_county_user_owns_its_own_county_and_its_records(region_user, region_a):
    assert is_own_region(region_user, region_a)
    for record in (Dialogue(region=region_a), Allocation(region=region_a), Contact(region=region_a)):
        assert belongs_to_own_region(region_user, record)


def test_a_county_user_owns_nothing_of_another_county_nor_a_national_record(region_user, region_b):
    assert not is_own_region(region_user, region_b)
    assert not belongs_to_own_region(region_user, Dialogue(region=region_b))
    assert not belongs_to_own_region(region_user, Contact(region=None))
    assert not is_own_region(region_user, None)
    assert not belongs_to_own_region(region_user, None)


def test_a_user_without_a_county_owns_nothing(user_by_role, region_a):
    national = [user for user in user_by_role.values() if user.region_id is None]
    assert len(national) == 3  # ministry, agency, administrator
    for user in national:
        assert not is_own_region(user, region_a)
        assert not belongs_to_own_region(user, Dialogue(region=region_a))
        # Not even a record without a county: None is nobody's county.
        assert not belongs_to_own_region(user, Contact(region=None))
