import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.choices import Role
from accounts.models import User
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_user_regional_role_without_county_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="x@example.test", full_name="X", role=Role.REGION)])


def test_user_national_role_with_county_is_refused_by_the_database(region_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="y@example.test", full_name="Y", role=Role.AGENCY, region=region_a)])


def test_user_create_user_without_county_for_regional_role_explains_why():
    with pytest.raises(ValidationError) as excinfo:
        User.objects.create_user("z@example.test", "Långt-lösenord-123", full_name="Z", role=Role.REGION)
    assert "län" in str(excinfo.value) or "county" in str(excinfo.value)
    assert not User.objects.filter(email="z@example.test").exists()


def test_user_create_user_normalises_email_to_lower_case(region_a):
    user = User.objects.create_user(
        "Karin.Kalmar@Example.TEST", "Långt-lösenord-123", full_name="Karin", role=Role.REGION, region=region_a
    )
    assert user.email == "karin.kalmar@example.test"


@pytest.mark.parametrize(
    ("role", "is_admin"),
    [(Role.MINISTRY, False), (Role.AGENCY, False), (Role.REGION, False), (Role.ADMIN, True)],
)
def test_user_admin_rights_follow_role_only(role, is_admin):
    user = UserFactory(role=role)
    assert user.is_staff is is_admin
    assert user.is_superuser is is_admin
    assert user.has_perm("accounts.change_user") is is_admin
